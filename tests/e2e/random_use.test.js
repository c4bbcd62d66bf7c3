// Random use never breaks the page: a seeded run of at least 1,000 random
// actions across both labs (clicks on any visible control, odd values typed
// into fields, options chosen, clicks and drags on the charts, keys, tabs,
// malformed links), failing on any uncaught exception or console error, and
// checking at the end that the page still steps. The seed is printed, and
// GRADLAB_RANDOM_SEED replays a run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, url } from "./browser.js";

const ACTIONS = 1000;
const SEED = Number(process.env.GRADLAB_RANDOM_SEED ?? 20261130);

/** A small seeded generator (mulberry32): the same seed, the same actions. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES = ["0", "-1", "NaN", "1e300", "-1e300", "", "abc", "0.5", "3", "17", "1e-12", "2.5e-3", "999999", "7", "-0"];
const KEYS = [" ", "ArrowRight", "ArrowLeft", "Shift+ArrowRight", "r", "[", "]", "Escape", "Tab"];
const LINKS = [
  "#lab=network&hidden=99:foo&epochs=-3&lr=abc",
  "#lab=descent&surface=nope&t=1e9&start=a,b",
  "#%%%&&&==",
  "#lab=descent&surface=typed&f=sin(x&box=1,2",
  "#lab=network&dataset=blobs&classes=9&points=100000&epochs=50",
  "#lab=descent&race=6&pick=9&r1=adam&r1_lr=-1",
  "#lab=network&sweep=0,0,0,0&range=1,0,5&inside=nothing",
];

test(`${ACTIONS} random actions leave the page working (seed ${SEED})`, { timeout: 600_000 }, async () => {
  const random = generator(SEED);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const browser = await launch();
  let { page, errors } = await openPage(browser, { width: 1280, height: 800 });
  page.on("dialog", (dialog) => dialog.dismiss());
  const log = [];
  let held = []; // the handle of the control last chosen
  try {
    for (let k = 0; k < ACTIONS; k++) {
      await Promise.all(held.map((handle) => handle.dispose().catch(() => {})));
      const roll = random();
      const panel = page.locator('[role="tabpanel"]:not([hidden])');
      let done = "";
      try {
        if (roll < 0.02) {
          const link = pick(LINKS);
          done = `link ${link}`;
          await page.goto(url + link);
          await page.reload();
          await page.waitForSelector("body[data-ready=true]");
        } else if (roll < 0.06) {
          const tab = pick(["descent", "network"]); // by id: the page may be in Chinese
          done = `tab ${tab}`;
          await page.locator(`#tab-${tab}`).click({ timeout: 1000 });
        } else if (roll < 0.14) {
          const key = pick(KEYS);
          done = `key ${key}`;
          await page.keyboard.press(key);
        } else if (roll < 0.24) {
          const canvases = await panel.locator("canvas:visible").all();
          if (canvases.length === 0) continue;
          const canvas = pick(canvases);
          const box = await canvas.boundingBox();
          if (!box) continue;
          const [x, y] = [box.x + random() * box.width, box.y + random() * box.height];
          done = `canvas ${await canvas.getAttribute("id")} at ${Math.round(x)},${Math.round(y)}`;
          await page.mouse.move(x, y);
          await page.mouse.down();
          if (random() < 0.4) await page.mouse.move(x + 60 * (random() - 0.5), y + 60 * (random() - 0.5), { steps: 3 });
          await page.mouse.up();
        } else {
          // Handles, not locators: the action reaches the very control it chose, even when the page changes the list meanwhile.
          const controls = await page.$$("button:visible:enabled, input:visible:enabled, select:visible:enabled, summary:visible");
          if (controls.length === 0) continue;
          const control = pick(controls);
          held = [control];
          await Promise.all(controls.filter((c) => c !== control).map((c) => c.dispose()));
          const [tag, type, id, values] = await control.evaluate((e) => [
            e.tagName,
            e.type,
            e.id || e.textContent.trim().slice(0, 30),
            e.tagName === "SELECT" ? [...e.options].map((o) => o.value) : [],
          ]);
          if (tag === "SELECT") {
            const value = pick(values);
            done = `select ${id} = ${value}`;
            await control.selectOption(value, { timeout: 1000 });
          } else if (tag === "INPUT" && (type === "number" || type === "text")) {
            const value = pick(ODD_VALUES);
            done = `type ${id} = "${value}"`;
            // A number field takes what a browser lets one type (letters become an empty field).
            await control.evaluate((e, v) => {
              e.focus();
              e.value = v;
              e.dispatchEvent(new Event("input", { bubbles: true }));
              e.dispatchEvent(new Event("change", { bubbles: true }));
            }, value);
          } else if (tag === "INPUT" && type === "range") {
            const value = String(Math.round(1 + random() * 199));
            done = `slide ${id} to ${value}`;
            await control.evaluate((e, v) => {
              e.value = v;
              e.dispatchEvent(new Event("input", { bubbles: true }));
              e.dispatchEvent(new Event("change", { bubbles: true }));
            }, value);
          } else if (tag === "TEXTAREA") {
            continue;
          } else {
            done = `click ${tag.toLowerCase()} ${id}`;
            await control.click({ timeout: 1000 });
          }
        }
      } catch (error) {
        // A control that moved, hid or went away under the pointer is the test's miss, not the page's.
        if (error.name !== "TimeoutError" && !/not attached|detached|not visible|intercepts pointer|not editable/.test(error.message)) throw error;
        done += " (missed)";
      }
      log.push(done);
      if (process.env.GRADLAB_RANDOM_TRACE) console.error(`${k + 1}: ${done}`);
      if (random() < 0.1) await page.waitForTimeout(100 + 300 * random());
      // Closes the shortcuts' dialog if a click opened it.
      if (await page.locator("dialog[open]").count()) await page.keyboard.press("Escape");
      assert.deepEqual(errors, [], `after action ${k + 1} (${done}); the last ones: ${log.slice(-8).join(" | ")}`);
    }
  } catch (error) {
    if (!(error instanceof assert.AssertionError)) error.message += `\nthe last actions: ${log.slice(-8).join(" | ")}`;
    throw error;
  } finally {
    // The page still answers: a fresh lab steps.
    await page.goto(url);
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await page.getByRole("button", { name: "Step", exact: true }).click();
    const t = await page.getByRole("status", { name: "iteration t", exact: true }).textContent();
    await browser.close();
    assert.equal(t, "1", "a fresh page steps");
  }
  assert.deepEqual(errors, []);
  // The run did act: most actions reached their control.
  const missed = log.filter((line) => line.endsWith("(missed)")).length;
  assert.ok(log.length >= 0.9 * ACTIONS && missed < 0.3 * log.length, `${log.length} actions, ${missed} missed`);
  console.log(`${log.length} actions, ${missed} missed their control`);
});
