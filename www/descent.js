// The descent lab: wires its controls and play loop to the Rust core
// (DescentLab), which owns the state, the numbers and the drawing.
import { tr } from "./i18n.js";
import { $, canvasPoint, fitCanvas, frameWork, hoverReadout, labControls, player, rateNote, roomBelow, speedOf, stopConditions, turnByDragging } from "./ui.js";
import { showRace } from "./race_table.js";

/** Symbols and limits of the optimizers' constants, by name. */
const HYPERS = {
  momentum: { label: "Momentum μ", step: 0.01 },
  rho: { label: "Decay ρ", step: 0.001 },
  beta1: { label: "Decay β₁", step: 0.01 },
  beta2: { label: "Decay β₂", step: 0.0001 },
  eps: { label: "ε", step: "any" },
};

/** Labels and steps of the schedules' constants, by name. */
const SCHEDULE_PARAMS = {
  every: { label: "Every (updates)", step: 1 },
  gamma: { label: "Factor γ", step: "any" },
  decay: { label: "Decay", step: "any" },
  steps: { label: "Steps", step: 1 },
  alpha_min: { label: "α_min", step: "any" },
  warmup: { label: "Warm-up (updates)", step: 1 },
};

/** The width of the slider's thumb in CSS pixels (Chromium's and Firefox's default). */
const THUMB = 16;

let lab;
let state;
let play; // the play loop (ui.js player)
let toEnd; // "To the end": the same loop at full speed
let fillStop; // shows the stopping conditions in force
let renderQueued = false;
let sweepQueued = false;

/** Steps of the sweep computed between two looks at the clock (it goes on until `frameWork.ms` into a frame, at least 2 ms): the page never waits for it. */
const SWEEP_CHUNK = 4000;

/** Computes the sweep a frame at a time until it is complete, redrawing as it grows. */
function computeSweep() {
  if (sweepQueued) return;
  sweepQueued = true;
  requestAnimationFrame((frameStart) => {
    sweepQueued = false;
    if (!state.sweep) return;
    try {
      const until = Math.max(performance.now() + 2, frameStart + frameWork.ms);
      let more = true;
      while (more && performance.now() < until) more = lab.advanceSweep(SWEEP_CHUNK);
      const fresh = JSON.parse(lab.stateJson()).sweep;
      if (fresh && (more || fresh.computed !== state.sweep.computed)) {
        state.sweep = fresh;
        lab.drawSweep($("sweep-canvas"));
      }
      if (more) computeSweep();
    } catch (error) {
      showMessage(tr("The sweep could not be drawn: {reason}", { reason: error instanceof Error ? error.message : error }));
    }
  });
}

/** Shows a problem in the message area; the page keeps working. */
function showMessage(text, kind = "error") {
  const box = $("message");
  box.textContent = text;
  box.dataset.kind = kind;
}

function clearMessage() {
  showMessage("", "");
}

/** Runs an action of the user and shows its result at once; an error from the core becomes a message. */
function act(action, { now = true } = {}) {
  try {
    clearMessage();
    action();
  } catch (error) {
    showMessage(error instanceof Error ? error.message : String(error));
  }
  if (now) render();
  else scheduleRender();
}

function replay() {
  return !$("apply-forward").checked;
}

function scheduleRender() {
  if (!renderQueued) {
    renderQueued = true;
    requestAnimationFrame(render);
  }
}

/** The surface chart, flat or in 3-D. */
function drawSurface(canvas) {
  if ($("surface-3d").checked) lab.drawSurface3d(canvas);
  else lab.drawSurface(canvas);
  // Where f is not defined the heatmap is grey: say so.
  const grey = $("surface-3d").checked ? 0 : lab.undefinedShare();
  $("surface-note").hidden = !(grey > 0);
  $("surface-note").textContent = grey > 0 ? tr("Grey: where f is not defined or not a finite number ({share}% of the box).", { share: Math.max(1, Math.round(100 * grey)) }) : "";
}

