// Lessons: each opens its lab at its state, with its explanation and only the controls it needs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage } from "./browser.js";
import { LESSONS } from "../../www/lessons.js";

let browser;
let page;
let errors;

before(async () => {
  browser = await launch();
  ({ page, errors } = await openPage(browser));
});

after(async () => {
  assert.deepEqual(errors, [], "no console errors");
  await browser.close();
});

test("there are the fourteen lessons the classroom needs", () => {
  assert.equal(LESSONS.length, 14);
  assert.equal(new Set(LESSONS.map((l) => l.id)).size, 14);
});

for (const lesson of LESSONS) {
  test(`lesson "${lesson.title}" opens cleanly`, async () => {
    await page.getByLabel("Lesson", { exact: true }).selectOption(lesson.id);
    const lab = lesson.link.startsWith("lab=network") ? "Backprop lab" : "Descent lab";
    assert.equal(await page.getByRole("tab", { name: lab }).getAttribute("aria-selected"), "true");
    const panel = page.getByRole("complementary", { name: lesson.title });
    assert.equal(await panel.getByRole("paragraph").first().textContent(), lesson.text);
    const notice = lab === "Backprop lab" ? page.locator("#nn-message") : page.locator("#message");
    assert.equal(await notice.textContent(), "", "every value of the lesson's link is used");
    for (const group of ["surface", "optimizer", "data", "network", "training"]) {
      // The hidden attribute itself: a group in the other lab's tab is out of sight anyway.
      const hidden = (await page.locator(`[data-group="${group}"]`).first().getAttribute("hidden")) !== null;
      assert.equal(hidden, lesson.hide.includes(group), `${group} hidden: ${hidden}`);
    }
    assert.ok(page.url().includes(`lesson=${lesson.id}`), "the lesson is in the address");
  });
}

test("the XOR lesson starts without a hidden layer; the stability lesson marks 2/λmax on the slider", async () => {
  await page.getByLabel("Lesson", { exact: true }).selectOption("xor");
  assert.equal(await page.locator("#nn-layers .layer").count(), 0);
  await page.getByLabel("Lesson", { exact: true }).selectOption("stability-bound");
  // The mark sits under α = 0.2 of the log track, 2/λmax: (log₁₀ 0.2 + 4)/5 of the way along it, as the slider's thumb would.
  const { mark, track, at } = await page.evaluate(() => {
    const box = (id) => document.getElementById(id).getBoundingClientRect();
    const slider = document.getElementById("lr-slider");
    const saved = slider.value;
    slider.value = String(Math.log10(0.2));
    const at = slider.value;
    slider.value = saved;
    const m = box("lr-bound-mark");
    return { mark: m.left + m.width / 2, track: box("lr-slider"), at };
  });
  const expected = track.left + 8 + (track.width - 16) * ((Number(at) + 4) / 5);
  assert.ok(Math.abs(mark - expected) < 3, `the 2/λmax mark at ${mark} px, the slider's 0.2 at ${expected} px`);
  assert.equal(await page.locator("#lr-bound-mark").textContent(), "▲ 2/λmax");
  const label = await page.locator('#lr-scale [data-at="0.01"]').boundingBox();
  const hundredth = track.left + 8 + (track.width - 16) * 0.4;
  assert.ok(Math.abs(label.x + label.width / 2 - hundredth) < 3, "the scale's 0.01 sits at 40 % of the log track");
  await page.getByRole("button", { name: "Show all controls" }).click();
  assert.ok(await page.locator('[data-group="surface"]').isVisible());
  await page.getByRole("button", { name: "Close the lesson" }).click();
  assert.ok(await page.getByRole("complementary").isHidden());
});

