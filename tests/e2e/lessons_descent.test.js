// What each descent lesson says happens, happens: played from the menu, its claim read off the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withLessonBrowser, close, closeLesson, descentLab, descentRun, openLesson, pair, picture, play, ratios, readout, shownReadout, signChanges, typeLearningRate, typeMomentum, withinTwentySeconds } from "./lesson_play.js";

withLessonBrowser();

test("lesson seed: each → is one step whose written update checks with pencil and paper, J falls every step and the line comes to the points", async () => {
  const opened = await openLesson("seed");
  const { page } = opened;
  const lab = descentLab(page);
  const N = 20;
  const data = await page.evaluate(async () => JSON.parse(new (await import("/pkg/gradlab.js")).DescentLab().dataJson()));
  const lineAtStart = await picture(lab, "Data and the fitted line of the current θ");
  await withinTwentySeconds(lab, N);
  let shown = await shownReadout(lab);
  for (let t = 0; t < N; t++) {
    // θₜ₊₁ = θₜ − α·gₜ = (a, b) − α·(g, h) = (c, d), in the readout's own numbers.
    const update = shown.update.find((line) => line.startsWith("θ"));
    const match = update?.match(/= \((\S+), (\S+)\) − (\S+)·\((\S+), (\S+)\) = \((\S+), (\S+)\)$/);
    assert.ok(match, `the update is written out: ${shown.update}`);
    const [a, b, lr, g, h, c, d] = match.slice(1).map(Number);
    assert.deepEqual([a, b], pair(shown.theta), "the update starts from θₜ");
    assert.deepEqual([g, h], pair(shown.gradient), "with the readout's ∇J");
    assert.equal(lr, Number(shown.lr));
    close(c, a - lr * g, 2e-5 * Math.max(1, Math.abs(c)), `θ₀ of step ${t + 1} by hand`);
    close(d, b - lr * h, 2e-5 * Math.max(1, Math.abs(d)), `θ₁ of step ${t + 1} by hand`);
    // ∇J = X1ᵀ(X1θ − y)/m at the θ shown.
    const m = data.y.length;
    const residual = data.x.map((x, i) => a + b * x - data.y[i]);
    close(g, residual.reduce((s, e) => s + e, 0) / m, 1e-4 * Math.max(1, Math.abs(g)), "∂J/∂θ₀");
    close(h, residual.reduce((s, e, i) => s + e * data.x[i], 0) / m, 1e-4 * Math.max(1, Math.abs(h)), "∂J/∂θ₁");
    await page.keyboard.press("ArrowRight");
    shown = await shownReadout(lab);
    assert.equal(shown.t, String(t + 1), "one press, one step");
    assert.deepEqual(pair(shown.theta), [c, d], "the step lands where the written update said");
  }
  const run = await descentRun(page);
  assert.equal(run.length, N + 1);
  for (const r of ratios(run.map((s) => s.J))) assert.ok(r < 1, "J falls at every step");
  // J is half the mean squared vertical distance from the points to the line.
  assert.ok(run[N].J < run[0].J / 10, `the line has come to the points: J ${run[0].J} → ${run[N].J}`);
  assert.notEqual(await picture(lab, "Data and the fitted line of the current θ"), lineAtStart, "the line on the data chart moved");
  await closeLesson(opened);
});

