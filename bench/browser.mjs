// The benchmark: runs the workloads in headless Chromium (real time) against
// the served page, reads the native figures, prints one table with every
// budget beside its figure, and writes bench/results.json and BENCHMARKS.md.
// Run it through `cargo xtask bench`, which builds, serves and sets the
// environment: GRADLAB_URL, CHROMIUM, NATIVE_JSON, DIST. With
// GRADLAB_BENCH_QUICK=1 (`cargo xtask bench --quick`) it runs a subset, three
// repeats each, for use while working, and writes no file.
import { readFileSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import os from "node:os";
import { launch, openPage } from "../tests/e2e/browser.js";

const QUICK = process.env.GRADLAB_BENCH_QUICK === "1";
const REPEATS = QUICK ? 3 : 7;
/** Fresh pages opened for each of the page-level (stress) measurements. */
const PAGES = QUICK ? 1 : 3;

/** Median, min and max of a list of numbers. */
function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

/** Runs `body` in the page with the page's own module and its wasm exports. */
function inPage(page, body, arg) {
  return page.evaluate(
    async ([source, arg]) => {
      const api = await import("/pkg/gradlab.js");
      const wasm = await api.default();
      return new Function("api", "wasm", "arg", `return (${source})(api, wasm, arg);`)(api, wasm, arg);
    },
    [body.toString(), arg],
  );
}

const browser = await launch();
const { page } = await openPage(browser, { width: 1280, height: 800, bypassCSP: true });
const rows = [];
/** Records a figure: `values` per repeat, turned into `unit` by `convert`. */
function record(name, unit, values, budget) {
  rows.push({ name, unit, ...stats(values), budget });
}

// 1 and 2: training only, and with a snapshot each epoch, for the playground's
// configurations (the page itself playing them is measured further on).
await page.getByRole("tab", { name: "Backprop lab" }).click();
// The budgets: about 7, 10 and 10 times TensorFlow Playground's figures for the
// same networks, measured side by side on a machine of this kind (8,183, 735 and 392 epochs/s).
const playground = [
  ["[4, 2] on 250 points", [4, 2], 250, 60000],
  ["6×8 on 250 points", [8, 8, 8, 8, 8, 8], 250, 8000],
  ["6×8 on 450 points", [8, 8, 8, 8, 8, 8], 450, 4000],
];
for (const [label, hidden, points, trainBudget] of playground) {
  const r = await inPage(page, (api, wasm, { hidden, points, repeats }) => {
    const lab = new api.NetworkLab();
    // The data set first: a new data set brings its usual output (a sigmoid
    // with cross-entropy for circle), so the tanh output and squared error
    // come in a second call, and are checked.
    lab.configure(JSON.stringify({ ...JSON.parse(lab.settingsJson()), dataset: "circle" }), false);
    lab.configure(JSON.stringify({
      ...JSON.parse(lab.settingsJson()), points, noise: 0, trainRatio: 1, seed: 1,
      hidden: hidden.map((n) => ({ neurons: n, activation: "tanh" })), outputActivation: "tanh", loss: "mse",
      optimizer: "sgd", lr: 0.03, batchSize: 10, l2: 0,
    }), false);
    const set = JSON.parse(lab.settingsJson());
    if (set.outputActivation !== "tanh" || set.loss !== "mse") throw new Error(`the benchmark's network is not the playground's: ${lab.settingsJson()}`);
    const epochs = 200;
    const canvases = ["nn-network-canvas", "nn-boundary-canvas", "nn-loss-canvas", "nn-norms-canvas"].map((id) => document.getElementById(id));
    const alone = [];
    const train = [];
    const redraw = [];
    // V8 first runs wasm as baseline code and optimises the hot functions
    // later: a second of training first, as the peer was measured, then each
    // repeat trains (from the same weights) for a quarter of a second.
    const warm = performance.now();
    while (performance.now() - warm < 1000) lab.trainUnrecorded(epochs);
    for (let k = 0; k <= repeats; k++) {
      lab.reset();
      const t = performance.now();
      let trained = 0;
      while (performance.now() - t < 250) {
        lab.trainUnrecorded(epochs);
        trained += epochs;
      }
      const t0 = performance.now();
      lab.stepEpochs(epochs);
      const t1 = performance.now();
      lab.updateViews(false, "");
      lab.advanceViews(100); // the boundary's raster (a row a piece)
      lab.drawNetwork(canvases[0]);
      lab.drawBoundary(canvases[1]);
      lab.drawLosses(canvases[2]);
      lab.drawGradientNorms(canvases[3]);
      JSON.parse(lab.stateJson());
      const t2 = performance.now();
      if (k > 0) {
        alone.push((trained * 1000) / (t0 - t));
        train.push((epochs * 1000) / (t1 - t0));
        redraw.push(t2 - t1);
      }
    }
    return { alone, train, redraw };
  }, { hidden, points, repeats: REPEATS });
  record(`training only, ${label}`, "epochs/s", r.alone, trainBudget ? { atLeast: trainBudget } : null);
  record(`training + a snapshot with its metrics each epoch, ${label}`, "epochs/s", r.train, null);
  record(`redraw of every view with the boundary's raster, ${label}`, "ms", r.redraw, null);
}

// The slow views of the 2-8×6-1 network on 450 points after a step (the
// boundary's raster, the line from θ₀, the loss landscape), computed as the
// page does, until 12 ms into each real frame: the first complete pictures
// (the landscape at 6 × 6), and the landscape refined to 41 × 41.
for (const plane of QUICK ? [] : ["weights", "random", "training"]) {
  const r = await inPage(page, async (api, wasm, { plane, repeats }) => {
    const lab = new api.NetworkLab();
    // The data set first (it brings its usual output), then the network.
    lab.configure(JSON.stringify({ ...JSON.parse(lab.settingsJson()), dataset: "circle" }), false);
    lab.configure(JSON.stringify({
      ...JSON.parse(lab.settingsJson()), points: 450, noise: 0, trainRatio: 1, seed: 1,
      hidden: Array.from({ length: 6 }, () => ({ neurons: 8, activation: "tanh" })), outputActivation: "tanh", loss: "mse",
      optimizer: "sgd", lr: 0.03, batchSize: 10, l2: 0,
    }), false);
    if (JSON.parse(lab.settingsJson()).loss !== "mse") throw new Error(`not the network of the page's measurement: ${lab.settingsJson()}`);
    lab.stepEpochs(20);
    lab.setLandscape(JSON.stringify({ plane, a: 0, b: 1, seed: 1, threeD: false, grid: "41" }));
    const canvas = document.getElementById("nn-landscape-canvas");
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const pictures = [];
    const fine = [];
    for (let k = 0; k <= repeats; k++) {
      lab.stepEpoch(); // new weights: the views are made afresh
      const t0 = performance.now();
      lab.updateViews(false, "");
      let pictured = null;
      for (let left = 1; left > 0;) {
        const start = await frame();
        while (left > 0 && performance.now() < start + 12) left = lab.advanceViews(1);
        const views = JSON.parse(lab.viewsJson());
        if (pictured == null && !views.line.updating && !views.landscape.updating) pictured = performance.now() - t0;
        lab.drawLandscape(canvas);
      }
      if (k > 0) {
        pictures.push(pictured);
        fine.push(performance.now() - t0);
      }
    }
    return { pictures, fine };
  }, { plane, repeats: REPEATS });
  record(`slow views after a step (${plane} plane), 6×8 on 450 points, on the main thread alone: boundary, line and landscape 6×6`, "ms", r.pictures, null);
  record(`slow views after a step (${plane} plane), 6×8 on 450 points, on the main thread alone: landscape refined to 41×41`, "ms", r.fine, null);
}

/**
 * Clicks `button` in the page and follows it frame by frame until the text
 * of `id`, having left what `done` matches, matches it again: the time from
 * the click, every frame interval meanwhile, and how many workers the
 * landscape's status counts.
 */
function clickUntil(target, { button, id, done }) {
  return target.evaluate(({ button, id, done }) => new Promise((resolve) => {
    const text = document.getElementById(id);
    const finished = () => new RegExp(done).test(text.textContent);
    const gaps = [];
    let last = null;
    let left = false;
    const t0 = performance.now();
    document.getElementById(button).click();
    const tick = (t) => {
      if (last != null) gaps.push(t - last);
      last = t;
      left ||= !finished();
      if (left && finished()) resolve({ ms: performance.now() - t0, gaps, workers: Number(document.getElementById("nn-landscape-status").dataset.workers) });
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }), { button, id, done: done.source });
}

/** "1 worker", "3 workers". */
const workersText = (n) => `${n} worker${n === 1 ? "" : "s"}`;

/** Opens the page at `hash` and waits until its workers are ready. */
async function withWorkers(hash) {
  const fresh = await openPage(browser, { width: 1280, height: 800, path: `#${hash}` });
  await fresh.page.waitForFunction(() => Number(document.getElementById("nn-landscape-status").dataset.workers) > 0);
  return fresh;
}

// The same on the page itself, its landscape's grid shared out to Web Workers:
// a Step click, then the time until the 41 × 41 (or 81 × 81) grid is complete
// and drawn, and every frame interval meanwhile.
const WIDE = `lab=network&dataset=circle&points=450&noise=0&train=1&hidden=${encodeURIComponent(Array.from({ length: 6 }, () => "8:tanh").join(","))}&out=tanh&loss=mse&lr=0.03&batch=10&epochs=20`;
for (const [plane, n] of QUICK ? [["weights", 41], ["weights", 81]] : [["weights", 41], ["random", 41], ["training", 41], ["weights", 81]]) {
  const runs = [];
  const complete = new RegExp(`^grid ${n} × ${n}(;|$)`);
  for (let k = 0; k < PAGES; k++) {
    const fresh = await withWorkers(`${WIDE}&plane=${plane}&grid=${n}`);
    for (let step = 0; step <= REPEATS; step++) {
      const run = await clickUntil(fresh.page, { button: "nn-step-epoch", id: "nn-landscape-status", done: complete });
      if (step > 0) runs.push(run);
    }
    await fresh.page.close();
  }
  const workers = Math.min(...runs.map((r) => r.workers));
  record(`the page after a Step (${plane} plane), 6×8 on 450 points, on ${workersText(workers)}: landscape complete at ${n}×${n}`, "ms", runs.map((r) => r.ms), { atMost: n === 41 ? 250 : 1000 });
  record(`the page after a Step (${plane} plane, ${n}×${n}), 6×8 on 450 points, on ${workersText(workers)}: longest frame interval meanwhile`, "ms", runs.map((r) => Math.max(...r.gaps)), { atMost: 20 });
}

// The backprop lab's learning-rate sweep (30 α × 100 epochs of the default
// network) on the page: from the click on Sweep to its last point drawn, its
// α values trained by the workers, and every frame interval meanwhile.
const sweeps = [];
for (let k = 0; k < PAGES; k++) {
  const fresh = await withWorkers("lab=network");
  for (let repeat = 0; repeat < (QUICK ? 1 : 3); repeat++) sweeps.push(await clickUntil(fresh.page, { button: "nn-sweep", id: "nn-sweep-note", done: / diverged\. / }));
  await fresh.page.close();
}
const sweepWorkers = Math.min(...sweeps.map((r) => r.workers));
record(`backprop sweep, 30 α × 100 epochs of the default network, on the page with ${workersText(sweepWorkers)}: click to its last point`, "ms", sweeps.map((r) => r.ms), null);
record(`backprop sweep on ${workersText(sweepWorkers)}: longest frame interval meanwhile`, "ms", sweeps.map((r) => Math.max(...r.gaps)), { atMost: 20 });

// The learning rate answered at once: a new α re-trains the default network's
// 200 epochs from its initial weights, and every view is drawn again.
const retrain = await inPage(page, (api, wasm, repeats) => {
  const lab = new api.NetworkLab();
  lab.stepEpochs(200);
  const canvases = ["nn-network-canvas", "nn-boundary-canvas", "nn-loss-canvas", "nn-norms-canvas"].map((id) => document.getElementById(id));
  const settings = JSON.parse(lab.settingsJson());
  const times = [];
  for (let k = 0; k <= repeats; k++) {
    const t0 = performance.now();
    lab.configure(JSON.stringify({ ...settings, lr: settings.lr * (k % 2 ? 2 : 0.5) }), true);
    while (lab.advanceRetrain(1000));
    lab.updateViews(false, "");
    lab.advanceViews(100); // the boundary's raster
    lab.drawNetwork(canvases[0]);
    lab.drawBoundary(canvases[1]);
    lab.drawLosses(canvases[2]);
    lab.drawGradientNorms(canvases[3]);
    JSON.parse(lab.stateJson());
    if (k > 0) times.push(performance.now() - t0);
    lab.endAdjust();
  }
  return times;
}, REPEATS);
record("backprop: a new α re-trains the default network's 200 epochs and redraws every view", "ms", retrain, { atMost: 50 });

// 3: the descent lab.
await page.getByRole("tab", { name: "Descent lab" }).click();
const descent = await inPage(page, (api, wasm, repeats) => {
  const canvas = (id) => document.getElementById(id);
  const drawAll = (lab) => {
    lab.drawSurface(canvas("surface-canvas"));
    lab.drawLoss(canvas("loss-canvas"));
    lab.drawData(canvas("data-canvas"));
  };
  const timed = (work) => {
    work();
    return Array.from({ length: repeats }, () => {
      const t0 = performance.now();
      work();
      return performance.now() - t0;
    });
  };
  const lab = new api.DescentLab();
  lab.stepMany(1000);
  const redraw = timed(() => drawAll(lab));
  let lr = 0.1;
  const slider = timed(() => {
    lr = lr === 0.1 ? 0.05 : 0.1;
    lab.setLearningRate(lr, true);
    drawAll(lab);
  });
  // The heatmap: a surface chart whose plot area is 512 × 512, with a cold cache.
  const big = document.createElement("canvas");
  big.width = 512 + 96 + 24 + 62;
  big.height = 512 + 24 + 44;
  const heatmap = timed(() => {
    const fresh = new api.DescentLab();
    fresh.drawSurface(big);
    fresh.free();
  });
  const warm = timed(() => lab.drawSurface(big));
  // The same for a typed function, compiled once and evaluated a block of pixels at a time.
  const typedText = "sin(x)*cos(y) + 0.1*(x^2 + y^2)";
  const typedHeatmap = timed(() => {
    const fresh = new api.DescentLab();
    fresh.setFunction(typedText, "[-3, 3, -3, 3]");
    fresh.drawSurface(big);
    fresh.free();
  });
  const typedLab = new api.DescentLab();
  typedLab.setFunction(typedText, "[-3, 3, -3, 3]");
  typedLab.drawSurface(big);
  const typedWarm = timed(() => typedLab.drawSurface(big));
  typedLab.free();
  const steps = {};
  const surfaces = JSON.parse(api.menuChoices()).surfaces.map((choice) => choice.id);
  for (const id of surfaces) {
    lab.setSurface(id);
    // Steps a second over the steps actually taken (a run stops where it diverges).
    steps[id] = timed(() => {
      lab.reset();
      lab.stepMany(50_000);
    }).map((ms) => (Math.max(1, lab.iteration()) * 1000) / ms);
  }
  // The learning-rate sweep: 200 α × 1,000 steps at once on each analytic
  // surface, and the longest piece the page computes between two looks at the clock (4,000 steps).
  const sweeps = {};
  let longestPiece = [];
  const range = JSON.stringify({ lo: 1e-4, hi: 10, count: 200, steps: 1000 });
  // The formulas written in the code: a typed function's program (its steps are timed above) is not among them.
  for (const id of surfaces.filter((id) => id !== "linear_regression" && id !== "typed" && !id.startsWith("curve"))) {
    lab.setSurface(id);
    sweeps[id] = timed(() => {
      lab.setSweep(range);
      lab.advanceSweep(200 * 1000);
    });
    const pieces = [];
    lab.setSweep(range);
    for (let more = true; more;) {
      const t0 = performance.now();
      more = lab.advanceSweep(4_000);
      pieces.push(performance.now() - t0);
    }
    longestPiece.push(Math.max(...pieces));
  }
  lab.setSweep("");
  return { redraw, slider, heatmap: heatmap.map((ms, i) => ms - warm[i]), typedHeatmap: typedHeatmap.map((ms, i) => ms - typedWarm[i]), steps, sweeps, longestPiece, size: `${canvas("surface-canvas").width}×${canvas("surface-canvas").height}` };
}, REPEATS);
record(`descent: full redraw (surface ${descent.size}, loss, data)`, "ms", descent.redraw, { atMost: 8 });
record("descent: learning-rate slider moved (re-run 1,000 steps + redraw)", "ms", descent.slider, { atMost: 16 });
record("descent: heatmap 512×512 (cold draw minus warm draw)", "ms", descent.heatmap, { atMost: 10 });
record("descent: heatmap 512×512 of the typed sin(x)*cos(y) + 0.1*(x^2 + y^2) (cold minus warm)", "ms", descent.typedHeatmap, { atMost: 10 });
for (const [id, rates] of Object.entries(descent.steps)) record(`descent steps, ${id}`, "steps/s", rates, null);
for (const [id, ms] of Object.entries(descent.sweeps)) record(`descent: learning-rate sweep, 200 α × 1,000 steps, ${id}`, "ms", ms, { atMost: 50 });
record("descent: the longest piece of a sweep between two looks at the clock (4,000 steps), over the analytic surfaces", "ms", descent.longestPiece, { atMost: 5 });

// Stress: no setting freezes the page. The largest network the controls allow
// (six hidden layers of 16 tanh neurons) on 2,000 XOR points, the landscape
// on the plane of training in 3-D, Play at the top speed; a Step click; a
// link to epoch 20,000 of it; and the descent lab in 3-D with a typed
// function, and with a race, at its top speed.
const LARGEST = `lab=network&dataset=xor&points=2000&hidden=${encodeURIComponent(Array.from({ length: 6 }, () => "16:tanh").join(","))}&plane=training&view=3d`;

/** Frame intervals (ms) during `ms` of the page's life, pressing `play` before and after, and how fast the number in `counter` grew (a second). */
function framesWhile(target, { ms, play, counter }) {
  return target.evaluate(async ({ ms, play, counter }) => {
    const gaps = [];
    let last = null;
    let on = true;
    const tick = (t) => {
      if (last != null) gaps.push(t - last);
      last = t;
      if (on) requestAnimationFrame(tick);
    };
    const count = () => Number(document.getElementById(counter).textContent);
    const [before, t0] = [count(), performance.now()];
    if (play) document.getElementById(play).click();
    requestAnimationFrame(tick);
    await new Promise((resolve) => setTimeout(resolve, ms));
    on = false;
    if (play) document.getElementById(play).click();
    return { gaps, rate: ((count() - before) * 1000) / (performance.now() - t0) };
  }, { ms, play, counter });
}

/** Records a loop's frame intervals, repeat by repeat: their medians, 95th percentiles and maxima. */
function recordFrames(label, runs) {
  const at = (gaps, q) => [...gaps].sort((a, b) => a - b)[Math.min(gaps.length - 1, Math.floor(q * gaps.length))];
  record(`${label}: frame interval, median`, "ms", runs.map((r) => at(r.gaps, 0.5)), null);
  // Intervals are whole 16.7 ms frames: "at most 33 ms" is at most two of them (34 with the clock's jitter).
  record(`${label}: frame interval, 95th percentile`, "ms", runs.map((r) => at(r.gaps, 0.95)), { atMost: 34 });
  record(`${label}: frame interval, longest`, "ms", runs.map((r) => at(r.gaps, 1)), { atMost: 100 });
}

/** A fresh page of the largest network at epoch 3, scrolled to `scrollTo` (a canvas's id) if given, its speed at the top; 3 s of Play measured. */
async function playLargest(scrollTo) {
  const fresh = await openPage(browser, { width: 1280, height: 800, path: `#${LARGEST}&epochs=3` });
  await fresh.page.waitForFunction(() => document.getElementById("nn-epoch").textContent === "3");
  await fresh.page.evaluate((scrollTo) => {
    if (scrollTo) document.getElementById(scrollTo).scrollIntoView({ block: "center" });
    const speed = document.getElementById("nn-speed");
    speed.value = speed.max;
    speed.dispatchEvent(new Event("input"));
  }, scrollTo);
  return { fresh, played: await framesWhile(fresh.page, { ms: 3000, play: "nn-play", counter: "nn-epoch" }) };
}

const stress = [];
const stepPaints = [];
for (let k = 0; k < (QUICK ? 1 : REPEATS); k++) {
  const { fresh, played } = await playLargest(null);
  stress.push(played);
  // A Step click paused: from the click to the paint of its frame.
  await fresh.page.waitForTimeout(300);
  stepPaints.push(await fresh.page.evaluate(() => new Promise((resolve) => {
    const t0 = performance.now();
    document.getElementById("nn-step-epoch").click();
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0)));
  })));
  await fresh.page.close();
}
const largest = "largest network (6×16 tanh, 2,000 points, landscape of training in 3-D) at the top speed";
record(`${largest}: epochs/s achieved`, "epochs/s", stress.map((r) => r.rate), null);
recordFrames(largest, stress);
record("largest network: a Step click to its paint (the slow views follow)", "ms", stepPaints, { atMost: 100 });

