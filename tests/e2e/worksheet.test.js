// "Print a worksheet": the first steps as a table with the chosen cells blank,
// and an answer key on a page of its own, printed on A4 and Letter.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage } from "./browser.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

/** The cells of the tables of #worksheet: [student's table, answer key], each a list of rows of texts (null for a blank). */
function tables(page) {
  return page.evaluate(() => [...document.querySelectorAll("#worksheet .ws-table:not(.narrow)")].map((t) =>
    [...t.tBodies[0].rows].map((r) => [...r.cells].map((c) => (c.classList.contains("blank") ? null : c.textContent)))));
}

/** The PDF's number of pages. */
const pages = (pdf) => (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;

test("the descent lab's worksheet lists the first steps from the start with the chosen cells blank, and a key of every number", async () => {
  const { page, errors } = await openPage(browser, { path: "#lab=descent&steps=4" });
  await page.evaluate(() => { window.print = () => { window.printed = (window.printed ?? 0) + 1; }; });
  const lab = page.getByRole("tabpanel", { name: "Descent lab" });
  await lab.getByRole("button", { name: "Print a worksheet" }).click();
  const dialog = page.getByRole("dialog", { name: "Print a worksheet" });
  await dialog.getByLabel("Steps (1 to 10)").fill("0");
  await dialog.getByRole("button", { name: "Print", exact: true }).click();
  assert.equal(await dialog.getByRole("alert").textContent(), "No worksheet: a worksheet lists 1 to 10 steps, not 0.");
  await dialog.getByLabel("Steps (1 to 10)").fill("2");
  await dialog.getByLabel("the step α·d").check();
  await dialog.getByRole("button", { name: "Print", exact: true }).click();
  assert.equal(await page.evaluate(() => window.printed), 1, "printed once");
  const [student, key] = await tables(page);
  assert.equal(student.length, 2);
  assert.deepEqual(student.map((row) => row.map((cell) => cell === null)), [[false, false, false, true, true, true], [false, false, false, true, true, true]]);
  assert.deepEqual(student.map((row) => row.slice(0, 3)), key.map((row) => row.slice(0, 3)), "the given cells are the key's");
  // Step by hand at the page: the key's θ after two steps is the readout's.
  await lab.getByRole("button", { name: "Reset", exact: true }).click();
  for (let i = 0; i < 2; i++) await lab.getByRole("button", { name: "Step", exact: true }).click();
  assert.equal(key[1][5], await lab.getByRole("status", { name: "theta", exact: true }).textContent());
  assert.equal(await page.locator("#worksheet .ws-working > li").count(), 2, "each step written out");
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator("#descent-panel").isVisible(), false, "only the worksheet prints");
  assert.equal(await page.locator("#worksheet .answer-key").evaluate((key) => getComputedStyle(key).breakBefore), "page");
  for (const format of ["A4", "Letter"]) assert.ok(pages(await page.pdf({ format })) >= 2, `${format}: the key on a page of its own`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the backprop lab's worksheet follows the chosen weight through the first updates", async () => {
  const { page, errors } = await openPage(browser, { path: "#lab=network" });
  await page.evaluate(() => { window.print = () => {}; });
  const lab = page.getByRole("tabpanel", { name: "Backprop lab" });
  await lab.getByRole("button", { name: "Print a worksheet" }).click();
  await page.getByRole("dialog", { name: "Print a worksheet" }).getByRole("button", { name: "Print", exact: true }).click();
  const [student, key] = await tables(page);
  assert.equal(student.length, 3, "three updates by default");
  assert.deepEqual(student[0].map((cell) => cell === null), [false, false, false, true, false, true]);
  // The first update by phases at the page: the weight after it is the key's.
  const phases = await lab.getByRole("button", { name: "Step phase", exact: true });
  const name = await lab.getByRole("status", { name: "selected weight", exact: true }).textContent();
  assert.match(await page.locator("#worksheet h1").first().textContent(), new RegExp(`^Backpropagation by hand: ${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} over 3 updates$`));
  while (!(await lab.locator("#nn-phase-title").textContent()).endsWith("Update")) await phases.click();
  await phases.click();
  assert.equal(key[0][5], await lab.getByRole("status", { name: "selected weight value", exact: true }).textContent());
  assert.deepEqual(errors, []);
  await page.close();
});
