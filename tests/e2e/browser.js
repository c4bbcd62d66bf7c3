// Shared set-up of the browser tests: headless Chromium through playwright-core,
// the page under test at $GRADLAB_URL, and a record of console errors.
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

/** Opens the page and waits until the lab is ready; `errors` collects every console error and uncaught exception. */
export async function openPage(browser, { width = 1280, height = 800, path = "", bypassCSP = false } = {}) {
  const page = await browser.newPage({ viewport: { width, height }, bypassCSP });
  const errors = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(url + path);
  await page.waitForSelector("body[data-ready=true]");
  return { page, errors };
}