// The same with the page scrolled to the landscape: while training plays the
// views off screen wait, so at the top of the page the landscape is not
// computed; here it is, on the worker, and drawn in 3-D as its pictures come.
const landscapeInView = [];
for (let k = 0; k < PAGES; k++) {
  const { fresh, played } = await playLargest("nn-landscape-canvas");
  landscapeInView.push(played);
  await fresh.page.close();
}
const inView = "largest network at the top speed, scrolled to its landscape (computed and drawn while it plays)";
record(`${inView}: epochs/s achieved`, "epochs/s", landscapeInView.map((r) => r.rate), null);
recordFrames(inView, landscapeInView);

// The page itself, as fast as it can: Play with "as fast as it can" ticked
// for a few seconds, counting the epochs (or steps) and the frames painted,
// every view redrawn as the page does.
for (const [label, link, counter, ms, budgets] of [
  ["backprop, default network", "lab=network&until_epochs=off", "nn-epoch", 1500, { rate: 2000, fps: 50 }],
  ["backprop, 2-8×6-1 tanh on 450 points", `lab=network&dataset=circle&points=450&noise=0&train=1&hidden=${encodeURIComponent(Array.from({ length: 6 }, () => "8:tanh").join(","))}&out=tanh&loss=mse&lr=0.03&batch=10&until_epochs=off`, "nn-epoch", 3000, { rate: 200 }],
  ["descent, Rosenbrock with Adam", "lab=descent&surface=rosenbrock&opt=adam&lr=0.01&until_grad=off&until_iter=off", "out-t", 1500, {}],
]) {
  const runs = [];
  for (let k = 0; k < PAGES; k++) {
    const fresh = await openPage(browser, { width: 1280, height: 800, path: `#${link}` });
    const [fastest, play] = counter === "nn-epoch" ? ["#nn-fastest", "nn-play"] : ["#fastest", "play"];
    await fresh.page.check(fastest);
    runs.push(await framesWhile(fresh.page, { ms, play, counter }));
    await fresh.page.close();
  }
  const unit = counter === "nn-epoch" ? "epochs/s" : "steps/s";
  record(`${label}, the page playing as fast as it can: ${unit}`, unit, runs.map((r) => r.rate), budgets.rate ? { atLeast: budgets.rate } : null);
  record(`${label}, the page playing as fast as it can: frames a second`, "frames/s", runs.map((r) => (1000 * r.gaps.length) / r.gaps.reduce((a, b) => a + b, 0)), budgets.fps ? { atLeast: budgets.fps } : null);
}