test("a teacher hides controls from the menu, and the link keeps them hidden", async () => {
  await page.getByRole("tab", { name: "Descent lab" }).click();
  await page.getByText("Hide controls").click();
  await page.getByRole("checkbox", { name: "surface (descent)" }).check();
  assert.equal(await page.locator('[data-group="surface"]').getAttribute("hidden"), "");
  await page.getByRole("button", { name: "Copy link" }).click();
  const link = page.url();
  assert.match(link, /hide=surface/);
  const again = await openPage(browser, { path: link.slice(link.indexOf("#")) });
  assert.equal(await again.page.locator('[data-group="surface"]').getAttribute("hidden"), "");
  assert.ok(await again.page.getByRole("checkbox", { name: "surface (descent)", includeHidden: true }).isChecked());
  assert.deepEqual(again.errors, []);
  await again.page.close();
});

test("on a phone the page reflows and a tap chooses the start point", async () => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const problems = [];
  phone.on("pageerror", (e) => problems.push(String(e)));
  await phone.goto(page.url().split("#")[0]);
  await phone.waitForSelector("body[data-ready=true]");
  const lab = phone.getByRole("tabpanel", { name: "Descent lab" });
  const canvas = lab.getByRole("img", { name: /^Surface chart/ });
  const box = await canvas.boundingBox();
  assert.ok(box.width <= 390, `the surface chart fits the phone (${box.width} px)`);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 392, `no sideways scrolling (${width} px)`);
  await canvas.tap({ position: { x: box.width * 0.35, y: box.height * 0.45 } });
  assert.notEqual(await lab.getByRole("status", { name: "theta", exact: true }).textContent(), "(0, 0)");
  assert.deepEqual(problems, []);
  await phone.close();
});

// ---------------------------------------------------------------------------
// What each lesson says happens, happens: the lesson is opened from the menu,
// played with → at its own settings for as many steps as a class sees in
// about 20 s of Play at the page's speed, and its claim is read off the page
// (the readout, the run's exported table, the charts).

/** A fresh page at lesson `id`, chosen from the Lesson menu; the keys then go to the page, not the menu. */
async function openLesson(id) {
  const opened = await openPage(browser);
  await opened.page.getByLabel("Lesson", { exact: true }).selectOption(id);
  await opened.page.evaluate(() => document.activeElement?.blur());
  return opened;
}

/** Closes a lesson's page, which must have shown no error. */
async function closeLesson({ page, errors }) {
  assert.deepEqual(errors, [], "no console errors");
  await page.close();
}

const descentLab = (page) => page.getByRole("tabpanel", { name: "Descent lab" });
const networkLab = (page) => page.getByRole("tabpanel", { name: "Backprop lab" });
const readout = (lab, name) => lab.getByRole("status", { name, exact: true }).textContent();

/** "(a, b)" as two numbers. */
function pair(text) {
  const match = text.match(/^\((\S+), (\S+)\)$/);
  assert.ok(match, `a pair: ${text}`);
  return [Number(match[1]), Number(match[2])];
}

/** Fails unless `n` steps (or epochs) take at most 20 s of Play at the speed the lab shows ("Speed: 10 steps/s"). */
async function withinTwentySeconds(lab, n) {
  const speed = Number((await lab.getByText(/^Speed: \d+ (steps|epochs)\/s$/).textContent()).match(/\d+/)[0]);
  assert.ok(speed > 0 && n / speed <= 20, `${n} steps take ${n / speed} s of Play at ${speed} a second`);
}

/**
 * Presses → `n` times (n steps, or n epochs), after checking that Play at the
 * speed the page shows would take at most 20 s for them. The presses are sent
 * without waiting for each to land, like a key held down; the page must have
 * taken every one.
 */
async function play(page, n) {
  const network = await networkLab(page).isVisible();
  const lab = network ? networkLab(page) : descentLab(page);
  await withinTwentySeconds(lab, n);
  const counter = network ? "epoch" : "iteration t";
  const from = Number(await readout(lab, counter));
  await Promise.all(Array.from({ length: n }, () => page.keyboard.press("ArrowRight")));
  assert.equal(await readout(lab, counter), String(from + n), `${n} presses of →, ${n} steps`);
}