test("lesson too-large: at α = 0.25 y is multiplied by −1.5 a step and J grows a millionfold within 20 steps; at 0.19 the same steps converge", async () => {
  const opened = await openLesson("too-large");
  const { page } = opened;
  const lab = descentLab(page);
  const N = 20;
  assert.match(await lab.locator("#lr-bound").textContent(), /2\/λmax = 0\.200\b/, "the page states the bound 0.2");
  assert.equal(await readout(lab, "learning rate"), "0.25");
  await play(page, N);
  let run = await descentRun(page);
  assert.equal(run.length, N + 1);
  for (const r of ratios(run.map((s) => s.theta[1]))) close(r, 1 - 10 * 0.25, 1e-4, "y₍ₜ₊₁₎/yₜ");
  for (const r of ratios(run.map((s) => s.J))) assert.ok(r > 2 && r <= 2.25 + 1e-4, `J grows about 2.25 times a step: × ${r}`);
  assert.ok(run[N].J > 1e6 * run[0].J, `J more than a million times its start: ${run[0].J} → ${run[N].J}`);
  await typeLearningRate(page, 0.19);
  assert.equal(await readout(lab, "iteration t"), String(N), "the same steps again at α = 0.19");
  run = await descentRun(page);
  for (const r of ratios(run.map((s) => s.theta[1]))) close(r, -0.9, 1e-4, "y₍ₜ₊₁₎/yₜ at α = 0.19");
  for (const r of ratios(run.map((s) => s.J))) assert.ok(r < 1, "J falls at every step at α = 0.19");
  assert.ok(run[N].J < run[0].J / 10, `converging: J ${run[0].J} → ${run[N].J}`);
  assert.equal(await lab.getByRole("alert").textContent(), "");
  await closeLesson(opened);
});

/** The bowl's (u, v) of each θ: (x, y) turned by the angle its formula states. */
async function bowlCoordinates(page, run) {
  const formula = await descentLab(page).getByLabel("Loss function").textContent();
  const [, condition, angle] = formula.match(/0\.5·\(u² \+ (\S+)·v²\), \(u, v\) = \(x, y\) turned by (\S+)°/).map(Number);
  const [s, c] = [Math.sin((angle * Math.PI) / 180), Math.cos((angle * Math.PI) / 180)];
  return { condition, uv: run.map(({ theta: [x, y] }) => [c * x + s * y, -s * x + c * y]) };
}

/**
 * Whether the charts show the previous run dashed: the surface and loss
 * charts now, against the same run drawn after Reset (which forgets it) and
 * the same steps again.
 */
async function showsPreviousRun(page, steps) {
  const lab = descentLab(page);
  const withOld = [await picture(lab, /^Surface chart/), await picture(lab, "Loss against iteration")];
  const J = await readout(lab, "loss J");
  await page.keyboard.press("r");
  await play(page, steps);
  assert.equal(await readout(lab, "loss J"), J, "the same run");
  const alone = [await picture(lab, /^Surface chart/), await picture(lab, "Loss against iteration")];
  return withOld[0] !== alone[0] && withOld[1] !== alone[1];
}

test("lesson zig-zag: plain descent (μ = 0) bounces across the valley (v × −0.75 a step) and crawls along it (u × 0.965); μ = 0.6 ends 100 times lower after 40 steps", async () => {
  const opened = await openLesson("zig-zag");
  const { page } = opened;
  const lab = descentLab(page);
  const N = 40;
  assert.equal(await lab.getByRole("spinbutton", { name: "Momentum μ" }).inputValue(), "0");
  await play(page, N);
  const run = await descentRun(page);
  const { condition, uv } = await bowlCoordinates(page, run);
  assert.equal(condition, 50);
  const lr = run[1].lr;
  const v = uv.map(([, v]) => v);
  const u = uv.map(([u]) => u);
  assert.equal(signChanges(v), N, "v changes sign at every step: wall to wall");
  for (const r of ratios(v).slice(0, 20)) close(r, 1 - condition * lr, 2e-3, "v₍ₜ₊₁₎/vₜ");
  for (const r of ratios(u)) close(r, 1 - lr, 1e-4, "u₍ₜ₊₁₎/uₜ: a crawl along the valley");
  close(1 - condition * lr, -0.75, 1e-12, "1 − 50α");
  for (const r of ratios(run.map((s) => s.J))) assert.ok(r < 1, "J falls at every step");
  const plain = run[N].J;
  await typeMomentum(page, 0.6);
  assert.equal(await readout(lab, "iteration t"), String(N), "the same steps with μ = 0.6");
  const heavy = Number(await readout(lab, "loss J"));
  assert.ok(heavy < plain / 100, `after ${N} steps J is ${heavy} with μ = 0.6 and ${plain} with μ = 0`);
  assert.ok(await showsPreviousRun(page, N), "the plain run's path and loss stay on the charts");
  await closeLesson(opened);
});