function render() {
  renderQueued = false;
  try {
    state = JSON.parse(lab.stateJson());
    showState();
    // The charts share the first screen with the readout below them, and keep at least 3/5 of it.
    const screen = roomBelow($("surface-panel"));
    const room = Math.max(screen - $("readout").offsetHeight - 10, 0.6 * screen);
    fitCanvas($("surface-canvas"), 0.86, room - $("surface-head").offsetHeight - 2);
    drawSurface($("surface-canvas"));
    $("data-panel").hidden = !state.hasData;
    $("sweep-panel").hidden = !state.sweep;
    const charts = 1 + Number(state.hasData) + Number(state.sweep != null);
    const side = (room - 10 * (charts - 1)) / charts - 2;
    fitCanvas($("loss-canvas"), 0.62, side);
    lab.drawLoss($("loss-canvas"));
    if (state.hasData) {
      fitCanvas($("data-canvas"), 0.62, side);
      lab.drawData($("data-canvas"));
    }
    if (state.sweep) {
      fitCanvas($("sweep-canvas"), 0.9, Math.max(side, 340));
      lab.drawSweep($("sweep-canvas"));
      computeSweep();
    }
    const scheduled = state.schedule !== "constant";
    $("schedule-canvas").hidden = !scheduled;
    if (scheduled) {
      fitCanvas($("schedule-canvas"), 0.8, 240);
      lab.drawSchedule($("schedule-canvas"));
    }
  } catch (error) {
    showMessage(tr("Drawing failed: {reason}", { reason: error instanceof Error ? error.message : error }));
  }
}

function showState() {
  const r = state.readout;
  $("formula").textContent = state.formula;
  $("surface-canvas-text").textContent = state.chartTexts.surface;
  $("loss-canvas-text").textContent = state.chartTexts.loss;
  $("data-canvas-text").textContent = state.chartTexts.data;
  $("surface").value = state.surface;
  $("optimizer").value = state.optimizer;
  $("bowl-settings").hidden = !state.bowl;
  if (state.bowl) {
    if (document.activeElement !== $("bowl-condition")) $("bowl-condition").value = String(state.bowl.condition);
    if (document.activeElement !== $("bowl-angle")) $("bowl-angle").value = String(state.bowl.angle);
  }
  $("typed-settings").hidden = !state.typed;
  if (state.typed) {
    const typing = ["typed-text", "typed-x-min", "typed-x-max", "typed-y-min", "typed-y-max"].includes(document.activeElement?.id);
    if (!typing) {
      $("typed-text").value = state.typed.text;
      ["typed-x-min", "typed-x-max", "typed-y-min", "typed-y-max"].forEach((id, i) => { $(id).value = String(state.typed.box[i]); });
    }
    $("typed-partials").replaceChildren(...state.typed.partials.map((line) => {
      const item = document.createElement("li");
      item.textContent = line;
      return item;
    }));
  }
  // One variable: x, f(x) and f′(x) alone.
  const curve = state.curve;
  $("curve-settings").hidden = !curve;
  if (curve) {
    const typing = ["curve-text", "curve-x-min", "curve-x-max"].includes(document.activeElement?.id);
    if (!typing) {
      $("curve-text").value = curve.text;
      $("curve-x-min").value = String(curve.range[0]);
      $("curve-x-max").value = String(curve.range[1]);
    }
    $("curve-slope").textContent = curve.slope;
  }
  $("surface-3d-field").hidden = Boolean(curve);
  if (curve) $("surface-3d").checked = false;
  const [a, b] = state.axisNames;
  const written = (v) => (v.length === 1 ? v[0] : `(${v.join(", ")})`);
  $("name-theta").textContent = curve ? "x⁽ᵗ⁾" : `θ⁽ᵗ⁾ = (${a}, ${b})`;
  $("name-value").textContent = curve ? "f(x⁽ᵗ⁾)" : "J(θ⁽ᵗ⁾)";
  $("name-gradient").textContent = curve ? "f′(x⁽ᵗ⁾)" : "∇J(θ⁽ᵗ⁾)";
  $("out-t").textContent = r.iteration;
  $("out-theta").textContent = written(r.theta);
  $("out-value").textContent = r.value;
  $("out-gradient").textContent = written(r.gradient);
  $("out-lr").textContent = r.lr;
  $("name-lr").textContent = state.schedule === "constant" ? "α" : `αₖ, k = ${r.iteration}`;
  $("epoch-row").hidden = r.epoch == null;
  $("out-epoch").textContent = r.epoch ?? "";
  // A run that has diverged or stopped has no next update: its heading goes with its lines.
  $("update-title").hidden = r.update.length === 0;
  const update = $("update");
  update.replaceChildren(...r.update.map((line) => {
    const item = document.createElement("li");
    item.textContent = line;
    return item;
  }));
  const box = $("message");
  if (r.status || state.pathOutside) {
    showMessage(r.status ?? state.pathOutside, "diverged");
    play.stop();
    toEnd.stop();
  } else if (state.stopped && box.dataset.kind !== "error") {
    showMessage(state.stopped, "stopped");
  } else if (!state.stopped && box.dataset.kind === "stopped") {
    clearMessage();
  }
  fillStop(state.stopRule);
  $("stop-progress").textContent = state.stopProgress.join(" · ");
  for (const [i, id] of ["start-x", "start-y"].entries()) {
    $(`${id}-name`).textContent = a === "θ₀" ? ["θ₀", "θ₁"][i] : [a, b][i];
    if (document.activeElement !== $(id)) $(id).value = String(state.start[i]);
  }
  showLearningRate();
  showHypers();
  showSchedule();
  showBatches();
  showRace(state.race, state.schedule, { pick: (i) => act(() => lab.pickRun(i)), remove: (i) => act(() => lab.removeRun(i)) });
  showSweep();
  $("back").disabled = r.iteration === 0;
}