const replays = [];
for (let k = 0; k < (QUICK ? 0 : PAGES); k++) {
  const fresh = await openPage(browser, { width: 1280, height: 800, path: `#${LARGEST}&epochs=20000` });
  replays.push({ ...(await framesWhile(fresh.page, { ms: 3000, counter: "nn-epoch" })), first: await fresh.page.evaluate(() => window.gradlabFirstFrame) });
  await fresh.page.close();
}
if (!QUICK) {
  record("largest network opened from a link at epoch 20,000: navigation to the first complete frame", "ms", replays.map((r) => r.first), { atMost: 1000 });
  record("largest network opened from a link at epoch 20,000: epochs replayed a second", "epochs/s", replays.map((r) => r.rate), null);
}
if (!QUICK) recordFrames("largest network opened from a link at epoch 20,000, while it replays", replays);

for (const [label, setup] of [
  ["descent, typed sin(3x)·cos(3y) + 0.1(x² + y²) in 3-D", async (p) => {
    await p.selectOption("#surface", "typed");
    await p.fill("#typed-text", "sin(3*x)*cos(3*y) + 0.1*(x^2 + y^2)");
    await p.press("#typed-text", "Enter");
    await p.check("#surface-3d");
  }],
  ["descent, a race of every rule in 3-D", async (p) => {
    await p.check("#race");
    await p.check("#surface-3d");
  }],
  ["descent, the largest sweep (1,000 α × 10,000 steps) computing", async (p) => {
    await p.check("#sweep");
    for (const [id, value] of [["#sweep-count", "1000"], ["#sweep-steps", "10000"]]) {
      await p.fill(id, value);
      await p.press(id, "Enter");
    }
  }],
]) {
  const runs = [];
  for (let k = 0; k < PAGES; k++) {
    const fresh = await openPage(browser, { width: 1280, height: 800 });
    await setup(fresh.page);
    await fresh.page.evaluate(() => {
      const speed = document.getElementById("speed");
      speed.value = speed.max;
      speed.dispatchEvent(new Event("input"));
    });
    runs.push(await framesWhile(fresh.page, { ms: 3000, play: "play", counter: "out-t" }));
    await fresh.page.close();
  }
  recordFrames(`${label}, playing at the top speed`, runs);
}