test("lesson overshoot: with μ = 0.95 x passes 0 again and again and J rises almost as often as it falls; μ = 0.5 comes in without passing and ends 1000 times lower after 40 steps", async () => {
  const opened = await openLesson("overshoot");
  const { page } = opened;
  const lab = descentLab(page);
  const N = 40;
  await play(page, N);
  let run = await descentRun(page);
  const x = run.map((s) => s.theta[0]);
  assert.ok(signChanges(x) >= 3, `the path passes the minimum again and again: x changes sign ${signChanges(x)} times`);
  const norm = ([a, b]) => Math.hypot(a, b);
  assert.ok(norm(run[N].theta) < norm(run[0].theta) / 2, "and spirals in");
  const rises = ratios(run.map((s) => s.J)).filter((r) => r > 1).length;
  assert.ok(rises >= 0.4 * N, `J rises at ${rises} of ${N} steps`);
  const fast = run[N].J;
  await typeMomentum(page, 0.5);
  assert.equal(await readout(lab, "iteration t"), String(N));
  run = await descentRun(page);
  assert.equal(signChanges(run.map((s) => s.theta[0])), 0, "x comes in without passing 0");
  assert.ok(run[N].J < fast / 1000, `after ${N} steps J is ${run[N].J} with μ = 0.5 and ${fast} with μ = 0.95`);
  assert.ok(await showsPreviousRun(page, N), "the μ = 0.95 run stays on the charts");
  await closeLesson(opened);
});

/** The first iteration at which |y| reaches `level`. */
const reaches = (run, level) => run.findIndex((s) => Math.abs(s.theta[1]) >= level);

test("lesson saddle: the steps shrink to a crawl by the saddle, then y grows 1.1 times a step and escapes; a click farther from y = 0 escapes 24 steps sooner per tenfold", async () => {
  const opened = await openLesson("saddle");
  const { page } = opened;
  const lab = descentLab(page);
  const N = 80;
  await play(page, N);
  let run = await descentRun(page);
  const lr = run[1].lr;
  close(1 + 2 * lr, 1.1, 1e-12, "1 + 2α");
  for (const r of ratios(run.map((s) => s.theta[1]))) close(r, 1.1, 1e-4, "y₍ₜ₊₁₎/yₜ");
  const steps = run.slice(1).map((s, k) => Math.hypot(s.theta[0] - run[k].theta[0], s.theta[1] - run[k].theta[1]));
  const slowest = steps.indexOf(Math.min(...steps));
  assert.ok(steps[slowest] < steps[0] / 10, `the steps become tiny: ${steps[0]} → ${steps[slowest]}`);
  assert.ok(Math.hypot(...run[slowest].theta) < 0.1, `the crawl is by the saddle, at ${run[slowest].theta}`);
  assert.ok(slowest > 10 && slowest < N - 10 && steps[N - 1] > steps[0], "then the steps grow again as it escapes");
  assert.ok(Math.abs(run[N].theta[1]) > 1000 * Math.abs(run[0].theta[1]), `|y| grows by orders of magnitude: ${run[0].theta[1]} → ${run[N].theta[1]}`);
  assert.equal(run[0].theta[1], 0.002, "this start is 0.002 from the line y = 0");
  const escape = reaches(run, 0.5);
  assert.ok(escape > 0, "escaped within the steps");
  // A start farther from the line, clicked on the surface chart: back at the start, the chart shows its own box again.
  await lab.getByRole("button", { name: "Reset", exact: true }).click();
  const chart = lab.getByRole("img", { name: /^Surface chart/ });
  const box = await chart.boundingBox();
  await chart.click({ position: { x: box.width * 0.2, y: box.height * 0.4 } });
  const start = pair(await readout(lab, "theta"));
  assert.ok(Math.abs(start[1]) > 0.02 && Math.abs(start[1]) < 0.5, `the click starts farther from the line: ${start}`);
  await page.evaluate(() => document.activeElement?.blur());
  await play(page, N / 2);
  run = await descentRun(page);
  assert.deepEqual(run[0].theta, start);
  assert.ok(reaches(run, 0.5) > 0, "escaped within the steps");
  const sooner = escape - reaches(run, 0.5);
  const predicted = Math.log(Math.abs(start[1]) / 0.002) / Math.log(1.1);
  close(sooner, predicted, 1, `steps sooner from ${start[1]} (${Math.log10(Math.abs(start[1]) / 0.002)} times ten farther)`);
  close(Math.log(10) / Math.log(1.1), 24, 0.5, "steps per tenfold");
  await closeLesson(opened);
});