/** The run's table, exported as CSV with the lab's button: a header and one array of numbers a row (null when empty; the last column is a note, not a number). */
async function table(lab) {
  const [file] = await Promise.all([lab.page().waitForEvent("download"), lab.getByRole("button", { name: "Table (CSV)", exact: true }).click()]);
  const chunks = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk);
  const [head, ...lines] = Buffer.concat(chunks).toString("utf8").trim().split("\n");
  await lab.page().evaluate(() => document.activeElement?.blur());
  return { head: head.split(","), rows: lines.map((line) => line.split(",").map((v) => (v === "" ? null : Number(v)))) };
}

/** The descent run as exported: θ, J and ∇J of each iteration 0 … t, checked against the readout at t. */
async function descentRun(page) {
  const lab = descentLab(page);
  const { head, rows } = await table(lab);
  assert.deepEqual(head.slice(3), ["J", head[4], head[5], "α", "note"]);
  const run = rows.map(([t, a, b, J, ga, gb, lr]) => ({ t, theta: [a, b], J, g: [ga, gb], lr }));
  const last = run[run.length - 1];
  assert.equal(String(last.t), await readout(lab, "iteration t"), "the table ends at the readout's iteration");
  assert.deepEqual(last.theta, pair(await readout(lab, "theta")), "the table's last θ is the readout's");
  assert.equal(last.J, Number(await readout(lab, "loss J")));
  return run;
}

/** The training run as exported: losses, accuracies and gradient norms of each epoch, checked against the readout. */
async function trainingRun(page) {
  const lab = networkLab(page);
  const { head, rows } = await table(lab);
  assert.deepEqual(head.slice(0, 6), ["epoch", "update", "train loss", "test loss", "train accuracy", "test accuracy"]);
  const run = rows.map((r) => ({ epoch: r[0], loss: r[2], accuracy: r[4], testAccuracy: r[5], norms: r.slice(6, head.indexOf("note")) }));
  const last = run[run.length - 1];
  assert.equal(String(last.epoch), await readout(lab, "epoch"));
  assert.equal(last.loss, Number(await readout(lab, "train loss")));
  const shown = (await readout(lab, "accuracy")).match(/^(\S+)% \/ (\S+)%$/);
  close(last.accuracy, Number(shown[1]) / 100, 5e-4, "the readout's train accuracy, in per cent");
  close(last.testAccuracy, Number(shown[2]) / 100, 5e-4, "the readout's test accuracy, in per cent");
  const norms = (await readout(lab, "gradient norm per layer")).split(", ").map((item) => Number(item.split(": ")[1]));
  assert.equal(norms.length, last.norms.length);
  norms.forEach((g, i) => close(g, last.norms[i], 1e-5 * g, `the readout's gradient norm of layer ${i + 1}`));
  return run;
}

/** Each ratio a[k+1]/a[k]. */
const ratios = (values) => values.slice(1).map((v, k) => v / values[k]);
/** How many times the sequence changes sign. */
const signChanges = (values) => values.slice(1).filter((v, k) => Math.sign(v) !== Math.sign(values[k]) && v !== 0 && values[k] !== 0).length;
const close = (a, b, tolerance, what) => assert.ok(Math.abs(a - b) <= tolerance, `${what}: ${a}, not ${b} ± ${tolerance}`);

/** Sets the descent lab's α as a user types it. */
async function typeLearningRate(page, value) {
  const field = descentLab(page).getByRole("spinbutton", { name: "Learning rate α value" });
  await field.fill(String(value));
  await field.press("Enter");
  await page.evaluate(() => document.activeElement?.blur());
}

/** Sets momentum μ in its field. */
async function typeMomentum(page, value) {
  const field = descentLab(page).getByRole("spinbutton", { name: "Momentum μ" });
  await field.fill(String(value));
  await field.press("Enter");
  await page.evaluate(() => document.activeElement?.blur());
}

/** The descent lab's readout as shown, read at once: t, θ, J, ∇J, α and the lines of the next update. */
function shownReadout(lab) {
  return lab.getByRole("region", { name: "Readout" }).evaluate((box) => {
    const out = (name) => box.querySelector(`output[aria-label="${name}"]`).textContent;
    const update = [...box.querySelectorAll("ol li")].map((item) => item.textContent);
    return { t: out("iteration t"), theta: out("theta"), J: out("loss J"), gradient: out("gradient"), lr: out("learning rate"), update };
  });
}

