// Shared set-up of the browser tests: headless Chromium through playwright-core,
// the page under test at $GRADLAB_URL, and a record of console errors.
import { before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

export const url = process.env.GRADLAB_URL ?? "http://127.0.0.1:8080/";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Opens the page (`deviceScaleFactor` screen pixels a CSS pixel) and waits
 * until the lab is ready; `errors` collects every console error, uncaught
 * exception and request to another origin.
 */
export async function openPage(browser, { width = 1280, height = 800, path = "", bypassCSP = false, deviceScaleFactor = 1 } = {}) {
  const page = await browser.newPage({ viewport: { width, height }, bypassCSP, deviceScaleFactor });
  const errors = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  const origin = new URL(url).origin;
  page.on("request", (request) => {
    const target = request.url();
    if (!target.startsWith("data:") && new URL(target).origin !== origin) errors.push(`request to another origin: ${target}`);
  });
  await page.goto(url + path);
  await page.waitForSelector("body[data-ready=true]");
  return { page, errors };
}

/**
 * The hooks of a test file whose tests each open a fresh page: one browser
 * for the file, `session.page` and `session.errors` for each test (after
 * `prepare(page)`), and every test fails on a console error.
 */
export function pagePerTest({ width, height, prepare } = {}) {
  const session = {};
  before(async () => {
    session.browser = await launch();
  });
  after(async () => {
    await session.browser.close();
  });
  beforeEach(async () => {
    Object.assign(session, await openPage(session.browser, { width, height }));
    if (prepare) await prepare(session.page);
  });
  afterEach(async () => {
    assert.deepEqual(session.errors, [], "no console errors or uncaught exceptions");
    await session.page.close();
  });
  return session;
}

/** Fails when any two of the named boxes overlap by more than a pixel. */
export function assertApart(boxes, where) {
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = boxes[i];
      const [b, q] = boxes[j];
      const apart = p.x + p.width <= q.x + 1 || q.x + q.width <= p.x + 1 || p.y + p.height <= q.y + 1 || q.y + q.height <= p.y + 1;
      if (!apart) throw new Error(`${a} and ${b} overlap at ${where}`);
    }
  }
}

/** Fails unless the canvas is shown at the size it is drawn at (so clicks map to the right pixel) and fits the width. */
export async function assertCanvasFits(canvas, viewportWidth, name) {
  const shown = await canvas.boundingBox();
  const pixels = await canvas.evaluate((c) => c.width);
  if (Math.abs(shown.width - pixels) > 2) throw new Error(`${name}: drawn at ${pixels} px but shown at ${shown.width}`);
  if (shown.x + shown.width > viewportWidth) throw new Error(`${name} is wider than the page`);
}

/** Where on the backprop lab's network diagram the weight `name` ("W²₃,₁") is: found by hovering, as a user would. */
export async function diagramPosition(page, name) {
  const box = await page.locator("#nn-network-canvas").boundingBox();
  const found = await page.evaluate(({ w, h, name }) => {
    const canvas = document.getElementById("nn-network-canvas");
    const tip = document.getElementById("nn-hover");
    for (let y = 20; y < h; y += 3) {
      for (let x = 20; x < w; x += 3) {
        const at = canvas.getBoundingClientRect();
        canvas.dispatchEvent(new MouseEvent("mousemove", { clientX: at.left + x, clientY: at.top + y }));
        if (!tip.hidden && tip.textContent.startsWith(`${name} =`)) return { x, y };
      }
    }
    return null;
  }, { w: box.width, h: box.height, name });
  assert.ok(found, `the diagram shows ${name} somewhere`);
  return found;
}

/** A number as the page writes it, bracketed when it is a negative factor: "(-0.5)" → −0.5. */
export const shownNumber = (text) => Number(text.trim().replace(/^\((.*)\)$/, "$1"));

/** The products "a·b" written in `text`, each factor as shown (negative ones bracketed). */
export function writtenProducts(text) {
  const factor = String.raw`\(?(-?[\d.]+(?:e-?\d+)?)\)?`;
  return [...text.matchAll(new RegExp(`${factor}·${factor}`, "g"))].map((m) => [Number(m[1]), Number(m[2])]);
}
