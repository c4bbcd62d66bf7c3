// No setting freezes the page: at the largest network and data set the
// controls allow, Play keeps painting and Pause answers, and a link that
// replays many epochs shows its progress and keeps painting. Not timed
// (speed is measured in `cargo xtask bench`): these check that frames come
// at all, and that the page says what it really achieves.
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

const LARGEST = `lab=network&dataset=xor&points=2000&hidden=${encodeURIComponent(Array.from({ length: 6 }, () => "16:tanh").join(","))}&plane=training&view=3d`;

/** Animation frames painted during `ms` milliseconds. */
function framesDuring(page, ms) {
  return page.evaluate((ms) => new Promise((resolve) => {
    let frames = 0;
    const end = performance.now() + ms;
    const tick = () => {
      frames++;
      if (performance.now() < end) requestAnimationFrame(tick);
      else resolve(frames);
    };
    requestAnimationFrame(tick);
  }), ms);
}

test("the largest network at the top speed keeps painting, says the rate it achieves, and Pause stops it", async () => {
  const { page, errors } = await openPage(browser, { path: `#${LARGEST}&epochs=2` });
  const lab = page.getByRole("tabpanel", { name: "Backprop lab" });
  await lab.getByRole("slider", { name: /^Speed/ }).fill("200");
  await lab.getByRole("button", { name: "Play", exact: true }).click();
  const frames = await framesDuring(page, 2500);
  assert.ok(frames >= 10, `at least a few frames a second while playing: ${frames} in 2.5 s`);
  // An epoch of this network and its measurements take longer than a 200th of a second here.
  await page.waitForFunction(() => /^playing at \d+ epochs\/s$/.test(document.getElementById("nn-rate").textContent), null, { timeout: 5000 });
  const rate = Number((await page.locator("#nn-rate").textContent()).match(/\d+/)[0]);
  assert.ok(rate > 0 && rate < 180, `the rate achieved, below the one asked: ${rate}`);
  await lab.getByRole("button", { name: "Pause", exact: true }).click();
  const epoch = await page.locator("#nn-epoch").textContent();
  assert.ok(Number(epoch) > 2, `it trained: epoch ${epoch}`);
  assert.equal(await page.locator("#nn-rate").textContent(), "", "paused, no rate");
  await page.waitForTimeout(300);
  assert.equal(await page.locator("#nn-epoch").textContent(), epoch, "Pause stopped it");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a link to a late epoch of the largest network replays a slice a frame, showing its progress, to the same weights", async () => {
  const epochs = 60;
  const { page, errors } = await openPage(browser, { path: `#${LARGEST}&epochs=${epochs}` });
  const message = page.locator("#nn-message");
  assert.match(await message.textContent(), new RegExp(`^Opening the link: training to epoch ${epochs} \\(epoch \\d+ now\\)…$`));
  const frames = await framesDuring(page, 500);
  assert.ok(frames >= 3, `frames keep coming while it replays: ${frames} in 0.5 s`);
  await page.waitForFunction((epochs) => document.getElementById("nn-epoch").textContent === String(epochs), epochs, { timeout: 60_000 });
  assert.equal(await message.textContent(), "", "the progress is gone once there");
  // The same weights as the run stepped by hand.
  const stepped = await page.evaluate(async ([link, epochs]) => {
    const api = await import("/pkg/gradlab.js");
    const lab = new api.NetworkLab();
    lab.openLink(link.replace(/epochs=\d+/, "epochs=0"));
    lab.stepEpochs(epochs);
    return JSON.parse(lab.stateJson()).metrics.trainLoss;
  }, [`${LARGEST}&epochs=${epochs}`, epochs]);
  assert.equal(await page.locator("#nn-train-loss").textContent(), stepped);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a link's notice waits for its replay to end", async () => {
  const { page, errors } = await openPage(browser, { path: `#${LARGEST}&epochs=40&opt=lbfgs` });
  await page.waitForFunction(() => document.getElementById("nn-epoch").textContent === "40", null, { timeout: 60_000 });
  assert.match(await page.locator("#nn-message").textContent(), /opt/, "the part of the link not used is named");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the gradient check of the largest network goes a slice a frame with its progress, and a step drops it", async () => {
  const { page, errors } = await openPage(browser, { path: `#${LARGEST}&epochs=1` });
  const lab = page.getByRole("tabpanel", { name: "Backprop lab" });
  await lab.getByRole("button", { name: "Check gradients", exact: true }).click();
  assert.match(await page.locator("#nn-check-status").textContent(), /^Checking parameter \d+ of 1425 /);
  const frames = await framesDuring(page, 500);
  assert.ok(frames >= 3, `frames keep coming while it checks: ${frames} in 0.5 s`);
  await lab.getByRole("button", { name: "Step epoch", exact: true }).click();
  assert.equal(await page.locator("#nn-epoch").textContent(), "2");
  assert.equal(await page.locator("#nn-check-status").textContent(), "", "the check of the weights before is dropped");
  assert.ok(await page.locator("#nn-check-table").isHidden());
  assert.deepEqual(errors, []);
  await page.close();
});

test("while playing, a chart out of sight waits and is drawn once it is scrolled into view; Pause draws everything", async () => {
  const { page, errors } = await openPage(browser, { width: 1280, height: 800, path: "#lab=network&until_epochs=off" });
  const lab = page.getByRole("tabpanel", { name: "Backprop lab" });
  const line = page.locator("#nn-line-canvas");
  const picture = () => line.evaluate((c) => c.toDataURL());
  assert.ok(await line.evaluate((c) => c.getBoundingClientRect().top > window.innerHeight), "the line from θ₀ starts below the first screen");
  const epoch = () => page.locator("#nn-epoch").textContent().then(Number);
  await lab.getByRole("button", { name: "Play", exact: true }).click();
  await page.waitForFunction(() => Number(document.getElementById("nn-epoch").textContent) >= 3);
  const hidden = await picture();
  const at = await epoch();
  await page.waitForFunction((at) => Number(document.getElementById("nn-epoch").textContent) >= at + 3, at);
  assert.equal(await picture(), hidden, "not redrawn out of sight while playing");
  await line.scrollIntoViewIfNeeded();
  await page.waitForFunction((hidden) => document.getElementById("nn-line-canvas").toDataURL() !== hidden, hidden);
  await lab.getByRole("button", { name: "Pause", exact: true }).click();
  await page.evaluate(() => window.scrollTo(0, 0));
  const shown = await picture();
  await lab.getByRole("button", { name: "Step epoch", exact: true }).click();
  await page.waitForFunction((shown) => document.getElementById("nn-line-canvas").toDataURL() !== shown, shown);
  assert.deepEqual(errors, []);
  await page.close();
});
