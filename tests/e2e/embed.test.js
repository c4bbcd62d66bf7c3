// The embed view (&embed=…): one lab with only the parts the link names, in
// an <iframe> of another page and in the offline file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { launch, url } from "./browser.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

/** A page of a course that holds gradlab in an iframe of `width` × `height` at `hash`; its errors are collected. */
async function coursePage(hash, width = 700, height = 450) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.setContent(`<h1>Week 3: gradient descent</h1><iframe title="gradlab" src="${url}#${hash}" width="${width}" height="${height}"></iframe>`);
  const frame = page.frameLocator("iframe");
  await frame.locator("body[data-ready=true]").waitFor();
  return { page, frame, errors };
}

test("in an iframe, the descent lab shows only the surface, the loss and the run's buttons, steps, and links to the whole page", async () => {
  const { page, frame, errors } = await coursePage("lab=descent&embed=surface,loss,step");
  for (const shown of ["#surface-canvas", "#loss-canvas", "#step", "#open-full"]) assert.ok(await frame.locator(shown).isVisible(), `${shown} is shown`);
  for (const gone of ["header", "#controls", "#readout .numbers", "#update", "#data-panel", "#speed", "#lr-slider"]) {
    assert.equal(await frame.locator(gone).first().isVisible(), false, `${gone} is not shown`);
  }
  const fits = await frame.locator("#surface-canvas").evaluate((canvas) => canvas.getBoundingClientRect().right <= window.innerWidth);
  assert.ok(fits, "the surface fits the frame's width");
  for (let i = 0; i < 2; i++) await frame.getByRole("button", { name: "Step", exact: true }).click();
  const told = frame.locator("#loss-canvas-text");
  assert.match(await told.textContent(), /^J fell from \S+ to \S+ over 2 iterations\.$/);
  // The link to the whole page holds the run, without embed; it opens elsewhere.
  await frame.locator("#open-full").evaluate((a) => new Promise((resolve) => {
    const wait = () => (a.href.includes("lab=descent") && !a.href.includes("embed") ? resolve() : setTimeout(wait, 100));
    wait();
  }));
  assert.equal(await frame.locator("#open-full").getAttribute("target"), "_blank");
  assert.deepEqual(errors, []);
  await page.close();
});

test("in an iframe, the backprop lab shows the parts named; a part it does not have is named in a message, with the parts it has", async () => {
  const { page, frame, errors } = await coursePage("lab=network&embed=boundary,loss,step,readout,surface", 900, 600);
  await frame.locator("#toast").filter({ hasText: "“surface”" }).waitFor();
  assert.match(await frame.locator("#toast").textContent(), /its parts are: step, lr, speed, readout, network, phase, chain, landscape, boundary, loss, norms, line, inside\.$/);
  assert.ok(await frame.locator("#nn-boundary-canvas").isVisible());
  assert.equal(await frame.locator("#nn-network-canvas").isVisible(), false, "the diagram is not named");
  await frame.getByRole("button", { name: "Step epoch", exact: true }).click();
  assert.equal(await frame.getByRole("status", { name: "epoch", exact: true }).textContent(), "1");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the offline file opens in the embed view too", async (t) => {
  const bundle = process.env.GRADLAB_BUNDLE;
  if (!bundle) return t.skip("GRADLAB_BUNDLE is not set: run through cargo xtask test");
  const page = await browser.newPage({ viewport: { width: 600, height: 500 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${pathToFileURL(bundle).href}#lab=network&embed=network,phase,step`);
  await page.waitForSelector("body[data-ready=true]");
  assert.equal(await page.locator("header").isVisible(), false);
  await page.getByRole("button", { name: "Step phase", exact: true }).click();
  assert.match(await page.locator("#nn-phase-title").textContent(), /^Phase: /);
  assert.notEqual(await page.locator("#nn-phase li").count(), 0, "the phase written out");
  assert.deepEqual(errors, []);
  await page.close();
});