// 5: page weight and the first complete frame.
const dist = process.env.DIST;
const files = ["index.html", ...readdirSync(join(dist, "www")).map((f) => `www/${f}`), ...readdirSync(join(dist, "pkg")).map((f) => `pkg/${f}`)];
const bytes = files.reduce((sum, f) => sum + statSync(join(dist, f)).size, 0);
const gzipped = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
record("page weight", "bytes", [bytes], null);
// 460 KB: see the note under the table (BENCHMARKS.md).
record("page weight, gzip", "bytes", [gzipped], { atMost: 500_000 });
const firstFrames = [];
for (let k = 0; k < REPEATS; k++) {
  const fresh = await openPage(browser, { width: 1280, height: 800 });
  firstFrames.push(await fresh.page.evaluate(() => window.gradlabFirstFrame));
  await fresh.page.close();
}
record("navigation to the first complete frame", "ms", firstFrames, { atMost: 500 });

// 6: memory.
if (!QUICK) {
  const memory = await inPage(page, (api, wasm) => {
    const lab = new api.DescentLab();
    lab.stepMany(1_000_000);
    const afterDescent = wasm.memory.buffer.byteLength;
    const net = new api.NetworkLab();
    for (let k = 0; k < 100; k++) net.stepEpochs(1000);
    return { afterDescent, afterEpochs: wasm.memory.buffer.byteLength, iterations: lab.iteration(), epochs: net.epoch() };
  });
  record(`wasm memory after 1,000,000 descent steps (kept: ${memory.iterations})`, "MB", [memory.afterDescent / 2 ** 20], { atMost: 64 });
  record(`wasm memory after 100,000 epochs (kept: ${memory.epochs})`, "MB", [memory.afterEpochs / 2 ** 20], { atMost: 64 });
}
await browser.close();

