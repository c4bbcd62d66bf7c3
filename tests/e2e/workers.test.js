// The landscape's grid on every core: Web Workers compute it with the same
// numbers as the page alone, and where they cannot start or fail, the page
// computes it itself.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, url } from "./browser.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

/** The backprop lab at epoch 5 with its landscape of two weights complete: how many workers computed it, and its picture. */
async function landscapeOf({ prepare = async () => {} } = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await prepare(page);
  await page.goto(`${url}#lab=network&epoch=5`);
  await page.waitForSelector("body[data-ready=true]");
  await page.waitForFunction(() => {
    const canvas = document.getElementById("nn-landscape-canvas");
    return !canvas.parentElement.classList.contains("updating") && /^grid 41 × 41(;|$)/.test(document.getElementById("nn-landscape-status").textContent);
  }, null, { timeout: 30_000 });
  const status = page.locator("#nn-landscape-status");
  const result = {
    workers: Number(await status.getAttribute("data-workers")),
    picture: await page.locator("#nn-landscape-canvas").evaluate((c) => c.toDataURL()),
    errors,
  };
  await page.close();
  return result;
}

test("workers compute the landscape's grid, to the same picture as the page alone", async () => {
  const shared = await landscapeOf();
  const alone = await landscapeOf({ prepare: (page) => page.addInitScript(() => { delete window.Worker; }) });
  assert.ok(shared.workers >= 2, `at least two workers: ${shared.workers}`);
  assert.equal(alone.workers, 0, "without workers the page computes the grid itself");
  assert.equal(shared.picture, alone.picture, "the same losses, the same picture");
  assert.deepEqual([...shared.errors, ...alone.errors], []);
});

test("a worker that fails hands its shares back and the page finishes the grid", async () => {
  const broken = `addEventListener("message", ({ data }) => postMessage(data.module ? { ready: true } : { failed: "broken on purpose" }));`;
  const failing = await landscapeOf({
    prepare: (page) => page.route("**/www/worker.js", (route) => route.fulfill({ contentType: "text/javascript", body: broken })),
  });
  assert.equal(failing.workers, 0, "the workers were stopped");
  assert.deepEqual(failing.errors, []);
});

test("the Grid menu's 81 × 81 refines one level further, on the workers, and the address keeps it", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${url}#lab=network&epochs=5`);
  await page.waitForSelector("body[data-ready=true]");
  await page.getByLabel("Grid", { exact: true }).selectOption({ label: "81 × 81 (slower)" });
  await page.waitForFunction(() => /^grid 81 × 81(;|$)/.test(document.getElementById("nn-landscape-status").textContent), null, { timeout: 60_000 });
  const status = page.locator("#nn-landscape-status");
  assert.match(await status.textContent(), /^grid 81 × 81/);
  assert.ok(Number(await status.getAttribute("data-workers")) >= 2);
  await page.waitForFunction(() => location.hash.includes("grid=81"));
  // Reopened from the address, the finer grid is chosen again.
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  assert.equal(await page.getByLabel("Grid", { exact: true }).inputValue(), "81");
  assert.deepEqual(errors, []);
  await page.close();
});

/** The backprop lab's sweep of a link, computed to its end: its chart, its note and how many workers the page had. */
async function sweepOf({ prepare = async () => {} } = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await prepare(page);
  await page.goto(`${url}#lab=network&sweep=0.001,30,12,40`);
  await page.waitForSelector("body[data-ready=true]");
  await page.waitForFunction(() => / diverged\. /.test(document.getElementById("nn-sweep-note").textContent), null, { timeout: 60_000 });
  const result = {
    workers: Number(await page.locator("#nn-landscape-status").getAttribute("data-workers")),
    note: await page.locator("#nn-sweep-note").textContent(),
    picture: await page.locator("#nn-sweep-canvas").evaluate((c) => c.toDataURL()),
    errors,
  };
  await page.close();
  return result;
}

test("workers train the sweep's α values, to the same chart as the page alone", async () => {
  const shared = await sweepOf();
  const alone = await sweepOf({ prepare: (page) => page.addInitScript(() => { delete window.Worker; }) });
  assert.ok(shared.workers >= 2 && alone.workers === 0, `${shared.workers} and ${alone.workers} workers`);
  assert.match(shared.note, /^12 values of α from 0\.001 to 30, 40 epochs each/);
  assert.equal(shared.note, alone.note);
  assert.equal(shared.picture, alone.picture, "the same points, the same chart");
  assert.deepEqual([...shared.errors, ...alone.errors], []);
});