test("lesson adam-rosenbrock: after 200 steps Adam (α = 0.2) is at J ≈ 1.2 and plain descent (α = 0.001) above 5; descent at α = 0.2 diverges within a few steps", async () => {
  const opened = await openLesson("adam-rosenbrock");
  const { page } = opened;
  const lab = descentLab(page);
  const N = 200;
  assert.equal(await readout(lab, "learning rate"), "0.2");
  await play(page, N);
  const adam = Number(await readout(lab, "loss J"));
  close(adam, 1.2, 0.1, "Adam's J after 200 steps");
  await typeLearningRate(page, 0.001);
  await lab.getByLabel("Update rule", { exact: true }).selectOption("sgd");
  await page.evaluate(() => document.activeElement?.blur());
  assert.equal(await readout(lab, "iteration t"), String(N), "the same 200 steps, with plain descent");
  assert.equal(await readout(lab, "learning rate"), "0.001");
  const plain = Number(await readout(lab, "loss J"));
  assert.ok(plain > 5, `plain descent's J after 200 steps: ${plain}`);
  assert.equal(await lab.getByRole("alert").textContent(), "");
  await typeLearningRate(page, 0.2);
  const diverged = (await lab.getByRole("alert").textContent()).match(/^Diverged at iteration (\d+)/);
  assert.ok(diverged && Number(diverged[1]) <= 10, `plain descent at α = 0.2 diverges within a few steps: ${diverged}`);
  await closeLesson(opened);
});

test("lesson stability-bound: y is multiplied by 1 − 10α a step; α = 0.1 and 0.19 converge, α = 0.21 grows", async () => {
  const opened = await openLesson("stability-bound");
  const { page } = opened;
  const lab = descentLab(page);
  const N = 40;
  await play(page, N);
  for (const lr of [0.19, 0.21, 0.1]) {
    if (lr !== 0.19) await typeLearningRate(page, lr);
    assert.equal(await readout(lab, "iteration t"), String(N));
    const run = await descentRun(page);
    const y = run.map((s) => s.theta[1]);
    // At α = 0.1 the factor is 0: one step puts y on 0, up to the rounding of 0.1 in binary.
    if (lr === 0.1) assert.ok(y.slice(1).every((v) => Math.abs(v) < 1e-12), `at α = 0.1 one step puts y on 0: ${y.slice(0, 3)}`);
    else for (const r of ratios(y)) close(r, 1 - 10 * lr, 1e-4, `y₍ₜ₊₁₎/yₜ at α = ${lr}`);
    const J = ratios(run.map((s) => s.J));
    if (lr < 0.2) {
      assert.ok(J.every((r) => r < 1) && run[N].J < run[0].J / 100, `α = ${lr} converges: J ${run[0].J} → ${run[N].J}`);
    } else {
      assert.ok(J.every((r) => r > 1) && run[N].J > 100 * run[0].J, `α = ${lr} diverges: J ${run[0].J} → ${run[N].J}`);
    }
  }
  await closeLesson(opened);
});