// 4: native, and the wasm/native ratio of the training loop (not in the quick run).
if (!QUICK) {
  const native = JSON.parse(readFileSync(process.env.NATIVE_JSON, "utf8"));
  const nativeRate = (key) => native[key].ms.map((ms) => (native[key].per * 1000) / ms);
  for (const [key, label] of [["train_4_2_250", "[4, 2] on 250 points"], ["train_8x6_250", "6×8 on 250 points"], ["train_8x6_450", "6×8 on 450 points"]]) {
    record(`native training only, ${label}`, "epochs/s", nativeRate(key), null);
    const wasmRow = rows.find((r) => r.name === `training only, ${label}`);
    record(`wasm/native, training only ${label}`, "ratio", [wasmRow.median / stats(nativeRate(key)).median], { atLeast: 0.6 });
    record(`native training + snapshot and metrics, ${label}`, "epochs/s", nativeRate(`${key}_recorded`), null);
  }
  record("native heatmap 512×512 (linear regression)", "ms", native.heatmap_512.ms, null);
  record("native heatmap 512×512 (typed sin(x)*cos(y) + 0.1*(x^2 + y^2))", "ms", native.typed_heatmap_512.ms, null);
  record("native re-run of 1,000 steps", "ms", native.lr_rerun_1000.ms, null);
}

