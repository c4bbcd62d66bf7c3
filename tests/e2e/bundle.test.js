// The one-file page (cargo xtask bundle) opened straight from disk.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { launch } from "./browser.js";

test("dist/gradlab.html opens from file://, steps both labs, computes the landscape on workers, speaks Chinese and asks for nothing", async (t) => {
  const bundle = process.env.GRADLAB_BUNDLE;
  if (!bundle) return t.skip("GRADLAB_BUNDLE is not set: run through cargo xtask test");
  const browser = await launch();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  const requests = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(bundle).href);
  await page.waitForSelector("body[data-ready=true]");
  const descent = page.getByRole("tabpanel", { name: "Descent lab" });
  for (let i = 0; i < 3; i++) await descent.getByRole("button", { name: "Step", exact: true }).click();
  assert.equal(await descent.getByRole("status", { name: "iteration t", exact: true }).textContent(), "3");
  await page.getByRole("tab", { name: "Backprop lab" }).click();
  const network = page.getByRole("tabpanel", { name: "Backprop lab" });
  await network.getByRole("button", { name: "Step epoch", exact: true }).click();
  assert.equal(await network.getByRole("status", { name: "epoch", exact: true }).textContent(), "1");
  // The landscape's workers start from the file's own text.
  await page.waitForFunction(() => /^grid 41 × 41(;|$)/.test(document.getElementById("nn-landscape-status").textContent), null, { timeout: 30_000 });
  assert.ok(Number(await page.locator("#nn-landscape-status").getAttribute("data-workers")) >= 1, "the grid was computed by workers");
  // Chinese from the table the file carries.
  await page.locator("#language").click();
  await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
  assert.equal(await page.locator("#tab-network").textContent(), "反向传播实验");
  // The workers' script is a blob made in the page from the file's own text.
  const elsewhere = requests.filter((url) => !/^(file|data|blob):/.test(url));
  assert.deepEqual(elsewhere, [], "no request leaves the file");
  assert.deepEqual(errors, []);
  await browser.close();
});