/** Where α sits under the log slider (10⁻⁴ … 10), as a CSS length: the track is inset by half the thumb. */
function onSlider(alpha) {
  const share = (Math.log10(alpha) + 4) / 5;
  return `calc(${THUMB / 2}px + (100% - ${THUMB}px) * ${share})`;
}

function showLearningRate() {
  const number = $("lr-number");
  if (document.activeElement !== number) number.value = String(state.lr);
  if (document.activeElement !== $("lr-slider")) $("lr-slider").value = String(Math.log10(state.lr));
  const bound = $("lr-bound");
  bound.hidden = state.stabilityBound == null;
  const mark = $("lr-bound-mark");
  mark.hidden = state.stabilityBound == null;
  if (state.stabilityBound != null) {
    bound.textContent = state.curve
      ? tr("On this parabola, plain descent diverges for α > 2/f″ = {bound} (the mark under the slider).", { bound: state.stabilityBound.toPrecision(3) })
      : tr("On this quadratic, plain descent diverges for α > 2/λmax = {bound} (the mark under the slider).", { bound: state.stabilityBound.toPrecision(3) });
    mark.style.left = onSlider(state.stabilityBound);
  }
}

/** One labelled number field per constant of the optimizer. */
function showHypers() {
  constantFields($("hypers"), state.hypers, HYPERS, (name, value) => lab.setHyper(name, value, replay()));
}

/** One labelled number field per constant of `constants` ([{name, value}]) in `box`, each calling `set(name, value)` on a change. */
function constantFields(box, constants, labels, set) {
  const names = constants.map((c) => c.name).join(",");
  if (box.dataset.names !== names) {
    box.dataset.names = names;
    box.replaceChildren(...constants.map(({ name }) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "number";
      input.step = String(labels[name]?.step ?? "any");
      input.id = `${box.id}-${name}`;
      label.htmlFor = input.id;
      label.append(`${labels[name]?.label ?? name} `, input);
      input.addEventListener("change", () => act(() => {
        if (Number.isNaN(input.valueAsNumber)) throw new Error(tr("{name}: type a number", { name: tr(labels[name]?.label ?? name) }));
        set(name, input.valueAsNumber);
        lab.endAdjust();
      }));
      return label;
    }));
  }
  for (const { name, value } of constants) {
    const input = $(`${box.id}-${name}`);
    if (input && document.activeElement !== input) input.value = String(value);
  }
}

function showSchedule() {
  $("schedule").value = state.schedule;
  constantFields($("schedule-params"), state.scheduleParams, SCHEDULE_PARAMS, (name, value) => lab.setScheduleParam(name, value, replay()));
  $("schedule-formula").textContent = state.scheduleFormula;
}

function showBatches() {
  const batch = state.batch;
  $("batch-settings").hidden = !batch;
  if (!batch) return;
  $("batch-size").max = String(batch.m);
  if (document.activeElement !== $("batch-size")) $("batch-size").value = String(batch.size);
  // The full batch has no seed: the field keeps the one typed, for the next smaller batch.
  if (document.activeElement !== $("batch-seed") && (batch.size < batch.m || $("batch-seed").value === "")) $("batch-seed").value = String(batch.seed);
  $("batch-hint").textContent = batch.size === batch.m
    ? tr("{m} = m: every update uses all the points (full batch).", { m: batch.m })
    : tr("Each update uses {size} of the {m} points (ringed on the data chart); the yellow arrow is their −∇J_b, the red one the full −∇J.", batch);
}