// The table.
const format = (v) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString("en") : v.toPrecision(3));
const verdict = (r) => {
  if (!r.budget) return "";
  if (r.budget.atLeast != null) return `≥ ${format(r.budget.atLeast)}: ${r.median >= r.budget.atLeast ? "met" : "NOT MET"}`;
  return `≤ ${format(r.budget.atMost)}: ${r.median <= r.budget.atMost ? "met" : "NOT MET"}`;
};
const table = [
  "| workload | unit | median | min | max | budget |",
  "| --- | --- | ---: | ---: | ---: | --- |",
  ...rows.map((r) => `| ${r.name} | ${r.unit} | ${format(r.median)} | ${format(r.min)} | ${format(r.max)} | ${verdict(r)} |`),
].join("\n");
console.log(table);

// The quick run only prints its table.
if (!QUICK) {
  const cpu = (os.cpus()[0]?.model ?? "unknown").trim();
  let chromium = "unknown";
  try {
    chromium = execFileSync(process.env.CHROMIUM, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {}
  const machine = `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; ${chromium} headless; Node ${process.version}`;
  const date = new Date().toISOString().slice(0, 10);
  writeFileSync("bench/results.json", JSON.stringify({ date, machine, repeats: REPEATS, rows }, null, 1) + "\n");
  // BENCHMARKS.md: the table, then bench/notes.md, written by hand (what the rows measure and what changed them).
  writeFileSync(
    "BENCHMARKS.md",
    `# Benchmarks\n\nThe latest figures of \`cargo xtask bench\` (medians, min and max over ${REPEATS} repeats after a warm-up; real time in headless Chromium, and natively).\n\nMachine: ${machine}. Date: ${date}.\n\n${table}\n\n${readFileSync("bench/notes.md", "utf8")}`,
  );
}
