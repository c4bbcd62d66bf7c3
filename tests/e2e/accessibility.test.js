// WCAG 2.1 A and AA as axe-core checks them, in the states a class sees:
// both labs, projector mode, every lesson, both languages, and the panels that open (the
// race, the sweeps, the range test, the gradient check, three classes, a typed
// function, the keyboard shortcuts).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { launch, openPage } from "./browser.js";

const AXE = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
const RULES = { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

/** A page at `path`, with axe-core added (the page's own CSP forbids added scripts: bypassed here alone). */
async function open(path = "", size = { width: 1280, height: 800 }) {
  const opened = await openPage(browser, { ...size, path, bypassCSP: true });
  await opened.page.addScriptTag({ content: AXE });
  return opened;
}

/** Fails with every violation axe-core finds in the page as it is now, naming `state`. */
async function noViolations(page, state) {
  const found = await page.evaluate(async (rules) => (await window.axe.run(document, rules)).violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(" | ")}`), RULES);
  assert.deepEqual(found, [], `${state}: ${found.join("\n")}`);
}

/** Runs `check` in projector mode too. */
async function plainAndProjected(page, state, check = () => noViolations(page, state)) {
  await check();
  await page.locator("#projector").check(); // by id: the page may be in Chinese
  await noViolations(page, `${state}, projector mode`);
  await page.locator("#projector").uncheck();
}

test("the descent lab: as it opens, with the race, the sweep, a typed function, a curve and the shortcuts, in projector mode too", async () => {
  const { page, errors } = await open();
  await plainAndProjected(page, "the descent lab");
  await page.getByRole("button", { name: "Step", exact: true }).click();
  await page.getByLabel("Race every update rule", { exact: true }).check();
  await plainAndProjected(page, "the race");
  await page.getByLabel("Race every update rule", { exact: true }).uncheck();
  await page.getByLabel("Show J after N steps against α", { exact: true }).check();
  await plainAndProjected(page, "the sweep");
  await page.getByLabel("Show J after N steps against α", { exact: true }).uncheck();
  for (const surface of ["typed", "curve"]) {
    await page.locator("#surface").selectOption(surface);
    await noViolations(page, `the surface ${surface}`);
  }
  await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
  await noViolations(page, "the keyboard shortcuts");
  await page.keyboard.press("Escape");
  await page.getByRole("tabpanel", { name: "Descent lab" }).getByRole("button", { name: "Print a worksheet" }).click();
  await noViolations(page, "the worksheet's dialog");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the backprop lab: as it opens, with three classes, the range test, the sweep and the gradient check, in projector mode too", async () => {
  const { page, errors } = await open("#lab=network");
  await plainAndProjected(page, "the backprop lab");
  await page.getByRole("button", { name: "Step phase", exact: true }).click();
  await page.getByRole("button", { name: "Range test", exact: true }).click();
  await page.locator("#nn-range-note").filter({ hasText: /^Suggested α ≈/ }).waitFor();
  await page.getByRole("button", { name: "Sweep α", exact: true }).click();
  await page.getByRole("button", { name: "Check gradients", exact: true }).click();
  await page.locator("#nn-check-table").waitFor();
  await plainAndProjected(page, "the range test, the sweep and the gradient check");
  await page.close();
  const three = await open("#lab=network&dataset=arms&classes=3&hidden=8:tanh&out=softmax&loss=ce&epochs=3");
  await noViolations(three.page, "three classes");
  assert.deepEqual([...errors, ...three.errors], []);
  await three.page.close();
});

test("both labs in Chinese, stepped and inside an update, in projector mode too, and the embed view", async () => {
  const { page, errors } = await open("#lang=zh");
  assert.equal(await page.evaluate(() => document.documentElement.lang), "zh-CN");
  await page.locator("#step").click();
  await plainAndProjected(page, "the descent lab in Chinese");
  await page.locator("#tab-network").click();
  await page.locator("#nn-step-epoch").click();
  for (let i = 0; i < 3; i++) await page.locator("#nn-step-phase").click();
  await plainAndProjected(page, "the backprop lab in Chinese");
  await page.close();
  const embedded = await open("#lang=zh&embed=surface,loss,step");
  await noViolations(embedded.page, "the embed view in Chinese");
  assert.deepEqual([...errors, ...embedded.errors], []);
  await embedded.page.close();
});

test("every lesson of both labs, at 1024 × 768 in projector mode (in English and in Chinese) and at a phone's width", async () => {
  const { page, errors } = await open();
  const lessons = await page.locator("#lesson option").evaluateAll((options) => options.map((o) => o.value).filter(Boolean));
  assert.ok(lessons.length >= 18, `the lessons: ${lessons}`);
  await page.close();
  for (const [size, projector, hash] of [[{ width: 1024, height: 768 }, true, ""], [{ width: 390, height: 844 }, false, ""], [{ width: 1024, height: 768 }, true, "#lang=zh"]]) {
    const opened = await open(hash, size);
    if (projector) await opened.page.locator("#projector").check();
    for (const id of lessons) {
      await opened.page.locator("#lesson").selectOption(id);
      await noViolations(opened.page, `lesson ${id} at ${size.width} px${hash ? " in Chinese" : ""}`);
    }
    errors.push(...opened.errors);
    await opened.page.close();
  }
  assert.deepEqual(errors, []);
});

test("the charts' text alternatives say what they show now, and follow the run", async () => {
  const { page, errors } = await open();
  const described = (name) => page.getByRole("img", { name }).evaluate((canvas) => document.getElementById(canvas.getAttribute("aria-describedby")).textContent);
  const j = () => page.getByRole("status", { name: "loss J", exact: true }).textContent();
  const start = await j();
  assert.equal(await described(/^Loss against iteration/), `J = ${start} at the start, before any iteration.`);
  for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Step", exact: true }).click();
  assert.equal(await described(/^Loss against iteration/), `J fell from ${start} to ${await j()} over 3 iterations.`);
  const theta = await page.getByRole("status", { name: "theta", exact: true }).textContent();
  assert.match(await described(/^Surface chart/), new RegExp(`^θ = ${theta.replace(/[()]/g, "\\$&")} after 3 iterations, from \\(`));
  await page.getByRole("tab", { name: "Backprop lab" }).click();
  const lab = page.getByRole("tabpanel", { name: "Backprop lab" });
  await lab.getByRole("button", { name: "Step epoch", exact: true }).click();
  const loss = await lab.getByRole("status", { name: "train loss", exact: true }).textContent();
  assert.match(await described(/^Loss and accuracy against epoch/), new RegExp(`^Training loss (fell|rose) from \\S+ to ${loss} over 1 epoch; `));
  assert.match(await described(/^Decision boundary/), /^The class the network gives each point of the plane after 1 epoch: \S+% of the \d+ training points lie in their own class's region\.$/);
  assert.match(await described(/^Network diagram/), /^2 inputs, a hidden layer of \d+ \S+, 1 \S+( σ)? output; the weight followed, W¹₁,₁, is \S+\.$/);
  assert.match(await described(/^Gradient norm of every layer/), /^The gradient's norm in each layer after 1 epoch: layer 1: \S+, layer 2: \S+\.$/);
  await page.waitForFunction(() => /grid, from/.test(document.getElementById("nn-landscape-canvas-text").textContent));
  assert.match(await described("Loss landscape"), /^The loss over the plane on a (6|11|21|41) × \1 grid, from \S+ to \S+\.$/);
  assert.match(await described(/^Loss along the line/), /^The loss along the straight line through the initial weights \(s = 0\) and the weights now \(s = 1\), for s from -0\.5 to 1\.5: L = \S+ at the start and \S+ now; lowest, \S+, at s = \S+\.$/);
  assert.deepEqual(errors, []);
  await page.close();
});
