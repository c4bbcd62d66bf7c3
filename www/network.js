// The backprop lab: wires its settings, the epoch and phase stepping and the
// play loop to the Rust core (NetworkLab), which trains, explains and draws.
import { $, atNextFrame, canvasPoint, fitCanvas, errorText, hoverReadout, inSlices, labControls, onScreen, player, rateNote, roomBelow, speedOf, stopConditions } from "./ui.js";
import { landscapePanel } from "./landscape.js";
import { tr } from "./i18n.js";
import { labWorkers } from "./workers.js";
import { slowViews } from "./slow_views.js";
import { listItems, showConfusion, showGradientCheck, showRangeTest, showSweep } from "./network_panels.js";
import { fieldName, formSettings, showSettings } from "./network_form.js";

let lab;
let state;
let play; // the play loop (ui.js player)
let toEnd; // "To the end": the same loop at full speed
let fillStop; // shows the stopping conditions in force
let linkNotice = ""; // what a link just opened held that could not be used, shown once its epochs are replayed
let landscape; // the loss landscape panel (landscape.js)
let workers; // the landscape's grid and the sweep on the other cores (workers.js)
let views; // the slow views (slow_views.js)
/** When each quick chart was last drawn and what that cost (ms), for `drawCharts`. */
const chartsDrawn = {};
/** Time each frame of a loop may spend drawing the quick charts (ms). */
const DRAW_MS_PER_FRAME = 8;

function showMessage(text, kind = "error") {
  $("nn-message").textContent = text;
  $("nn-message").dataset.kind = kind;
}

/** Says why a step did not happen; true when it did. */
function report(outcome) {
  if (outcome === "nodata") showMessage("There are no points to learn from: choose what a click on the data chart does and add some, or pick a data set.", "info");
  if (outcome === "limit") showMessage("The run holds as many epochs as it can; press Reset to start again.", "info");
  return outcome === "stepped";
}

/** Runs an action of the user, then shows the result; an error from the core becomes a message. */
function act(action) {
  try {
    showMessage("", "");
    action();
  } catch (error) {
    showMessage(errorText(error));
  }
  render({ everyView: false });
}

/** The settings as the form states them. */
const readForm = () => formSettings(lab);
/** Puts the settings in force into the form; a hidden layer's row changed configures anew. */
const fillForm = () => showSettings(lab, () => configure(readForm()));

/** Sends `settings` to the core; when they are refused, the form shows the settings in force again. */
function configure(settings) {
  act(() => {
    const valid = (v) => typeof v !== "number" || Number.isFinite(v);
    const bad = Object.entries(settings).find(([, v]) => !valid(v));
    if (bad) throw new Error(tr("{name} is not a number; type a value", { name: fieldName(bad[0]) }));
    if (settings.hidden.some((h) => !Number.isInteger(h.neurons))) throw new Error("every hidden layer needs a whole number of neurons (1 to 16)");
    if (!Number.isInteger(settings.batchSize) || settings.batchSize < 0) throw new Error("the batch size is a whole number, 0 for full batch");
    if (!Number.isInteger(settings.points) || !Number.isInteger(settings.seed) || settings.seed < 0) throw new Error("points and seed are whole numbers");
    // "Apply from this step on" off: a new α, update rule, batch size or L2 trains again to the same epoch.
    lab.configure(JSON.stringify(settings), !$("nn-apply-forward").checked);
    lab.endAdjust();
  });
  fillForm();
  retrain();
}

/** The range test, the sweep, a re-training towards the epoch of the last change and the gradient check, each up to `frameWork.ms` a frame, redrawing as they go. */
const rangeTest = inSlices(() => lab.advanceRangeTest(1), () => render({ inFrame: true }));
const sweepHere = inSlices(() => lab.advanceSweep(1), () => render({ inFrame: true }));
/** Computes the sweep shown: its α values go to the workers, what is left here goes a slice a frame. */
function sweep() {
  workers.dispatch();
  sweepHere();
}
const retrain = inSlices(() => lab.advanceRetrain(1), () => render({ inFrame: true }));
const gradientCheck = inSlices(() => lab.advanceGradientCheck(1), () => showGradientCheck(lab));