const picture = (lab, name) => lab.getByRole("img", { name }).evaluate((c) => c.toDataURL());

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
  assert.deepEqual(escapes, { "Gradient descent (seed)": 66, Momentum: 25, Nesterov: 22, AdaGrad: 6, RMSProp: 3, Adam: 25 });
  await lab.getByRole("radio", { name: "Show run 1, Gradient descent (seed)" }).check();
  await lab.getByRole("combobox", { name: "Loss surface" }).selectOption("rosenbrock");
  await page.evaluate(() => document.activeElement?.blur());
  await play(page, 200);
  const J = Object.fromEntries((await raceRows(lab)).map((r) => [r.rule, r.J]));
  assert.ok(J["Gradient descent (seed)"] > 5 && J.AdaGrad > 5, JSON.stringify(J));
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

test("lesson xor: with no hidden layer the loss stays at ln 2 and accuracy near one half; with a layer of four tanh neurons accuracy passes 0.9 within 30 epochs", async () => {
  const opened = await openLesson("xor");
  const { page } = opened;
  const lab = networkLab(page);
  const N = 40;
  assert.equal(await lab.locator("#nn-layers .layer").count(), 0);
  await play(page, N);
  let run = await trainingRun(page);
  assert.equal(run.length, N + 1);
  for (const { epoch, loss, accuracy } of run.slice(5)) {
    close(loss, Math.LN2, 0.01, `the loss at epoch ${epoch}`);
    assert.ok(accuracy <= 0.7, `accuracy ${accuracy} at epoch ${epoch}`);
  }
  const mean = run.reduce((s, r) => s + r.accuracy, 0) / run.length;
  close(mean, 0.5, 0.1, "accuracy near one half");
  await lab.getByRole("button", { name: "Add layer", exact: true }).click();
  await page.evaluate(() => document.activeElement?.blur());
  assert.equal(await lab.getByLabel("Neurons in hidden layer 1").inputValue(), "4");
  assert.equal(await lab.getByLabel("Activation of hidden layer 1").inputValue(), "tanh");
  assert.equal(await readout(lab, "epoch"), "0", "training starts again");
  await play(page, 30);
  run = await trainingRun(page);
  const last = run[run.length - 1];
  assert.ok(last.accuracy >= 0.9 && last.testAccuracy >= 0.9, `accuracy after 30 epochs: ${last.accuracy} / ${last.testAccuracy}`);
  await closeLesson(opened);
});

test("lesson vanishing: layer 1's gradient is mostly 100 times below the output layer's and accuracy near one half; with tanh or ReLU within ten times, and accuracy passes 0.9 within 20 epochs", async () => {
  const opened = await openLesson("vanishing");
  const { page } = opened;
  const lab = networkLab(page);
  const N = 20;
  const layers = lab.locator("#nn-layers .layer");
  assert.equal(await layers.count(), 5);
  await play(page, N);
  let run = await trainingRun(page);
  let below = 0;
  for (const { epoch, norms, accuracy } of run) {
    assert.equal(norms.length, 6);
    assert.ok(norms[0] * 10 < norms[5], `epoch ${epoch}: layer 1's norm ${norms[0]}, the output layer's ${norms[5]}`);
    if (norms[0] * 100 < norms[5]) below++;
    close(accuracy, 0.5, 0.1, `accuracy at epoch ${epoch}`);
  }
  assert.ok(below >= 0.8 * run.length, `layer 1's norm is more than 100 times below the output layer's at ${below} of ${run.length} epochs`);
  for (const activation of ["tanh", "relu"]) {
    for (let i = 1; i <= 5; i++) await lab.getByLabel(`Activation of hidden layer ${i}`).selectOption(activation);
    await page.evaluate(() => document.activeElement?.blur());
    assert.equal(await readout(lab, "epoch"), "0", "training starts again");
    await play(page, N / 2);
    run = await trainingRun(page);
    for (const { epoch, norms } of run) {
      const ratio = norms[0] / norms[5];
      assert.ok(ratio > 0.1 && ratio < 10, `${activation}, epoch ${epoch}: layer 1's norm ${norms[0]}, the output layer's ${norms[5]}`);
    }
    assert.ok(run.some((r) => r.accuracy >= 0.9), `${activation}: accuracy passes 0.9 within ${N / 2} epochs`);
  }
  await closeLesson(opened);
});

