// The backprop lab's learning-rate sweep: computed a slice a frame with its
// progress shown, a click takes an α, and it can be stopped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pagePerTest } from "./browser.js";

const session = pagePerTest({ prepare: (page) => page.getByRole("tab", { name: "Backprop lab" }).click() });
const lab = () => session.page.getByRole("tabpanel", { name: "Backprop lab" });
const button = (name) => lab().getByRole("button", { name, exact: true });
const note = () => session.page.locator("#nn-sweep-note");

async function setRange(lo, hi, count, epochs) {
  for (const [name, value] of [["Sweep from α", lo], ["Sweep to α", hi], ["α values", count], ["epochs each", epochs]]) {
    await lab().getByLabel(name, { exact: true }).fill(String(value));
  }
}

test("a sweep of 12 values draws the loss after 40 epochs against α, shows its progress, and a click takes one of its α", async () => {
  for (let i = 0; i < 3; i++) await button("Step epoch").click();
  const loss = await lab().getByRole("status", { name: "train loss", exact: true }).textContent();
  await setRange(0.001, 10, 12, 40);
  await button("Sweep α").click();
  await note().filter({ hasText: /^12 values of α from 0\.001 to 10, 40 epochs each/ }).waitFor({ timeout: 20_000 });
  const progress = session.page.getByRole("progressbar", { name: "Sweep progress" });
  assert.deepEqual([await progress.getAttribute("max"), await progress.evaluate((p) => String(p.value))], ["12", "12"]);
  assert.equal(await lab().getByRole("status", { name: "train loss", exact: true }).textContent(), loss, "the run itself is untouched");
  const chart = lab().getByRole("img", { name: /^Sweep/ });
  const box = await chart.boundingBox();
  await chart.click({ position: { x: box.width * 0.6, y: box.height * 0.5 } });
  const lr = Number(await lab().getByLabel("Learning rate α", { exact: true }).inputValue());
  const alphas = Array.from({ length: 12 }, (_, i) => 0.001 * 10000 ** (i / 11));
  assert.ok(alphas.some((a) => Math.abs(a - lr) < 1e-12 * a), `α taken from the sweep's own values: ${lr}`);
  await session.page.waitForFunction(() => !document.querySelector("#nn-message").textContent.startsWith("Training again"));
  assert.ok(await chart.isVisible(), "a new α keeps the sweep");
  await button("Hide sweep").click();
  assert.ok(await chart.isHidden());
});

test("a long sweep can be stopped at once, and a bad range is refused with its reason", async () => {
  await setRange(0.001, 10, 200, 2000);
  await button("Sweep α").click();
  await note().filter({ hasText: /^Computing α \d+ of 200/ }).waitFor();
  await button("Hide sweep").click();
  assert.ok(await lab().getByRole("img", { name: /^Sweep/ }).isHidden());
  await session.page.waitForTimeout(300);
  assert.ok(await lab().getByRole("img", { name: /^Sweep/ }).isHidden(), "stopped, not drawn again");
  await setRange(1, 0.1, 30, 100);
  await button("Sweep α").click();
  await session.page.locator("#nn-message").filter({ hasText: "the sweep's range is empty or reversed" }).waitFor();
  await setRange(0.001, 10, 30, 0);
  await button("Sweep α").click();
  await session.page.locator("#nn-message").filter({ hasText: "1 to 10000 epochs" }).waitFor();
});