/**
 * Shows the run now: the numbers and the quick charts at once; the slow
 * views (boundary, line, landscape, inside each layer) from their last
 * pictures, computed anew over the next frames. `inFrame`: called each frame
 * of a loop, so the quick charts take turns; `light`: that frame has already
 * spent its time, so they wait; `everyView`: the slow views are redrawn even
 * when their pictures are unchanged (a new size or look), not only when they
 * change.
 */
function render({ inFrame = false, light = false, everyView = !inFrame } = {}) {
  try {
    lab.updateViews(isPlaying(), views.shown());
    // A new landscape's grid is made first (one piece: its making comes first
    // among the views' pieces), to go to the workers as soon as the drawing
    // here is done (not before: on a machine of two cores they would slow it,
    // and this frame would come late).
    const shareOut = !inFrame && workers.count() > 0;
    if (shareOut) lab.advanceViews(1);
    state = JSON.parse(lab.stateJson());
    showState();
    // The diagram, the boundary and the loss share the first screen with the numbers above them.
    // The diagram is never so short that the neurons of its fullest column run together.
    const projector = document.body.classList.contains("projector");
    const diagramFloor = Math.max(160, projector ? 140 + 17 * state.fullestLayer : 100 + 12 * state.fullestLayer);
    const resized = { network: fitCanvas($("nn-network-canvas"), 0.6, roomBelow($("nn-network-canvas")) * 0.5, diagramFloor) };
    const room = roomBelow($("nn-boundary-canvas"));
    resized.boundary = fitCanvas($("nn-boundary-canvas"), 0.8, room * 0.4);
    // The loss and, below it, the accuracy: never so short that the accuracy's panel loses its axis.
    const lossFloor = state.classification ? (projector ? 330 : 250) : 160;
    resized.losses = fitCanvas($("nn-loss-canvas"), state.classification ? 0.9 : 0.55, Math.max(lossFloor, room * 0.6 - 14));
    const free = window.innerHeight - 80;
    showRangeTest(lab, free);
    showSweep(lab, free, workers.count());
    resized.norms = fitCanvas($("nn-norms-canvas"), 0.55, free * 0.35);
    resized.line = fitCanvas($("nn-line-canvas"), 0.5, free * 0.35);
    const chart = (id, draw) => [$(id), () => draw($(id))];
    drawCharts({
      network: chart("nn-network-canvas", (canvas) => lab.drawNetwork(canvas)),
      losses: chart("nn-loss-canvas", (canvas) => lab.drawLosses(canvas)),
      norms: chart("nn-norms-canvas", (canvas) => lab.drawGradientNorms(canvas)),
    }, inFrame, resized, light);
    views.draw((name) => everyView || resized[name] || (name === "boundary" && !state.classification));
    if (shareOut) workers.dispatch();
  } catch (error) {
    showMessage(tr("Drawing failed: {reason}", { reason: errorText(error) }));
  }
  // The views go on computing whatever the drawing did (their frames hand the grid to the workers too).
  views.compute();
}

/**
 * Draws `charts` ({name: [canvas, draw]}). In a loop (`inFrame`), a frame
 * draws, of the charts on screen, the stalest and then those whose last cost
 * still fits in DRAW_MS_PER_FRAME, so a large network's charts take turns, or
 * (`light`) none; a chart whose canvas was `resized` (and so cleared) is
 * always drawn.
 */