/** Waits until the landscape's grid is complete. */
function landscapeDone(page) {
  return page.waitForFunction(() => /^grid 41 × 41(;|$)/.test(document.getElementById("nn-landscape-status").textContent), null, { timeout: 20_000 });
}

/**
 * Reads the loss landscape's picture around the current point, drawn at the
 * centre of a plane centred on it: viridis grows lighter as the loss grows, so
 * `rising` is the share of 72 directions in which the colour a quarter of the
 * plot away is lighter than next to the point, and `below` the share of the
 * heatmap darker than next to the point.
 */
function aroundThePoint(chart) {
  return chart.evaluate((c) => {
    const { width: w, height: h } = c;
    const data = c.getContext("2d").getImageData(0, 0, w, h).data;
    const at = (x, y) => {
      const i = 4 * (Math.round(y) * w + Math.round(x));
      return [data[i], data[i + 1], data[i + 2]];
    };
    const coloured = ([r, g, b]) => Math.max(r, g, b) - Math.min(r, g, b) > 40;
    const light = ([r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
    // The heatmap is the widest block of columns (then rows) that are mostly coloured; the colour bar is narrower.
    const widest = (n, share) => {
      let best = [0, 0];
      let start = -1;
      for (let i = 0; i <= n; i++) {
        if (i < n && share(i) > 0.5) {
          if (start < 0) start = i;
        } else if (start >= 0) {
          if (i - start > best[1] - best[0]) best = [start, i];
          start = -1;
        }
      }
      return best;
    };
    const count = (from, to, f) => {
      let k = 0;
      for (let i = from; i < to; i++) k += f(i);
      return k;
    };
    const [x0, x1] = widest(w, (x) => count(0, h, (y) => coloured(at(x, y))) / h);
    const [y0, y1] = widest(h, (y) => count(x0, x1, (x) => coloured(at(x, y))) / (x1 - x0));
    const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
    const near = (x1 - x0) / 25; // just outside the marker of the point
    const ring = [];
    const directions = [];
    for (let degrees = 0; degrees < 360; degrees += 5) {
      const [dx, dy] = [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];
      const inner = at(cx + near * dx, cy + near * dy);
      const outer = at(cx + 0.25 * (x1 - x0) * dx, cy + 0.25 * (y1 - y0) * dy);
      if (coloured(inner)) ring.push(light(inner));
      if (coloured(outer)) directions.push(light(outer));
    }
    ring.sort((a, b) => a - b);
    const here = ring[Math.floor(ring.length / 2)];
    let below = 0;
    let all = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const p = at(x, y);
        if (coloured(p)) {
          all++;
          if (light(p) < here) below++;
        }
      }
    }
    return { size: [x1 - x0, y1 - y0], rising: directions.filter((l) => l > here).length / 72, below: below / all };
  });
}

