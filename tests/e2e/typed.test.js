// A function the user types into the descent lab: its derivatives as
// formulas, steps by its exact gradient, mistakes that keep it, links.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pagePerTest } from "./browser.js";

const session = pagePerTest();

const lab = () => session.page.getByRole("tabpanel", { name: "Descent lab" });
const button = (name) => lab().getByRole("button", { name, exact: true });
const output = (name) => lab().getByRole("status", { name, exact: true });
const message = () => lab().getByRole("alert");
const partials = () => lab().getByRole("list", { name: "Partial derivatives" }).getByRole("listitem").allTextContents();
const pair = (text) => text.slice(1, -1).split(", ").map(Number);

async function useFunction(text, box) {
  const surface = lab().getByRole("combobox", { name: "Loss surface" });
  if ((await surface.inputValue()) !== "typed") await surface.selectOption("typed");
  if (box) {
    for (const [name, value] of [["x from", box[0]], ["x to", box[1]], ["y from", box[2]], ["y to", box[3]]]) {
      await lab().getByRole("spinbutton", { name, exact: true }).fill(String(value));
    }
  }
  const field = lab().getByRole("textbox", { name: "f(x, y) =" });
  await field.fill(text);
  await field.press("Enter");
}

test("a typed function shows its derivatives, and three steps follow the update rule computed here", async () => {
  await useFunction("x^2 + 3*x*y + 4*y^2", [-2, 2, -1, 3]);
  assert.deepEqual(await partials(), ["∂f/∂x = 2·x + 3·y", "∂f/∂y = 3·x + 8·y"]);
  assert.equal(await lab().getByLabel("Loss function").textContent(), "f(x, y) = x^2 + 3*x*y + 4*y^2");
  let [x, y] = [Number(await lab().getByLabel("Start x").inputValue()), Number(await lab().getByLabel("Start y").inputValue())];
  const lr = Number(await lab().getByRole("spinbutton", { name: "Learning rate α value" }).inputValue());
  for (let i = 0; i < 3; i++) await button("Step").click();
  await output("iteration t").filter({ hasText: /^3$/ }).waitFor();
  for (let k = 0; k < 3; k++) [x, y] = [x - lr * (2 * x + 3 * y), y - lr * (3 * x + 8 * y)];
  assert.deepEqual(pair(await output("theta").textContent()), [Number(x.toPrecision(6)), Number(y.toPrecision(6))]);
  assert.equal(await message().textContent(), "");
});

test("a mistake says where and keeps the function in force; a link reopens the typed function at its step", async () => {
  await useFunction("sin(x)*cos(y) + 0.1*(x^2 + y^2)");
  for (let i = 0; i < 4; i++) await button("Step").click();
  const theta = await output("theta").textContent();
  const before = await partials();
  await useFunction("x +* y");
  await message().filter({ hasText: /^column 4: expected a number, a name or “\(”, found “\*”/ }).waitFor();
  assert.deepEqual(await partials(), before, "the previous function stays");
  assert.equal(await output("theta").textContent(), theta);
  await useFunction("foo(x)");
  await message().filter({ hasText: /unknown name “foo”; the names are x, y, pi and e/ }).waitFor();
  await session.page.getByRole("button", { name: "Copy link" }).click();
  const link = await session.page.evaluate(() => location.href);
  assert.match(link, /surface=typed/);
  await session.page.goto("about:blank");
  await session.page.goto(link);
  await session.page.waitForSelector("body[data-ready=true]");
  await output("iteration t").filter({ hasText: /^4$/ }).waitFor();
  assert.equal(await output("theta").textContent(), theta, "the same θ, to the digit");
  assert.deepEqual(await partials(), before);
});

test("where f is not defined the heatmap is grey, and a step that lands there stops the run with a reason", async () => {
  await useFunction("log(x) + y^2", [-1, 2, -1, 1]);
  const grey = await lab().getByRole("img", { name: /surface/i }).first().evaluate((canvas) => {
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] === 232 && data[i + 1] === 232 && data[i + 2] === 232) n++;
    return n / (data.length / 4);
  });
  assert.ok(grey > 0.1, `a third of the box is x ≤ 0: ${grey} of the canvas grey`);
  assert.match(await lab().locator("#surface-note").textContent(), /^Grey: where f is not defined or not a finite number \((3[0-9])% of the box\)\.$/);
  await lab().getByLabel("Start x").fill("0.05");
  await lab().getByLabel("Start x").press("Enter");
  const lr = lab().getByRole("spinbutton", { name: "Learning rate α value" });
  await lr.fill("0.5");
  await lr.press("Enter");
  await button("Step").click();
  await message().filter({ hasText: /^Stopped at iteration 1: the step lands where f or its gradient is not defined/ }).waitFor();
  assert.equal(await output("iteration t").textContent(), "0");
});

test("one variable: a typed f(x) shows f′(x), steps along x by the update rule, and a link reopens it", async () => {
  await lab().getByRole("combobox", { name: "Loss surface" }).selectOption("curve");
  const field = lab().getByRole("textbox", { name: "f(x) =" });
  await field.fill("x^3 - 2*x");
  await field.press("Enter");
  assert.equal(await lab().getByLabel("Derivative", { exact: true }).textContent(), "f′(x) = 3·x^2 − 2");
  let x = Number(await output("theta").textContent());
  const lr = Number(await lab().getByRole("spinbutton", { name: "Learning rate α value" }).inputValue());
  for (let i = 0; i < 2; i++) await button("Step").click();
  await output("iteration t").filter({ hasText: /^2$/ }).waitFor();
  for (let k = 0; k < 2; k++) x -= lr * (3 * x * x - 2);
  assert.equal(Number(await output("theta").textContent()), Number(x.toPrecision(6)));
  assert.match((await lab().getByRole("list", { name: "Next update, written out" }).textContent()), /^g⁽²⁾ = f′\(x⁽²⁾\) = /);
  assert.equal(await lab().getByRole("checkbox", { name: "3-D" }).isVisible(), false, "no 3-D view of a curve");
  await session.page.getByRole("button", { name: "Copy link" }).click();
  const link = await session.page.evaluate(() => location.href);
  await session.page.goto("about:blank");
  await session.page.goto(link);
  await session.page.waitForSelector("body[data-ready=true]");
  await output("iteration t").filter({ hasText: /^2$/ }).waitFor();
  assert.equal(Number(await output("theta").textContent()), Number(x.toPrecision(6)));
  assert.equal(await lab().getByLabel("Derivative", { exact: true }).textContent(), "f′(x) = 3·x^2 − 2");
});