function drawCharts(charts, inFrame, resized, light) {
  const start = performance.now();
  const stalest = Object.entries(charts)
    .filter(([name, [canvas]]) => !inFrame || resized[name] || onScreen(canvas))
    .map(([name, [, draw]]) => [name, draw])
    .sort(([a], [b]) => (chartsDrawn[a]?.at ?? -Infinity) - (chartsDrawn[b]?.at ?? -Infinity));
  stalest.forEach(([name, draw], rank) => {
    const now = performance.now();
    const fits = !light && (rank === 0 || now - start + (chartsDrawn[name]?.cost ?? 0) <= DRAW_MS_PER_FRAME);
    if (inFrame && !fits && !resized[name]) return;
    draw();
    chartsDrawn[name] = { at: now, cost: performance.now() - now };
  });
}

function isPlaying() {
  return play.isPlaying() || toEnd.isPlaying();
}

/** Puts the numbers, the phase and the chain rule of the state on the page. */
function showState() {
  const m = state.metrics;
  $("nn-boundary-canvas-text").textContent = state.chartTexts.boundary;
  $("nn-loss-canvas-text").textContent = state.chartTexts.loss;
  $("nn-network-canvas-text").textContent = state.chartTexts.network;
  $("nn-norms-canvas-text").textContent = state.chartTexts.norms;
  $("nn-data-count").textContent = tr("{all} points in use: {train} for training, {test} for testing", {
    all: state.trainPoints + state.testPoints,
    train: state.trainPoints,
    test: state.testPoints,
  });
  const into = { epoch: state.epoch, updates: state.batch, next: state.epoch + 1 };
  $("nn-epoch").textContent = state.batch === 0
    ? String(state.epoch)
    : state.batch === 1
      ? tr("{epoch}, and 1 update into epoch {next}", into)
      : tr("{epoch}, and {updates} updates into epoch {next}", into);
  $("nn-train-loss").textContent = m.trainLoss;
  $("nn-test-loss").textContent = m.testLoss ?? tr("no test points");
  $("nn-norms").textContent = m.gradNorms.map((g, i) => `${i + 1}: ${g}`).join(", ");
  $("nn-accuracy").textContent = state.classification ? `${m.trainAccuracy} / ${m.testAccuracy ?? "–"}` : tr("regression");
  $("nn-phase-title").textContent = state.phase ? tr("Phase: {name}", state.phase) : tr("Phase: press Step phase to walk through one update");
  listItems("nn-phase", state.phase?.lines);
  $("nn-selected").textContent = state.selected.name;
  $("nn-selected-value").textContent = state.selected.gradient == null
    ? state.selected.value
    : tr("{value}, gradient {gradient}", state.selected);
  listItems("nn-chain", state.chainRule ?? ["Appears when the backward pass reaches this weight's layer."]);
  const box = $("nn-message");
  if (state.retrainingTo != null) {
    showMessage(state.replayingLink
      ? tr("Opening the link: training to epoch {to} (epoch {epoch} now)…", { to: state.retrainingTo, epoch: state.epoch })
      : tr("Training again with the new settings, to epoch {to}…", { to: state.retrainingTo }), "info");
  } else if (box.dataset.kind === "info" && /^(Training again|Opening the link)/.test(box.textContent)) {
    showMessage(linkNotice, linkNotice ? "info" : "");
    linkNotice = "";
  }
  if (state.diverged) {
    showMessage(state.diverged, "diverged");
    play.stop();
    toEnd.stop();
  } else if (state.stopped && box.dataset.kind !== "error") {
    showMessage(state.stopped, "stopped");
  } else if (!state.stopped && box.dataset.kind === "stopped") {
    showMessage("", "");
  }
  showConfusion(state);
  showPins();
  showGradientCheck(lab);
  fillStop(state.stopRule);
  $("nn-stop-progress").textContent = state.stopProgress.join(" · ");
  $("nn-best").disabled = state.bestTestEpoch == null;
  $("nn-back").disabled = state.epoch === 0 && state.batch === 0 && !state.phase;
}