test("lesson landscape: the plane of training holds the path's spread and the path runs down the loss; after Play and Pause the surface refines; around the trained network the loss rises every way; 3-D turns", async () => {
  const opened = await openLesson("landscape");
  const { page } = opened;
  const lab = networkLab(page);
  const chart = lab.getByRole("img", { name: "Loss landscape" });
  const status = lab.locator("#nn-landscape-status");
  await landscapeDone(page);
  const shares = (await status.textContent()).match(/directions 1 and 2 hold (\S+)% and (\S+)% of the path's spread/);
  assert.ok(shares && Number(shares[1]) + Number(shares[2]) >= 90, `the plane in which the weights moved most: ${await status.textContent()}`);
  let run = await trainingRun(page);
  assert.equal(run.length, 41);
  assert.ok(run[40].loss < run[0].loss / 2, `the path runs down the loss: ${run[0].loss} → ${run[40].loss}`);
  // Play for a second at the page's speed, then Pause: the grid is drawn coarse, then refined.
  const before = await chart.evaluate((c) => c.toDataURL());
  await status.evaluate((box) => {
    window.landscapeStatuses = [];
    new MutationObserver(() => window.landscapeStatuses.push(box.textContent)).observe(box, { childList: true, characterData: true, subtree: true });
  });
  await lab.getByRole("button", { name: "Play", exact: true }).click();
  await page.waitForFunction(() => Number(document.getElementById("nn-epoch").textContent) >= 50, null, { timeout: 10_000 });
  await lab.getByRole("button", { name: "Pause", exact: true }).click();
  const epoch = Number(await readout(lab, "epoch"));
  assert.ok(epoch >= 50 && epoch <= 60, `played to epoch ${epoch}`);
  await landscapeDone(page);
  const seen = await page.evaluate(() => window.landscapeStatuses.filter((s, i, all) => s !== all[i - 1]));
  assert.ok(seen.some((s) => /refining to 41 × 41/.test(s)), `the surface refines after Pause: ${seen.join(" | ")}`);
  assert.notEqual(await chart.evaluate((c) => c.toDataURL()), before, "around the new point");
  run = await trainingRun(page);
  assert.equal(run.length, epoch + 1);
  // Two random directions: around the trained network the loss rises almost every way.
  await lab.getByLabel("Plane", { exact: true }).selectOption("random");
  await landscapeDone(page);
  const around = await aroundThePoint(chart);
  assert.ok(around.size[0] > 200 && around.size[1] > 200, `the heatmap found: ${around.size}`);
  assert.ok(around.rising >= 0.9, `the loss rises in ${around.rising * 100}% of directions`);
  assert.ok(around.below <= 0.05, `${around.below * 100}% of the plane lies below the point`);
  // 3-D, turned by dragging.
  const flat = await chart.evaluate((c) => c.toDataURL());
  await lab.getByLabel("3-D", { exact: true }).check();
  const raised = await chart.evaluate((c) => c.toDataURL());
  assert.notEqual(raised, flat, "drawn in 3-D");
  const box = await chart.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 20, { steps: 5 });
  await page.mouse.up();
  assert.notEqual(await chart.evaluate((c) => c.toDataURL()), raised, "dragging turns it");
  await closeLesson(opened);
});

test("lesson early-stopping: the test loss turns up while the training loss falls; To the end stops 20 epochs after the best test epoch, and Back restores it", async () => {
  const opened = await openLesson("early-stopping");
  const { page } = opened;
  const lab = networkLab(page);
  await lab.getByRole("button", { name: "To the end", exact: true }).click();
  const message = page.locator("#nn-message");
  await message.filter({ hasText: /^Stopped early at epoch \d+/ }).waitFor({ timeout: 20_000 });
  const [, stopped, best] = (await message.textContent()).match(/^Stopped early at epoch (\d+): the test loss has not gone below its best, \S+ at epoch (\d+), for 20 epochs$/).map(Number);
  assert.equal(stopped, best + 20);
  assert.ok(stopped < 5000, "well before the cap");
  const { rows } = await table(lab);
  const test = rows.map((r) => r[3]);
  const train = rows.map((r) => r[2]);
  const lowest = test.indexOf(Math.min(...test));
  assert.equal(lowest, best, "the best epoch is the lowest test loss of the table");
  assert.ok(test[stopped] > test[best], "the test loss turned up");
  assert.ok(train[stopped] < train[best], "while the training loss still fell");
  await lab.getByRole("button", { name: "Back to the best test epoch", exact: true }).click();
  assert.equal(await readout(lab, "epoch"), String(best));
  assert.equal(Number(await readout(lab, "test loss")), test[best]);
  await closeLesson(opened);
});