/** The race's rows as shown: each run's rule and its J. */
function raceRows(lab) {
  return lab.getByRole("table", { name: "Race" }).locator("tbody tr").evaluateAll((rows) => rows.map((tr) => ({ rule: tr.cells[1].textContent.trim(), J: Number(tr.cells[5].textContent) })));
}

test("lesson race: by the saddle |y| passes 1 after 3 steps for RMSProp, 6 for AdaGrad, 22 for Nesterov, 25 for momentum and Adam, 66 for plain descent; on Rosenbrock after 200 steps descent and AdaGrad are above 5, momentum below 0.2, Nesterov below 0.05", async () => {
  const opened = await openLesson("race");
  const { page } = opened;
  const lab = descentLab(page);
  await play(page, 70);
  const escapes = {};
  const rules = (await raceRows(lab)).map((r) => r.rule);
  for (const [i, rule] of rules.entries()) {
    await lab.getByRole("radio", { name: `Show run ${i + 1}, ${rule}` }).check();
    const run = await descentRun(page);
    escapes[rule] = run.findIndex((s) => Math.abs(s.theta[1]) >= 1);
  }
  assert.deepEqual(escapes, { "Gradient descent": 66, Momentum: 25, Nesterov: 22, AdaGrad: 6, RMSProp: 3, Adam: 25 });
  await lab.getByRole("radio", { name: "Show run 1, Gradient descent" }).check();
  await lab.getByRole("combobox", { name: "Loss surface" }).selectOption("rosenbrock");
  await page.evaluate(() => document.activeElement?.blur());
  await play(page, 200);
  const J = Object.fromEntries((await raceRows(lab)).map((r) => [r.rule, r.J]));
  assert.ok(J["Gradient descent"] > 5 && J.AdaGrad > 5, JSON.stringify(J));
  assert.ok(J.Momentum < 0.2 && J.Nesterov < 0.05, JSON.stringify(J));
  await closeLesson(opened);
});

test("lesson sgd: with a batch of one J goes up at about half of 150 steps and still jumps between 0.49 and 1.1 over the last 50; with all 30 points it falls at every step", async () => {
  const opened = await openLesson("sgd");
  const { page } = opened;
  const lab = descentLab(page);
  await play(page, 150);
  let J = (await descentRun(page)).map((s) => s.J);
  const rises = ratios(J).filter((r) => r > 1).length;
  assert.ok(rises >= 60 && rises <= 90, `J goes up at ${rises} of 150 steps`);
  const last = J.slice(100);
  assert.ok(Math.min(...last) < 0.5 && Math.max(...last) > 1.05, `over the last 50 steps J spans ${Math.min(...last)} … ${Math.max(...last)}`);
  await lab.getByRole("spinbutton", { name: "Batch size" }).fill("30");
  await lab.getByRole("spinbutton", { name: "Batch size" }).press("Enter");
  await page.evaluate(() => document.activeElement?.blur());
  assert.equal(await readout(lab, "iteration t"), "150", "the same steps again");
  J = (await descentRun(page)).map((s) => s.J);
  assert.ok(ratios(J).every((r) => r < 1), "every point: J falls at every step");
  await closeLesson(opened);
});