/** Inside each layer, when its panel is open: each layer's health in words and the distributions of the quantity chosen. */
function showInside() {
  const panel = $("nn-inside-panel");
  if (!panel.open) return;
  // A row a layer, tall enough for its two titles and three ticks in projector mode too.
  const row = document.body.classList.contains("projector") ? 170 : 130;
  fitCanvas($("nn-inside-canvas"), 10, row * state.metrics.gradNorms.length + 50);
  listItems("nn-inside-health", JSON.parse(lab.drawInside($("nn-inside-canvas"))));
}

/** The pinned runs: each one's name and settings, and a button to unpin it. */
function showPins() {
  $("nn-pin").disabled = state.pins.length >= state.maxPins;
  $("nn-pins").replaceChildren(...state.pins.map((pin, i) => {
    const item = document.createElement("li");
    const unpin = document.createElement("button");
    unpin.type = "button";
    unpin.textContent = "Unpin";
    unpin.setAttribute("aria-label", tr("Unpin {name}", pin));
    unpin.addEventListener("click", () => act(() => lab.unpin(i)));
    const name = document.createElement("strong");
    name.textContent = pin.name;
    item.append(name, `: ${pin.settings}`, unpin);
    return item;
  }));
}

function wire() {
  // Both loops train on until a stopping condition holds (the core checks each epoch).
  const trainOn = (epochs) => {
    const goOn = lab.trainOn(epochs);
    if (!goOn) {
      const now = JSON.parse(lab.stateJson());
      if (!now.stopped && !now.diverged) report(now.trainPoints === 0 ? "nodata" : "limit");
    }
    return goOn;
  };
  const speed = speedOf($("nn-speed"), $("nn-fastest"));
  // Each frame of a loop draws what it has time for (the numbers alone after long steps); the last one draws everything.
  const redraw = (last, light) => render({ inFrame: !last, light, everyView: false });
  play = player($("nn-play"), speed, trainOn, redraw, { maxPerFrame: 200, onRate: rateNote($("nn-rate"), speed, "epochs") });
  toEnd = player($("nn-to-end"), () => Infinity, trainOn, redraw, { maxPerFrame: 1000, pauseLabel: "Stop" });
  fillStop = stopConditions($("nn-stop"), [
    { key: "trainLoss", label: "training loss below" },
    { key: "patience", label: "no better test loss for (epochs)", whole: true },
    { key: "accuracy", label: "training accuracy reaches (1 = all)" },
    { key: "epochs", label: "epoch reaches", whole: true },
  ], (rule) => act(() => {
    if (Object.values(rule).some(Number.isNaN)) throw new Error("type a number for each condition that is ticked");
    lab.setStopRule(JSON.stringify(rule));
  }));
  hoverReadout($("nn-loss-canvas"), (x, y) => lab.lossAt(x, y));
  hoverReadout($("nn-norms-canvas"), (x, y) => lab.normsAt(x, y));
  // The view inside each layer: computed only while its panel is open; the link holds what it shows.
  const insideChanged = () => act(() => lab.setInside($("nn-inside-panel").open ? $("nn-inside-quantity").value : ""));
  $("nn-inside-panel").addEventListener("toggle", insideChanged);
  $("nn-inside-quantity").addEventListener("change", insideChanged);
  $("nn-pin").addEventListener("click", () => act(() => lab.pin()));
  $("nn-range").addEventListener("click", () => {
    const range = { lo: $("nn-range-lo").valueAsNumber, hi: $("nn-range-hi").valueAsNumber, updates: $("nn-range-updates").valueAsNumber };
    act(() => {
      if (!Object.values(range).every(Number.isFinite)) throw new Error("the range test needs a first α, a last α and a number of updates");
      lab.rangeTest(JSON.stringify(range));
    });
    rangeTest();
  });
  $("nn-range-hide").addEventListener("click", () => act(() => lab.rangeTest("")));
  $("nn-sweep").addEventListener("click", () => {
    const range = { lo: $("nn-sweep-lo").valueAsNumber, hi: $("nn-sweep-hi").valueAsNumber, count: $("nn-sweep-count").valueAsNumber, steps: $("nn-sweep-epochs").valueAsNumber };
    act(() => {
      if (!Object.values(range).every(Number.isFinite)) throw new Error("the sweep needs a smallest α, a largest α, a number of values and of epochs");
      lab.setSweep(JSON.stringify(range));
    });
    sweep();
  });
  $("nn-sweep-hide").addEventListener("click", () => act(() => lab.setSweep("")));
  $("nn-sweep-canvas").addEventListener("click", (e) => {
    const lr = lab.sweepLrAt(canvasPoint(e.target, e)[0]);
    if (lr == null) return;
    $("nn-lr").value = String(lr);
    configure(readForm());
  });
  $("nn-range-canvas").addEventListener("click", (e) => {
    const lr = lab.rangeTestLrAt(canvasPoint(e.target, e)[0]);
    if (lr == null) return;
    $("nn-lr").value = String(lr);
    configure(readForm());
  });
  $("nn-best").addEventListener("click", () => act(() => {
    play.stop();
    toEnd.stop();
    lab.backToBest();
  }));
  $("nn-to-end").addEventListener("click", () => act(() => {
    play.stop();
    toEnd.toggle();
  }));
  landscape = landscapePanel(lab, { changed: () => render(), workers: () => workers.count() });
  $("nn-controls").addEventListener("submit", (event) => event.preventDefault());
  for (const id of ["nn-dataset", "nn-points", "nn-noise", "nn-train-ratio", "nn-seed", "nn-classes", "nn-output", "nn-loss", "nn-init", "nn-optimizer", "nn-lr", "nn-batch", "nn-l2"]) {
    $(id).addEventListener("change", () => configure(readForm()));
  }
  $("nn-regenerate").addEventListener("click", () => configure({ ...readForm(), seed: $("nn-seed").valueAsNumber + 1, csv: null }));
  $("nn-use-csv").addEventListener("click", () => {
    if ($("nn-csv").value.trim() === "") showMessage("Type at least one point, one a line, or clear all points with the button above.");
    else configure({ ...readForm(), csv: $("nn-csv").value });
  });
  $("nn-clear-points").addEventListener("click", () => {
    act(() => lab.clearPoints());
    fillForm();
    // A click now adds points: of the last class, blue for two classes.
    const mode = $("nn-click-mode");
    if (mode.value === "none") mode.value = mode.options[mode.options.length - 2].value;
  });
  $("nn-clear-csv").addEventListener("click", () => configure({ ...readForm(), csv: null }));
  $("nn-add-layer").addEventListener("click", () => {
    const s = readForm();
    const last = s.hidden[s.hidden.length - 1] ?? { neurons: 4, activation: "tanh" };
    configure({ ...s, hidden: [...s.hidden, { ...last }] });
  });
  $("nn-remove-layer").addEventListener("click", () => {
    const s = readForm();
    configure({ ...s, hidden: s.hidden.slice(0, -1) });
  });
  $("nn-deep-sigmoid").addEventListener("click", () => configure({
    ...readForm(),
    hidden: Array.from({ length: 5 }, () => ({ neurons: 6, activation: "sigmoid" })),
    outputActivation: "sigmoid",
    loss: "mse",
    optimizer: "sgd",
    lr: 0.5,
  }));
  $("nn-step-epoch").addEventListener("click", () => act(() => report(lab.stepEpoch())));
  $("nn-step-phase").addEventListener("click", () => act(() => report(lab.stepPhase())));
  $("nn-back").addEventListener("click", () => act(() => lab.back()));
  $("nn-reset").addEventListener("click", () => act(() => lab.reset()));
  $("nn-play").addEventListener("click", () => act(() => {
    toEnd.stop();
    play.toggle();
  }));
  $("nn-speed").addEventListener("input", (e) => { $("nn-speed-value").textContent = e.target.value; });
  $("nn-check").addEventListener("click", () => {
    act(() => lab.startGradientCheck());
    gradientCheck();
  });
  $("nn-network-canvas").addEventListener("click", (e) => act(() => lab.clickNetwork(...canvasPoint(e.target, e))));
  // Hovering a weight shows its value (and its gradient inside an update).
  $("nn-network-canvas").addEventListener("mousemove", (e) => {
    const hit = JSON.parse(lab.paramAtJson(...canvasPoint(e.target, e)));
    const tip = $("nn-hover");
    tip.hidden = !hit;
    if (hit) {
      tip.textContent = `${hit.name} = ${hit.value}${hit.gradient == null ? "" : `, ∂L/∂w = ${hit.gradient}`}`;
      tip.style.left = `${e.offsetX + 14}px`;
      tip.style.top = `${e.offsetY + 10}px`;
    }
  });
  $("nn-network-canvas").addEventListener("mouseleave", () => { $("nn-hover").hidden = true; });
  $("nn-boundary-canvas").addEventListener("click", (e) => {
    const mode = $("nn-click-mode").value;
    if (mode === "none") return;
    play.stop();
    act(() => lab.editPoints(...canvasPoint(e.target, e), mode));
    fillForm();
  });
}

