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
  assert.match(await updateText(), /θ⁽⁴⁾ = θ⁽³⁾ − α·g⁽³⁾ = \(.*\) − 0\.05·\(/);
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