test("lesson schedule: at a constant α = 0.3 J spans 0.49 … 1.8 over steps 150 to 200; with αₖ = 0.3·0.98ᵏ it stays within 0.01, a hundred times calmer, near the least J 0.487", async () => {
  const opened = await openLesson("schedule");
  const { page } = opened;
  const lab = descentLab(page);
  await play(page, 200);
  const spread = (run) => {
    const last = run.slice(150).map((s) => s.J);
    return [Math.min(...last), Math.max(...last)];
  };
  const [lo, hi] = spread(await descentRun(page));
  assert.ok(lo < 0.5 && hi > 1.8, `constant α: ${lo} … ${hi}`);
  await lab.getByRole("combobox", { name: "αₖ of update k" }).selectOption("exponential");
  await lab.getByRole("spinbutton", { name: "Factor γ" }).fill("0.98");
  await lab.getByRole("spinbutton", { name: "Factor γ" }).press("Enter");
  await page.evaluate(() => document.activeElement?.blur());
  assert.equal(await readout(lab, "iteration t"), "200");
  const run = await descentRun(page);
  close(run[200].lr, Number((0.3 * 0.98 ** 199).toPrecision(6)), 1e-12, "the last update's α is 0.3·0.98¹⁹⁹, to six digits");
  const [calmLo, calmHi] = spread(run);
  assert.ok(calmHi - calmLo < 0.01 && (hi - lo) / (calmHi - calmLo) > 100, `decaying α: ${calmLo} … ${calmHi}`);
  assert.ok(Math.abs(run[200].J - 0.487) < 0.005, `J ends at ${run[200].J}`);
  await closeLesson(opened);
});

test("lesson slope: x shrinks by 0.8 a step on x², 0.9216 after three and below 0.01 after 24; the readout writes f′ and the step; the tangent is drawn", async () => {
  const opened = await openLesson("slope");
  const { page } = opened;
  const lab = descentLab(page);
  assert.equal(await readout(lab, "theta"), "1.8");
  let shown = await shownReadout(lab);
  assert.equal(shown.update[0], "g⁽⁰⁾ = f′(x⁽⁰⁾) = 3.6");
  assert.equal(shown.update[1], "x⁽¹⁾ = x⁽⁰⁾ − α·g⁽⁰⁾ = 1.8 − 0.1·3.6 = 1.44");
  const before = await picture(lab, /^Surface chart/);
  await play(page, 3);
  assert.equal(await readout(lab, "theta"), "0.9216");
  assert.notEqual(await picture(lab, /^Surface chart/), before, "the tangent and the points move");
  await play(page, 20);
  assert.ok(Number(await readout(lab, "theta")) > 0.01, "23 steps: not yet");
  await play(page, 1);
  close(Number(await readout(lab, "theta")), 1.8 * 0.8 ** 24, 1e-6, "x after 24 steps");
  assert.ok(Number(await readout(lab, "theta")) < 0.01);
  await closeLesson(opened);
});

test("lesson bounce: at α = 1.1 x changes sign every step and grows by 1.2, f by 1.44; at 0.9 it still bounces but shrinks", async () => {
  const opened = await openLesson("bounce");
  const { page } = opened;
  const lab = descentLab(page);
  assert.match(await page.locator("#lr-bound").textContent(), /^On this parabola, plain descent diverges for α > 2\/f″ = 1\.00/);
  const xs = [Number(await readout(lab, "theta"))];
  const fs = [Number(await readout(lab, "loss J"))];
  for (let k = 0; k < 8; k++) {
    await play(page, 1);
    xs.push(Number(await readout(lab, "theta")));
    fs.push(Number(await readout(lab, "loss J")));
  }
  for (const r of ratios(xs)) close(r, -1.2, 1e-5, "xₜ₊₁/xₜ");
  for (const r of ratios(fs)) close(r, 1.44, 1e-5, "f(xₜ₊₁)/f(xₜ)");
  await typeLearningRate(page, 0.9);
  const again = [Number(await readout(lab, "theta"))];
  for (let k = 0; k < 8; k++) again.push(xs[0] * (-0.8) ** (k + 1));
  const shownAt = Number(await readout(lab, "iteration t"));
  assert.equal(shownAt, 8, "the same 8 steps again at α = 0.9");
  close(again[0], again[8], 1e-6, "x after 8 steps at α = 0.9: (−0.8)⁸·0.5");
  await closeLesson(opened);
});