/** Starts the lab on `handle` (a NetworkLab); returns what the page calls when the tab is shown or hidden. */
export function startNetwork(handle, module) {
  lab = handle;
  views = slowViews(lab, {
    draws: {
      boundary: () => lab.drawBoundary($("nn-boundary-canvas")),
      line: () => lab.drawLine($("nn-line-canvas")),
      landscape: () => landscape.draw(),
      inside: showInside,
    },
    isPlaying,
    showMessage,
    dispatch: () => workers.dispatch(),
  });
  // The sweep's chart as its α values come back from the workers.
  const showSweepSoon = atNextFrame(() => {
    try {
      showSweep(lab, window.innerHeight - 80, workers.count());
    } catch (error) {
      showMessage(tr("Drawing failed: {reason}", { reason: errorText(error) }));
    }
  });
  // Where workers fail, the page computes the grid and the sweep itself again, a slice of each frame.
  workers = labWorkers(lab, module, {
    changed: (kind) => (kind === "grid" ? views.gridShareArrived() : showSweepSoon()),
    ready: () => landscape.showStatus(), // the status counts the workers
    failed: () => {
      views.compute();
      sweepHere();
    },
  });
  wire();
  fillForm();
  const nudge = (tenths) => configure({ ...readForm(), lr: Number(($("nn-lr").valueAsNumber * 10 ** (tenths / 10)).toPrecision(3)) });
  const draws = {
    "nn-network-canvas": (c) => lab.drawNetwork(c),
    "nn-boundary-canvas": (c) => lab.drawBoundary(c),
    "nn-loss-canvas": (c) => lab.drawLosses(c),
    "nn-norms-canvas": (c) => lab.drawGradientNorms(c),
    "nn-inside-canvas": (c) => lab.drawInside(c),
    "nn-line-canvas": (c) => lab.drawLine(c),
    "nn-landscape-canvas": (c) => lab.drawLandscape(c),
  };
  return {
    ...labControls(lab, draws, render, play),
    openLink: (hash) => {
      const notice = lab.openLink(hash);
      fillForm();
      render();
      // While the link's epochs replay, its notice waits for the end of the replay.
      if (state.retrainingTo != null) linkNotice = notice;
      else if (notice) showMessage(notice, "info");
      sweep();
      retrain(); // a long replay of the link's epochs goes on a slice a frame
    },
    keys: {
      play: () => act(play.toggle),
      step: () => act(() => report(lab.stepEpoch())),
      phase: () => act(() => report(lab.stepPhase())),
      back: () => act(() => lab.back()),
      reset: () => act(() => lab.reset()),
      lrDown: () => nudge(-1),
      lrUp: () => nudge(1),
    },
  };
}
