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

/**
 * Opens the backprop lab at `hash`, its workers removed (`workers: false`) or
 * ready; then `act(page)`, and waits until `done` holds in the page. Returns
 * the page, its errors, and how many workers the landscape's status counts.
 */
async function openLab(hash, { workers = true, act = async () => {}, done, route } = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  if (!workers) await page.addInitScript(() => { delete window.Worker; });
  if (route) await page.route(...route);
  await page.goto(`${url}#lab=network&${hash}`);
  await page.waitForSelector("body[data-ready=true]");
  // Ready workers take the whole of what comes next.
  if (workers && !route) await page.waitForFunction(() => Number(document.getElementById("nn-landscape-status").dataset.workers) >= 1);
  await act(page);
  await page.waitForFunction(done, null, { timeout: 60_000 });
  return { page, errors, workers: Number(await page.locator("#nn-landscape-status").getAttribute("data-workers")) };
}

/** A step of the backprop lab at epoch 5, then its landscape of two weights complete: how many workers computed it, and its picture. */
async function landscapeOf(options = {}) {
  const { page, errors, workers } = await openLab("epochs=5", {
    ...options,
    act: (page) => page.locator("#nn-step-epoch").click(),
    done: () => {
      const canvas = document.getElementById("nn-landscape-canvas");
      return document.getElementById("nn-epoch").textContent === "6" && !canvas.parentElement.classList.contains("updating") && /^grid 41 × 41(;|$)/.test(document.getElementById("nn-landscape-status").textContent);
    },
  });
  const picture = await page.locator("#nn-landscape-canvas").evaluate((c) => c.toDataURL());
  await page.close();
  return { workers, picture, errors };
}

test("workers compute the landscape's grid, to the same picture as the page alone", async () => {
  const shared = await landscapeOf();
  const alone = await landscapeOf({ workers: false });
  assert.ok(shared.workers >= 1, `workers computed it: ${shared.workers}`);
  assert.equal(alone.workers, 0, "without workers the page computes the grid itself");
  assert.equal(shared.picture, alone.picture, "the same losses, the same picture");
  assert.deepEqual([...shared.errors, ...alone.errors], []);
});

test("a worker for each core but the page's own, at least one", async () => {
  for (const [cores, expected] of [[4, 3], [2, 1], [1, 1], [16, 8]]) {
    const page = await browser.newPage();
    await page.addInitScript((n) => Object.defineProperty(Navigator.prototype, "hardwareConcurrency", { get: () => n }), cores);
    await page.goto(`${url}#lab=network`);
    await page.waitForFunction((n) => Number(document.getElementById("nn-landscape-status").dataset.workers) === n, expected);
    await page.waitForTimeout(1000); // no more become ready later
    assert.equal(Number(await page.locator("#nn-landscape-status").getAttribute("data-workers")), expected, `${cores} cores`);
    await page.close();
  }
  // And the status says so in words.
  const page = await browser.newPage();
  await page.goto(`${url}#lab=network`);
  const said = await page.evaluate(async () => {
    const { onWorkers } = await import("./www/workers.js");
    return [0, 1, 3].map(onWorkers);
  });
  assert.deepEqual(said, ["", " on one worker", " on 3 workers"]);
  await page.close();
});

test("a worker that fails hands its shares back and the page finishes the grid", async () => {
  const broken = `addEventListener("message", ({ data }) => postMessage(data.module ? { ready: true } : { failed: "broken on purpose" }));`;
  const failing = await landscapeOf({ route: ["**/www/worker.js", (route) => route.fulfill({ contentType: "text/javascript", body: broken })] });
  assert.equal(failing.workers, 0, "the workers were stopped");
  assert.deepEqual(failing.errors, []);
});

test("the Grid menu's 81 × 81 refines one level further, on the workers, and the address keeps it", async () => {
  const { page, errors, workers } = await openLab("epochs=5", {
    act: (page) => page.getByLabel("Grid", { exact: true }).selectOption({ label: "81 × 81 (slower)" }),
    done: () => /^grid 81 × 81(;|$)/.test(document.getElementById("nn-landscape-status").textContent),
  });
  assert.ok(workers >= 1, `${workers} workers`);
  await page.waitForFunction(() => location.hash.includes("grid=81"));
  // Reopened from the address, the finer grid is chosen again.
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  assert.equal(await page.getByLabel("Grid", { exact: true }).inputValue(), "81");
  assert.deepEqual(errors, []);
  await page.close();
});

/** A sweep of 12 α × 40 epochs started with Sweep α, computed to its end: its chart, its note and how many workers the page had. */
async function sweepOf(options = {}) {
  const { page, errors, workers } = await openLab("", {
    ...options,
    act: async (page) => {
      for (const [id, value] of [["#nn-sweep-lo", "0.001"], ["#nn-sweep-hi", "30"], ["#nn-sweep-count", "12"], ["#nn-sweep-epochs", "40"]]) await page.fill(id, value);
      await page.locator("#nn-sweep").click();
    },
    done: () => / diverged\. /.test(document.getElementById("nn-sweep-note").textContent),
  });
  const result = { workers, errors, note: await page.locator("#nn-sweep-note").textContent(), picture: await page.locator("#nn-sweep-canvas").evaluate((c) => c.toDataURL()) };
  await page.close();
  return result;
}

test("workers train the sweep's α values, to the same chart as the page alone", async () => {
  const shared = await sweepOf();
  const alone = await sweepOf({ workers: false });
  assert.ok(shared.workers >= 1 && alone.workers === 0, `${shared.workers} and ${alone.workers} workers`);
  assert.match(shared.note, /^12 values of α from 0\.001 to 30, 40 epochs each/);
  assert.equal(shared.note, alone.note);
  assert.equal(shared.picture, alone.picture, "the same points, the same chart");
  assert.deepEqual([...shared.errors, ...alone.errors], []);
});
