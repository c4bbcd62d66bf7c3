// Playing a lesson as a class sees it, and reading its claim off the page:
// shared by the lesson tests of both labs.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage } from "./browser.js";

// ---------------------------------------------------------------------------
// What each lesson says happens, happens: the lesson is opened from the menu,
// played with → at its own settings for as many steps as a class sees in
// about 20 s of Play at the page's speed, and its claim is read off the page
// (the readout, the run's exported table, the charts).

let browser;

/** Launches one browser for the file's lesson tests, and closes it after them. */
export function withLessonBrowser() {
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser.close();
  });
}

/** A fresh page at lesson `id`, chosen from the Lesson menu; the keys then go to the page, not the menu. */
export async function openLesson(id) {
  const opened = await openPage(browser);
  await opened.page.getByLabel("Lesson", { exact: true }).selectOption(id);
  await opened.page.evaluate(() => document.activeElement?.blur());
  return opened;
}

/** Closes a lesson's page, which must have shown no error. */
export async function closeLesson({ page, errors }) {
  assert.deepEqual(errors, [], "no console errors");
  await page.close();
}

export const descentLab = (page) => page.getByRole("tabpanel", { name: "Descent lab" });
export const networkLab = (page) => page.getByRole("tabpanel", { name: "Backprop lab" });
export const readout = (lab, name) => lab.getByRole("status", { name, exact: true }).textContent();

/** "(a, b)" as two numbers. */
export function pair(text) {
  const match = text.match(/^\((\S+), (\S+)\)$/);
  assert.ok(match, `a pair: ${text}`);
  return [Number(match[1]), Number(match[2])];
}

/** Fails unless `n` steps (or epochs) take at most 20 s of Play at the speed the lab shows ("Speed: at most 10 steps/s"). */
export async function withinTwentySeconds(lab, n) {
  const speed = Number((await lab.getByText(/^Speed: at most \d+ (steps|epochs)\/s$/).textContent()).match(/\d+/)[0]);
  assert.ok(speed > 0 && n / speed <= 20, `${n} steps take ${n / speed} s of Play at ${speed} a second`);
}

/**
 * Presses → `n` times (n steps, or n epochs), after checking that Play at the
 * speed the page shows would take at most 20 s for them. The presses are sent
 * without waiting for each to land, like a key held down; the page must have
 * taken every one.
 */
export async function play(page, n) {
  const network = await networkLab(page).isVisible();
  const lab = network ? networkLab(page) : descentLab(page);
  await withinTwentySeconds(lab, n);
  const counter = network ? "epoch" : "iteration t";
  const from = Number(await readout(lab, counter));
  await Promise.all(Array.from({ length: n }, () => page.keyboard.press("ArrowRight")));
  assert.equal(await readout(lab, counter), String(from + n), `${n} presses of →, ${n} steps`);
}

/** The run's table, exported as CSV with the lab's button: a header and one array of numbers a row (null when empty; the last column is a note, not a number). */
export async function table(lab) {
  const [file] = await Promise.all([lab.page().waitForEvent("download"), lab.getByRole("button", { name: "Table (CSV)", exact: true }).click()]);
  const chunks = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk);
  const [head, ...lines] = Buffer.concat(chunks).toString("utf8").trim().split("\n");
  await lab.page().evaluate(() => document.activeElement?.blur());
  return { head: head.split(","), rows: lines.map((line) => line.split(",").map((v) => (v === "" ? null : Number(v)))) };
}

/** The descent run as exported: θ, J and ∇J of each iteration 0 … t, checked against the readout at t. */
export async function descentRun(page) {
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
export async function trainingRun(page) {
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
export const ratios = (values) => values.slice(1).map((v, k) => v / values[k]);
/** How many times the sequence changes sign. */
export const signChanges = (values) => values.slice(1).filter((v, k) => Math.sign(v) !== Math.sign(values[k]) && v !== 0 && values[k] !== 0).length;
export const close = (a, b, tolerance, what) => assert.ok(Math.abs(a - b) <= tolerance, `${what}: ${a}, not ${b} ± ${tolerance}`);

/** Sets the descent lab's α as a user types it. */
export async function typeLearningRate(page, value) {
  const field = descentLab(page).getByRole("spinbutton", { name: "Learning rate α value" });
  await field.fill(String(value));
  await field.press("Enter");
  await page.evaluate(() => document.activeElement?.blur());
}

/** Sets momentum μ in its field. */
export async function typeMomentum(page, value) {
  const field = descentLab(page).getByRole("spinbutton", { name: "Momentum μ" });
  await field.fill(String(value));
  await field.press("Enter");
  await page.evaluate(() => document.activeElement?.blur());
}

/** The descent lab's readout as shown, read at once: t, θ, J, ∇J, α and the lines of the next update. */
export function shownReadout(lab) {
  return lab.getByRole("region", { name: "Readout" }).evaluate((box) => {
    const out = (name) => box.querySelector(`output[aria-label="${name}"]`).textContent;
    const update = [...box.querySelectorAll("ol li")].map((item) => item.textContent);
    return { t: out("iteration t"), theta: out("theta"), J: out("loss J"), gradient: out("gradient"), lr: out("learning rate"), update };
  });
}

export const picture = (lab, name) => lab.getByRole("img", { name }).evaluate((c) => c.toDataURL());
