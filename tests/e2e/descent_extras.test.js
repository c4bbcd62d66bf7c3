// The descent lab's comparisons and variants as a person uses them: learning-rate
// schedules and mini-batches (stochastic descent) on the seed's regression.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pagePerTest } from "./browser.js";

const session = pagePerTest();

const lab = () => session.page.getByRole("tabpanel", { name: "Descent lab" });
const button = (name) => lab().getByRole("button", { name, exact: true });
const output = (name) => lab().getByRole("status", { name, exact: true });
const field = (name) => lab().getByRole("spinbutton", { name, exact: true });
const message = () => lab().getByRole("alert");
const updateText = () => lab().getByRole("list", { name: "Next update, written out" }).textContent();

async function type(name, value) {
  await field(name).fill(String(value));
  await field(name).press("Enter");
}

async function steps(n) {
  for (let i = 0; i < n; i++) await button("Step").click();
  await output("iteration t").filter({ hasText: new RegExp(`^${n}$`) }).waitFor();
}

/** "(a, b)" as two numbers. */
const pair = (text) => text.slice(1, -1).split(", ").map(Number);

test("a schedule changes αₖ in the readout and the written update, and a bad constant is named", async () => {
  await lab().getByRole("combobox", { name: "αₖ of update k" }).selectOption({ label: "Step decay" });
  await type("Every (updates)", 2);
  await type("Factor γ", 0.5);
  await steps(3);
  // α₀ = 0.1 on the seed's regression: α₃ = 0.1·0.5^⌊3/2⌋ = 0.05.
  assert.equal(await output("learning rate").textContent(), "0.05");
  assert.match(await updateText(), /αₖ at k = 3: αₖ = α₀·0\.5\^⌊k\/2⌋ with α₀ = 0\.1 → 0\.05/);
  assert.match(await updateText(), /θ⁽⁴⁾ = θ⁽³⁾ − αₖ·g⁽³⁾ = \(.*\) − 0\.05·\(/);
  assert.ok(await lab().getByRole("img", { name: /schedule's learning rate/ }).isVisible(), "the chart of αₖ");
  await type("Factor γ", -1);
  await message().filter({ hasText: /gamma must be a number above 0/ }).waitFor();
  assert.equal(await lab().locator("#schedule-formula").textContent(), "αₖ = α₀·0.5^⌊k/2⌋", "the schedule in force is kept");
  assert.equal(await output("learning rate").textContent(), "0.05");
  assert.deepEqual(session.errors, []);
});

test("batch size m is the seed's full batch; batch size 1 takes a noisy path and counts epochs", async () => {
  const losses = async (n) => {
    const seen = [];
    for (let i = 0; i < n; i++) {
      await button("Step").click();
      await output("iteration t").filter({ hasText: new RegExp(`^${i + 1}$`) }).waitFor();
      seen.push(Number(await output("loss J").textContent()));
    }
    return seen;
  };
  const full = await losses(12);
  const fullTheta = pair(await output("theta").textContent());
  await button("Reset").click();
  await type("Batch size", 30);
  const whole = await losses(12);
  assert.deepEqual(whole, full, "m = 30 rows: the seed's run, digit for digit");
  assert.deepEqual(pair(await output("theta").textContent()), fullTheta);
  assert.ok(await output("epoch").isHidden(), "no epochs to count with the full batch");

  await button("Reset").click();
  await type("Batch size", 1);
  const noisy = await losses(40);
  assert.ok(full.every((v, i) => i === 0 || v < full[i - 1]), "the full batch descends at every step");
  assert.ok(noisy.some((v, i) => i > 0 && v > noisy[i - 1]), `one point at a time, J goes up now and then: ${noisy}`);
  assert.equal(await output("epoch").textContent(), "1", "update 40 is in the second pass over 30 points");
  assert.match(await updateText(), /^g⁽⁴⁰⁾ = ∇J_b\(θ⁽⁴⁰⁾\) over the batch of rows \d+ = /);

  for (const bad of [0, 31]) {
    await type("Batch size", bad);
    await message().filter({ hasText: /batch size must be between 1 and m = 30/ }).waitFor();
    assert.equal(await output("iteration t").textContent(), "40", "the run is kept");
  }
  assert.deepEqual(session.errors, []);
});

test("a link keeps the schedule, the batch size and the seed", async () => {
  const hash = "#lab=descent&surface=linear_regression&lr=0.1&sched=exponential&sched_gamma=0.9&batch=4&seed=7&start=0,0&t=9";
  await session.page.goto(new URL(hash, session.page.url()).href);
  await session.page.reload();
  await session.page.waitForSelector("body[data-ready=true]");
  await output("iteration t").filter({ hasText: /^9$/ }).waitFor();
  assert.equal(await lab().getByRole("combobox", { name: "αₖ of update k" }).inputValue(), "exponential");
  assert.equal(await field("Batch size").inputValue(), "4");
  assert.equal(await field("Seed").inputValue(), "7");
  // α₉ = 0.1·0.9⁹.
  assert.equal(Number(await output("learning rate").textContent()), Number((0.1 * 0.9 ** 9).toPrecision(6)));
  assert.equal(await output("epoch").textContent(), "1", "update 9 is in the second pass of eight batches of 4");
  assert.deepEqual(session.errors, []);
});

const raceRows = () => lab().getByRole("table", { name: "Race" }).locator("tbody tr");

/** The race's table as the page shows it: one object a row. */
async function raceTable() {
  return raceRows().evaluateAll((rows) => rows.map((tr) => {
    const cells = [...tr.cells].map((td) => td.textContent.trim());
    return { shown: tr.cells[0].querySelector("input").checked, rule: cells[1], lr: Number(cells[2]), t: Number(cells[3]), theta: cells[4], J: cells[5], status: cells[7] };
  }));
}

test("a race: every rule steps together, runs are added, removed and changed, and one that diverges stops alone", async () => {
  await lab().getByRole("combobox", { name: "Loss surface" }).selectOption("quadratic");
  await lab().getByRole("checkbox", { name: "Race every update rule" }).check();
  assert.equal(await raceRows().count(), 6);
  assert.deepEqual((await raceTable()).map((r) => r.rule), ["Gradient descent", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam"]);
  await steps(5);
  assert.ok((await raceTable()).every((r) => r.t === 5), "all at t = 5");
  // The shown run is the first; α = 5 makes it diverge while the others go on.
  const lrField = lab().getByRole("spinbutton", { name: "Learning rate α value" });
  await lrField.fill("5");
  await lrField.press("Enter");
  await lab().getByRole("button", { name: "To the end", exact: true }).click();
  await lab().getByRole("button", { name: "To the end", exact: true }).filter({ hasText: "To the end" }).waitFor();
  let rows = await raceTable();
  assert.match(rows[0].status, /^diverged at \d+$/);
  const k = Number(rows[0].status.match(/\d+/)[0]);
  assert.equal(rows[0].t, k - 1, "it stopped before the update that overflowed");
  assert.ok(rows.slice(1).every((r) => /^Converged at iteration \d+/.test(r.status)), `the others went on and converged: ${rows.map((r) => r.status)}`);
  assert.ok(rows.slice(1).some((r) => r.t > k), "past the divergence");
  // Back undoes the last press for every run.
  const clockRun = rows.reduce((a, r) => (r.t > a.t ? r : a));
  await lab().getByRole("button", { name: "Back", exact: true }).click();
  rows = await raceTable();
  assert.equal(rows.find((r) => r.rule === clockRun.rule).t, clockRun.t - 1);
  // Pick Adam: the readout and the settings are its own.
  await lab().getByRole("radio", { name: /Show run 6, Adam/ }).check();
  assert.equal(await lab().getByRole("combobox", { name: "Update rule" }).inputValue(), "adam");
  await lab().getByRole("button", { name: "Remove run 1, Gradient descent" }).click();
  assert.equal(await raceRows().count(), 5);
  await lab().getByRole("button", { name: "Add run", exact: true }).click();
  rows = await raceTable();
  assert.equal(rows.length, 6);
  assert.deepEqual([rows[5].rule, rows[5].shown], ["Gradient descent", true], "the missing rule comes back, shown");
  assert.ok(await lab().getByRole("button", { name: "Add run", exact: true }).isDisabled(), "six at most");
  // Clicking the surface restarts every run from there.
  const chart = lab().getByRole("img", { name: /^Surface chart/ });
  const box = await chart.boundingBox();
  await chart.click({ position: { x: box.width * 0.3, y: box.height * 0.4 } });
  rows = await raceTable();
  assert.ok(rows.every((r) => r.t === 0 && r.theta === rows[0].theta), "all at t = 0 from one start");
  assert.deepEqual(session.errors, []);
});

test("a link reopens a race, and ending the race goes on with the shown run", async () => {
  await lab().getByRole("combobox", { name: "Loss surface" }).selectOption("rosenbrock");
  await lab().getByRole("checkbox", { name: "Race every update rule" }).check();
  await lab().getByRole("radio", { name: /Show run 2, Momentum/ }).check();
  await steps(7);
  const before = await raceTable();
  await session.page.getByRole("button", { name: "Copy link" }).click();
  const link = await session.page.evaluate(() => location.href);
  assert.match(link, /race=6/);
  await session.page.goto("about:blank");
  await session.page.goto(link);
  await session.page.waitForSelector("body[data-ready=true]");
  await output("iteration t").filter({ hasText: /^7$/ }).waitFor();
  assert.deepEqual(await raceTable(), before, "the same runs, the same numbers, the same run shown");
  await lab().getByRole("checkbox", { name: "Race every update rule" }).uncheck();
  assert.ok(await lab().getByRole("table", { name: "Race" }).isHidden());
  assert.equal(await lab().getByRole("combobox", { name: "Update rule" }).inputValue(), "momentum");
  assert.equal(await output("iteration t").textContent(), "7");
  assert.deepEqual(session.errors, []);
});

test("the sweep draws J after N steps against α; a click on it takes that α and re-runs", async () => {
  await lab().getByRole("combobox", { name: "Loss surface" }).selectOption("quadratic");
  await steps(20);
  const sweep = lab().getByRole("img", { name: /^Learning-rate sweep/ });
  assert.ok(await sweep.isHidden());
  await lab().getByRole("checkbox", { name: "Show J after N steps against α" }).check();
  assert.equal(await field("Steps N").inputValue(), "20", "N is the iteration reached");
  assert.equal(await field("Values").inputValue(), "200");
  await sweep.waitFor();
  // The sweep is drawn: its canvas holds more than one colour.
  const colours = () => sweep.evaluate((canvas) => {
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4 * 97) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    return seen.size;
  });
  assert.ok((await colours()) > 5);
  const box = await sweep.boundingBox();
  await sweep.click({ position: { x: box.width * 0.45, y: box.height * 0.5 } });
  const lr = Number(await lab().getByRole("spinbutton", { name: "Learning rate α value" }).inputValue());
  // The sweep's α are 10⁻⁴·10^(5k/199): a click lands on one of them.
  const k = (Math.log10(lr) + 4) * 199 / 5;
  assert.ok(Math.abs(k - Math.round(k)) < 1e-6, `α = ${lr} is the sweep's value number ${k}`);
  assert.equal(await output("iteration t").textContent(), "20", "the run re-ran to the same iteration");
  assert.equal(await output("learning rate").textContent(), String(Number(lr.toPrecision(6))));
  // A bad range is named and the sweep kept.
  await type("From α", 100);
  await message().filter({ hasText: /reversed/ }).waitFor();
  assert.ok(await sweep.isVisible());
  await lab().getByRole("checkbox", { name: "Show J after N steps against α" }).uncheck();
  assert.ok(await sweep.isHidden());
  assert.deepEqual(session.errors, []);
});

test("hovering a loss chart shows the iteration there and its exact J", async () => {
  await steps(10);
  const chart = lab().getByRole("img", { name: "Loss against iteration" });
  const box = await chart.boundingBox();
  // The plot spans t = 0 … 10 (at least ten wide); move along it until the tip names t = 5.
  let text = "";
  for (let x = 0.1; x < 0.95 && !text.startsWith("t = 5 "); x += 0.01) {
    await chart.hover({ position: { x: box.width * x, y: box.height * 0.5 } });
    text = (await session.page.locator("#hover-tip").isVisible()) ? await session.page.locator("#hover-tip").textContent() : "";
  }
  assert.match(text, /^t = 5 · J = \S+$/);
  await button("Back").click();
  for (let i = 0; i < 5; i++) await button("Back").click();
  await output("iteration t").filter({ hasText: /^4$/ }).waitFor();
  await button("Step").click();
  await output("iteration t").filter({ hasText: /^5$/ }).waitFor();
  assert.equal(text, `t = 5 · J = ${await output("loss J").textContent()}`, "the readout's J at t = 5");
  await session.page.mouse.move(1, 1);
  assert.ok(await session.page.locator("#hover-tip").isHidden());
  assert.deepEqual(session.errors, []);
});