function showSweep() {
  const sweep = state.sweep;
  $("sweep").checked = sweep != null;
  $("sweep-settings").hidden = sweep == null;
  $("sweep-hint").hidden = sweep == null;
  if (!sweep) return;
  const fields = { "sweep-lo": sweep.range.lo, "sweep-hi": sweep.range.hi, "sweep-count": sweep.range.count, "sweep-steps": sweep.range.steps };
  for (const [id, value] of Object.entries(fields)) if (document.activeElement !== $(id)) $(id).value = String(value);
}

/** The sweep's range as the fields hold it. */
function sweepRange() {
  const read = (id, name) => {
    const v = $(id).valueAsNumber;
    if (Number.isNaN(v)) throw new Error(tr("the sweep's {name}: type a number", { name: tr(name) }));
    return v;
  };
  return { lo: read("sweep-lo", "smallest α"), hi: read("sweep-hi", "largest α"), count: read("sweep-count", "number of values"), steps: read("sweep-steps", "steps N") };
}

function wire() {
  // Both loops run on until a stopping condition holds (the core checks each step).
  let ended = false; // the last steps ended the run: render says why
  const runOn = (steps) => {
    const goOn = lab.runOn(steps);
    ended = !goOn;
    return goOn;
  };
  const redraw = () => {
    render();
    if (ended && !state.stopped && !state.readout.status) showMessage("The run holds as many iterations as it can; press Reset to start again.", "info");
    ended = false;
  };
  const speed = speedOf($("speed"), $("fastest"));
  play = player($("play"), speed, runOn, redraw, { maxPerFrame: 1000, onRate: rateNote($("rate"), speed, "steps") });
  toEnd = player($("to-end"), () => Infinity, runOn, redraw, { maxPerFrame: 2000, pauseLabel: "Stop" });
  fillStop = stopConditions($("stop"), [
    { key: "gradient", label: "‖∇J‖ below" },
    { key: "lossChange", label: "|ΔJ| / J below" },
    { key: "step", label: "step ‖Δθ‖ below" },
    { key: "iterations", label: "iteration t reaches", whole: true },
  ], (rule) => act(() => {
    if (Object.values(rule).some(Number.isNaN)) throw new Error("type a number for each condition that is ticked");
    lab.setStopRule(JSON.stringify(rule));
  }));
  const start = () => act(() => lab.setStart($("start-x").valueAsNumber, $("start-y").valueAsNumber));
  $("start-x").addEventListener("change", start);
  $("start-y").addEventListener("change", start);
  $("controls").addEventListener("submit", (event) => event.preventDefault());
  $("surface").addEventListener("change", (e) => act(() => lab.setSurface(e.target.value)));
  // A typed function is used when asked (the button or Enter); a mistake keeps the one in force.
  const typed = () => act(() => {
    const box = ["typed-x-min", "typed-x-max", "typed-y-min", "typed-y-max"].map((id) => $(id).valueAsNumber);
    lab.setFunction($("typed-text").value, JSON.stringify(box));
  });
  $("typed-use").addEventListener("click", typed);
  const typedCurve = () => act(() => lab.setCurve($("curve-text").value, $("curve-x-min").valueAsNumber, $("curve-x-max").valueAsNumber));
  $("curve-use").addEventListener("click", typedCurve);
  for (const id of ["curve-text", "curve-x-min", "curve-x-max"]) {
    $(id).addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        typedCurve();
      }
    });
  }
  for (const id of ["typed-text", "typed-x-min", "typed-x-max", "typed-y-min", "typed-y-max"]) {
    $(id).addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        typed();
      }
    });
  }
  const bowl = () => act(() => lab.setBowl($("bowl-condition").valueAsNumber, $("bowl-angle").valueAsNumber));
  $("bowl-condition").addEventListener("change", bowl);
  $("bowl-angle").addEventListener("change", bowl);
  $("optimizer").addEventListener("change", (e) => act(() => {
    lab.setOptimizer(e.target.value, replay());
    lab.endAdjust();
  }));
  $("race").addEventListener("change", (e) => act(() => lab.setRacing(e.target.checked)));
  $("sweep").addEventListener("change", (e) => act(() => {
    // N: the steps taken so far, or 100 at the start.
    const steps = state.readout.iteration > 0 ? Math.min(state.readout.iteration, 10000) : 100;
    lab.setSweep(e.target.checked ? JSON.stringify({ lo: 1e-4, hi: 10, count: 200, steps }) : "");
  }));
  for (const id of ["sweep-lo", "sweep-hi", "sweep-count", "sweep-steps"]) {
    $(id).addEventListener("change", () => act(() => lab.setSweep(JSON.stringify(sweepRange()))));
  }
  hoverReadout($("loss-canvas"), (x, y) => lab.lossAt(x, y));
  $("sweep-canvas").addEventListener("click", (e) => act(() => {
    play.stop();
    lab.clickSweep(canvasPoint(e.target, e)[0]);
  }));
  $("add-run").addEventListener("click", () => act(() => lab.addRun()));
  $("schedule").addEventListener("change", (e) => act(() => {
    lab.setSchedule(e.target.value, replay());
    lab.endAdjust();
  }));
  const batches = () => act(() => {
    lab.setBatches($("batch-size").valueAsNumber, $("batch-seed").valueAsNumber, replay());
    lab.endAdjust();
  });
  $("batch-size").addEventListener("change", batches);
  $("batch-seed").addEventListener("change", batches);
  $("lr-slider").addEventListener("input", (e) => act(() => {
    const lr = Number((10 ** Number(e.target.value)).toPrecision(3));
    lab.setLearningRate(lr, replay());
    $("lr-number").value = String(lr);
  }, { now: false }));
  $("lr-slider").addEventListener("change", () => lab.endAdjust());
  $("lr-number").addEventListener("change", (e) => act(() => {
    lab.setLearningRate(e.target.valueAsNumber, replay());
    lab.endAdjust();
  }));
  $("step").addEventListener("click", () => act(() => lab.step()));
  $("back").addEventListener("click", () => act(() => lab.back()));
  $("reset").addEventListener("click", () => act(() => lab.reset()));
  $("play").addEventListener("click", () => act(() => {
    toEnd.stop();
    play.toggle();
  }));
  $("to-end").addEventListener("click", () => act(() => {
    play.stop();
    toEnd.toggle();
  }));
  $("speed").addEventListener("input", (e) => { $("speed-value").textContent = e.target.value; });
  for (const label of $("lr-scale").querySelectorAll("[data-at]")) label.style.left = onSlider(Number(label.dataset.at));
  $("surface-canvas").addEventListener("click", (e) => {
    if ($("surface-3d").checked) return; // in 3-D a drag turns the view; a start is chosen on the flat chart
    act(() => {
      play.stop();
      lab.clickSurface(...canvasPoint(e.target, e));
    });
  });
  $("surface-3d").addEventListener("change", (e) => {
    $("surface-canvas").classList.toggle("turnable", e.target.checked);
    scheduleRender();
  });
  turnByDragging($("surface-canvas"), () => $("surface-3d").checked, (dx, dy) => lab.turnSurface(dx, dy), scheduleRender);
}

/** Starts the lab on `handle` (a DescentLab); returns what the page calls when the tab is shown or hidden. */
export function startDescent(handle) {
  lab = handle;
  wire();
  /** α times 10^(tenths/10), rounded to three digits. */
  const nudge = (tenths) => act(() => {
    const lr = Number((lab.learningRate() * 10 ** (tenths / 10)).toPrecision(3));
    lab.setLearningRate(lr, replay());
    lab.endAdjust();
  });
  const draws = { "surface-canvas": drawSurface, "loss-canvas": (c) => lab.drawLoss(c) };
  return {
    ...labControls(lab, draws, render, play),
    openLink: (hash) => {
      const notice = lab.openLink(hash);
      render();
      if (notice) showMessage(notice, "info");
    },
    keys: {
      play: () => act(play.toggle),
      step: () => act(() => lab.step()),
      phase: () => act(() => lab.step()),
      back: () => act(() => lab.back()),
      reset: () => act(() => lab.reset()),
      lrDown: () => nudge(-1),
      lrUp: () => nudge(1),
    },
  };
}
