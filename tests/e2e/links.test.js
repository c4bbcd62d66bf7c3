// Shareable links: a link opens the lab at exactly the state it holds; a bad
// link opens with defaults and says what it ignored.
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

async function open(hash) {
  return openPage(browser, { path: hash });
}

const descent = (page) => page.getByRole("tabpanel", { name: "Descent lab" });

test("a descent link reopens momentum on the quadratic at iteration 7, to the digit", async () => {
  const { page, errors } = await open("#lab=descent&surface=quadratic&opt=momentum&momentum=0.5&lr=0.05&start=0.3,-0.4&t=7");
  const lab = descent(page);
  assert.equal(await lab.getByRole("status", { name: "iteration t", exact: true }).textContent(), "7");
  let [x, y] = [0.3, -0.4];
  let [vx, vy] = [0, 0];
  for (let k = 0; k < 7; k++) {
    [vx, vy] = [0.5 * vx + x, 0.5 * vy + 10 * y];
    [x, y] = [x - 0.05 * vx, y - 0.05 * vy];
  }
  assert.equal(await lab.getByRole("status", { name: "theta", exact: true }).textContent(), `(${Number(x.toPrecision(6))}, ${Number(y.toPrecision(6))})`);
  assert.equal(await lab.getByLabel("Update rule", { exact: true }).inputValue(), "momentum");
  assert.equal(await lab.getByRole("alert").textContent(), "");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a malformed link opens with the defaults and names what it ignored, as text", async () => {
  const { page, errors } = await open("#lab=descent&surface=banana&lr=-3&t=abc&%3Cb%3Ex%3C%2Fb%3E=1");
  const lab = descent(page);
  const notice = lab.getByRole("alert");
  assert.equal(await notice.textContent(), "The link's surface, lr, t, <b>x</b> could not be used; the defaults stand in for them.");
  assert.equal(await notice.locator("b").count(), 0, "link text is never HTML");
  assert.equal(await lab.getByLabel("Loss surface", { exact: true }).inputValue(), "linear_regression");
  assert.equal(await lab.getByRole("status", { name: "iteration t", exact: true }).textContent(), "0");
  await lab.getByRole("button", { name: "Step", exact: true }).click();
  assert.equal(await lab.getByRole("status", { name: "iteration t", exact: true }).textContent(), "1");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a backprop link opens its tab with the architecture and the epoch it holds", async () => {
  const { page, errors } = await open("#lab=network&dataset=circle&hidden=3:relu,2:tanh&opt=adam&lr=0.02&epochs=4&hidden=99:zz");
  assert.equal(await page.getByRole("tab", { name: "Backprop lab" }).getAttribute("aria-selected"), "true");
  const lab = page.getByRole("tabpanel", { name: "Backprop lab" });
  assert.equal(await lab.getByRole("status", { name: "epoch", exact: true }).textContent(), "4");
  assert.equal(await lab.locator(".layer").count(), 2);
  assert.equal(await lab.getByLabel("Activation of hidden layer 1", { exact: true }).inputValue(), "relu");
  assert.equal(await lab.getByLabel("Data set", { exact: true }).inputValue(), "circle");
  assert.match(await lab.locator("#nn-message").textContent(), /The link's hidden could not be used/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("Copy link gives a link that reopens the same state", async () => {
  const first = await open("");
  const lab = descent(first.page);
  await lab.getByLabel("Loss surface", { exact: true }).selectOption("rosenbrock");
  await lab.getByLabel("Update rule", { exact: true }).selectOption("adam");
  for (let i = 0; i < 5; i++) await lab.getByRole("button", { name: "Step", exact: true }).click();
  await first.page.getByRole("button", { name: "Copy link" }).click();
  const link = first.page.url();
  assert.match(link, /#lab=descent&surface=rosenbrock&opt=adam&.*&t=5$/);
  const theta = await lab.getByRole("status", { name: "theta", exact: true }).textContent();
  const second = await openPage(browser, { path: link.slice(link.indexOf("#")) });
  assert.equal(await descent(second.page).getByRole("status", { name: "theta", exact: true }).textContent(), theta);
  assert.equal(await descent(second.page).getByRole("status", { name: "iteration t", exact: true }).textContent(), "5");
  assert.deepEqual([...first.errors, ...second.errors], []);
  await first.page.close();
  await second.page.close();
});

test("the address follows the state: a reload returns to the same step of either lab, to the digit", async () => {
  const { page, errors } = await open("");
  const lab = descent(page);
  await lab.getByLabel("Update rule", { exact: true }).selectOption("adam");
  for (let k = 0; k < 4; k++) await lab.getByRole("button", { name: "Step", exact: true }).click();
  const theta = await lab.getByRole("status", { name: "theta", exact: true }).textContent();
  await page.waitForFunction(() => /[#&]t=4(&|$)/.test(location.hash), null, { timeout: 5000 });
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  assert.equal(await descent(page).getByRole("status", { name: "iteration t", exact: true }).textContent(), "4");
  assert.equal(await descent(page).getByRole("status", { name: "theta", exact: true }).textContent(), theta);
  assert.equal(await descent(page).getByLabel("Update rule", { exact: true }).inputValue(), "adam");

  await page.getByRole("tab", { name: "Backprop lab" }).click();
  const network = page.getByRole("tabpanel", { name: "Backprop lab" });
  for (let k = 0; k < 3; k++) await network.getByRole("button", { name: "Step epoch", exact: true }).click();
  const loss = await page.locator("#nn-train-loss").textContent();
  await page.waitForFunction(() => /lab=network.*&epochs=3(&|$)/.test(location.hash), null, { timeout: 5000 });
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  assert.equal(await page.locator("#nn-epoch").textContent(), "3");
  assert.equal(await page.locator("#nn-train-loss").textContent(), loss);
  assert.deepEqual(errors, []);
  await page.close();
});
