// The one-file page in Firefox, opened straight from disk (Firefox ESR driven
// over WebDriver BiDi by puppeteer-core).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import puppeteer from "puppeteer-core";

const firefox = process.env.FIREFOX ?? "/usr/bin/firefox-esr";

/**
 * Waits until `predicate` holds in the page, asking every 100 ms through
 * page.evaluate: Puppeteer's waitForFunction polls with a Function() that
 * the one-file page's Content-Security-Policy blocks in Firefox ESR 140.
 */
async function until(page, predicate, timeout = 30_000) {
  const end = Date.now() + timeout;
  while (!(await page.evaluate(predicate))) {
    if (Date.now() > end) throw new Error(`not within ${timeout} ms: ${predicate}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("dist/gradlab.html steps in Firefox from file://, with the same numbers, its landscape on workers", async (t) => {
  const bundle = process.env.GRADLAB_BUNDLE;
  if (!bundle) return t.skip("GRADLAB_BUNDLE is not set: run through cargo xtask test");
  if (!existsSync(firefox)) {
    const why = `no Firefox at ${firefox}: apt-get install -y firefox-esr, or set FIREFOX`;
    // CI installs Firefox: there a missing browser is a failure, not a skip.
    assert.ok(process.env.GRADLAB_REQUIRE_FIREFOX !== "1", why);
    console.error(`WARNING: the Firefox test is SKIPPED (${why})`);
    return t.skip(why);
  }
  // The window's size at launch, not by setting the page's viewport: Puppeteer
  // sets a viewport with a command of WebDriver BiDi that Firefox ESR 140 lacks
  // (emulation.setScreenOrientationOverride).
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: firefox,
    headless: true,
    protocol: "webDriverBiDi",
    defaultViewport: null,
    env: { ...process.env, MOZ_HEADLESS_WIDTH: "1280", MOZ_HEADLESS_HEIGHT: "800" },
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(pathToFileURL(bundle).href);
    await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
    for (let i = 0; i < 3; i++) await page.click("#step");
    assert.equal(await page.$eval("#out-t", (e) => e.textContent), "3");
    // θ₃ by the seed's formula on the page's own data set, read through the same module in Node.
    const pkg = join(dirname(bundle), "pkg");
    const api = await import(pathToFileURL(join(pkg, "gradlab.js")).href);
    api.initSync({ module: readFileSync(join(pkg, "gradlab_bg.wasm")) });
    const data = JSON.parse(new api.DescentLab().dataJson());
    let theta = [0, 0];
    for (let k = 0; k < 3; k++) {
      const errs = data.x.map((x, i) => theta[0] + theta[1] * x - data.y[i]);
      const g = [errs.reduce((a, e) => a + e, 0) / errs.length, errs.reduce((a, e, i) => a + e * data.x[i], 0) / errs.length];
      theta = [theta[0] - 0.1 * g[0], theta[1] - 0.1 * g[1]];
    }
    const shown = `(${Number(theta[0].toPrecision(6))}, ${Number(theta[1].toPrecision(6))})`;
    assert.equal(await page.$eval("#out-theta", (e) => e.textContent), shown);
    await page.click("#tab-network");
    await page.click("#nn-step-epoch");
    assert.equal(await page.$eval("#nn-epoch", (e) => e.textContent), "1");
    // The landscape's workers start from the file's own text in Firefox too.
    await until(page, () => /^grid 41 × 41(;|$)/.test(document.getElementById("nn-landscape-status").textContent));
    assert.ok(Number(await page.$eval("#nn-landscape-status", (e) => e.dataset.workers)) >= 1, "the grid was computed by workers");
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
