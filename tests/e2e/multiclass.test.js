// Many classes in the backprop lab: a softmax output, its coloured regions,
// the confusion matrix, the number of classes and typed labels.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pagePerTest } from "./browser.js";

const session = pagePerTest({ prepare: (page) => page.getByRole("tab", { name: "Backprop lab" }).click() });
const lab = () => session.page.getByRole("tabpanel", { name: "Backprop lab" });
const output = (name) => lab().getByRole("status", { name, exact: true });
const field = (name) => lab().getByLabel(name, { exact: true });

async function setField(name, value) {
  await field(name).fill(String(value));
  await field(name).press("Enter");
}

/** The confusion matrix of the training points, a row of counts for each true class. */
const confusion = () =>
  session.page.locator("#nn-confusion-train tr").evaluateAll((rows) => rows.slice(1).map((row) => [...row.querySelectorAll("td")].map((td) => Number(td.textContent))));

test("blobs of three classes: a softmax of three, trained, splits the plane into three colours and its confusion matrix is the accuracy", async () => {
  assert.equal(await session.page.locator("#nn-confusion").isVisible(), false, "no matrix for two classes");
  assert.equal(await lab().getByLabel("Classes").isVisible(), false);
  await field("Data set").selectOption("blobs");
  assert.equal(await field("Output").inputValue(), "softmax");
  assert.equal(await field("Loss").inputValue(), "ce");
  assert.equal(await lab().getByLabel("Classes").inputValue(), "3");
  assert.ok(Math.abs(Number(await output("train loss").textContent()) - Math.log(3)) < 0.4, "about ln 3 before training");
  for (let k = 0; k < 20; k++) await lab().getByRole("button", { name: "Step epoch", exact: true }).click();
  const [train] = (await output("accuracy").textContent()).match(/^\S+(?=%)/);
  assert.ok(Number(train) >= 95, `trained: ${train}%`);
  const counts = await confusion();
  assert.equal(counts.length, 3);
  const total = counts.flat().reduce((a, b) => a + b);
  assert.equal(total, 140, "every training point once");
  const right = counts.reduce((s, row, k) => s + row[k], 0);
  assert.equal((100 * right / total).toFixed(1), train, "the diagonal is the training accuracy");
  // The regions: orange, blue and green each cover a good part of the plot.
  const shares = await session.page.locator("#nn-boundary-canvas").evaluate((canvas) => {
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    const seen = { orange: 0, blue: 0, green: 0 };
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (r > b + 60 && r > g) seen.orange++;
      else if (b > r + 60 && b > g) seen.blue++;
      else if (g > r + 40 && g > b) seen.green++;
    }
    return Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, v / (data.length / 4)]));
  });
  for (const [colour, share] of Object.entries(shares)) assert.ok(share > 0.05, `${colour} covers ${share}`);
});

test("five classes: five outputs, a click adds a point of class 4, and a typed label outside 0 … 4 is refused with the run kept", async () => {
  await field("Data set").selectOption("arms");
  await setField("Classes", 5);
  assert.equal((await confusion()).length, 5);
  assert.equal((await session.page.locator("#nn-confusion-test tr").count()) - 1, 5, "five classes, five rows");
  const modes = await field("A click on the data chart").evaluate((s) => [...s.options].map((o) => o.value));
  assert.deepEqual(modes, ["none", "add0", "add1", "add2", "add3", "add4", "remove"]);
  const points = async () => Number((await output("points in use").textContent()).split(" ")[0]);
  const before4 = await points();
  await field("A click on the data chart").selectOption("add4");
  await lab().getByRole("img", { name: /^Decision boundary/ }).click({ position: { x: 150, y: 120 } });
  assert.match(await lab().getByLabel(/One point a line/).inputValue(), /,4\n$/);
  assert.equal(await points(), before4 + 1, "one point of class 4 more");
  const before = await output("points in use").textContent();
  await session.page.locator("summary", { hasText: "Your own points (CSV)" }).click();
  await lab().getByLabel(/One point a line/).fill("0,0,0\n1,1,7\n");
  await lab().getByRole("button", { name: "Use these points", exact: true }).click();
  await session.page.locator("#nn-message").filter({ hasText: /label 0 … 4/ }).waitFor();
  assert.equal(await output("points in use").textContent(), before, "the run is kept");
});

test("a softmax on numbers is refused and says why", async () => {
  await field("Data set").selectOption("sine");
  await field("Output").selectOption("softmax");
  await session.page.locator("#nn-message").filter({ hasText: /softmax output needs classes/ }).waitFor();
  assert.equal(await field("Output").inputValue(), "linear", "the form shows the settings in force");
});
