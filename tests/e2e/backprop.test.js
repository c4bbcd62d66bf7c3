// The backprop lab as a person uses it: controls found by role and accessible
// name, numbers read off the page and checked against the formulas.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertApart, assertCanvasFits, diagramPosition, pagePerTest, shownNumber, writtenProducts } from "./browser.js";

const session = pagePerTest({ prepare: (page) => page.getByRole("tab", { name: "Backprop lab" }).click() });

/** The backprop lab's tab panel: every control is looked up inside it. */
const lab = () => session.page.getByRole("tabpanel", { name: "Backprop lab" });
const button = (name) => lab().getByRole("button", { name, exact: true });
const output = (name) => lab().getByRole("status", { name, exact: true });
const message = () => session.page.locator("#nn-message");

async function setField(name, value) {
  const field = lab().getByLabel(name, { exact: true });
  await field.fill(String(value));
  await field.press("Enter");
}

async function phaseTitle() {
  return session.page.locator("#nn-phase-title").textContent();
}

test("XOR with one hidden layer: an epoch moves the counter and the loss, Back undoes it", async () => {
  assert.equal(await lab().getByLabel("Data set", { exact: true }).inputValue(), "xor");
  assert.equal(await session.page.locator("#nn-layers .layer").count(), 1);
  const loss0 = await output("train loss").textContent();
  await button("Step epoch").click();
  assert.equal(await output("epoch").textContent(), "1");
  assert.notEqual(await output("train loss").textContent(), loss0);
  await button("Back").click();
  assert.equal(await output("epoch").textContent(), "0");
  assert.equal(await output("train loss").textContent(), loss0);
});

test("stepping through the phases writes the chain rule with numbers that add up, and the update applies it", async () => {
  await setField("Batch size", 0); // full batch: one update is one epoch
  await lab().getByRole("img", { name: /^Network diagram/ }).click({ position: { x: 5, y: 5 } }); // outside every weight: selection stays W¹₁,₁
  assert.equal(await output("selected weight").textContent(), "W¹₁,₁");
  const seen = [];
  for (let i = 0; i < 5; i++) {
    await button("Step phase").click();
    seen.push(await phaseTitle());
  }
  assert.deepEqual(seen, ["Phase: Forward, layer 1", "Phase: Forward, layer 2", "Phase: Loss", "Phase: Backward, layer 2", "Phase: Backward, layer 1"]);
  const chain = await lab().getByRole("list", { name: "Chain rule, written out" }).locator("li").allTextContents();
  assert.match(chain[0], /^∂L\/∂W¹₁,₁ = Σₑ δ¹ₑ,₁ · a⁰ₑ,₁/);
  // Line 2 lists δ·a for the first examples; with 140 examples the rest is summarised, so check the products' arithmetic.
  const terms = writtenProducts(chain[1]);
  assert.equal(terms.length, 4, chain[1]);
  const total = Number(chain[1].split(" = ").pop());
  const [value, gradient] = (await output("selected weight value").textContent()).split(", gradient ").map(Number);
  assert.equal(total, gradient, "the written total is the gradient the update uses");
  // δ¹₁,₁ written out: (Σ δ²·W²) · tanh'(z) = back · slope = product.
  const [, , unrolled, back, product] = chain[2].split(" = ");
  const sum = writtenProducts(unrolled).reduce((s, [a, b]) => s + a * b, 0);
  const [backValue, slope] = back.split(" · ").map(shownNumber);
  assert.ok(Math.abs(sum - backValue) <= 1e-5 * Math.max(1, Math.abs(sum)), `${sum} vs ${back}`);
  assert.ok(Math.abs(backValue * slope - Number(product)) <= 1e-5 * Math.abs(Number(product)) + 1e-12, chain[2]);

  await button("Step phase").click();
  assert.equal(await phaseTitle(), "Phase: Update");
  await button("Step phase").click();
  assert.equal(await output("epoch").textContent(), "1");
  const after = Number(await output("selected weight value").textContent());
  const lr = Number(await lab().getByLabel("Learning rate α", { exact: true }).inputValue());
  assert.ok(Math.abs(after - (value - lr * gradient)) <= 1e-5 * Math.max(1, Math.abs(after)), `w ← w − α·g: ${after} vs ${value} − ${lr}·${gradient}`);

  await button("Back").click();
  assert.equal(await output("epoch").textContent(), "0");
  assert.equal(Number(await output("selected weight value").textContent()), value);
});

test("a layer-2 weight's chain rule on four points lists every term, and they add up to its gradient", async () => {
  await setField("Points", 4);
  await setField("Train share", 1);
  await setField("Batch size", 0);
  const canvas = lab().getByRole("img", { name: /^Network diagram/ });
  await canvas.click({ position: await diagramPosition(session.page, "W²₃,₁") });
  assert.equal(await output("selected weight").textContent(), "W²₃,₁");
  while ((await phaseTitle()) !== "Phase: Backward, layer 2") await button("Step phase").click();
  const chain = await lab().getByRole("list", { name: "Chain rule, written out" }).locator("li").allTextContents();
  assert.match(chain[0], /^∂L\/∂W²₃,₁ = Σₑ δ²ₑ,₁ · a¹ₑ,₃/);
  const terms = writtenProducts(chain[1]);
  assert.equal(terms.length, 4, `every example's term: ${chain[1]}`);
  const sum = terms.reduce((s, [a, b]) => s + a * b, 0);
  const gradient = Number((await output("selected weight value").textContent()).split(", gradient ")[1]);
  assert.ok(Math.abs(sum - gradient) <= 1e-5 * Math.max(1e-3, Math.abs(gradient)), `Σ δ·a = ${sum} vs ∂L/∂W = ${gradient}`);
  // The output layer's δ of example 1: (a − y)/m with m = 4.
  const [, , , rule, delta] = chain[2].split(" = ");
  const [a, y] = rule.match(/^\((.*) − (.*)\)\/4$/).slice(1).map(shownNumber);
  assert.ok(Math.abs((a - y) / 4 - Number(delta)) <= 1e-5 * Math.max(1e-3, Math.abs(Number(delta))), chain[2]);
});

test("the exported table's last row holds the numbers the readout shows", async () => {
  for (let i = 0; i < 3; i++) await button("Step epoch").click();
  const [file] = await Promise.all([session.page.waitForEvent("download"), button("Table (CSV)").click()]);
  assert.equal(file.suggestedFilename(), "gradlab-network.csv");
  const chunks = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk);
  const lines = Buffer.concat(chunks).toString("utf8").trim().split("\n");
  assert.equal(lines[0], "epoch,update,train loss,test loss,train accuracy,test accuracy,norm layer 1,norm layer 2,note");
  assert.equal(lines.length, 5, "epochs 0 to 3");
  const [epoch, update, trainLoss, testLoss, trainAccuracy, testAccuracy, norm1, norm2] = lines[4].split(",");
  assert.equal(epoch, await output("epoch").textContent());
  assert.equal(update, "0");
  assert.equal(trainLoss, await output("train loss").textContent());
  assert.equal(testLoss, await output("test loss").textContent());
  const percent = (share) => `${(100 * Number(share)).toFixed(1)}%`;
  assert.equal(`${percent(trainAccuracy)} / ${percent(testAccuracy)}`, await output("accuracy").textContent());
  assert.equal(`1: ${norm1}, 2: ${norm2}`, await output("gradient norm per layer").textContent());
});

test("a deep sigmoid network shows vanishing gradients in the first layers", async () => {
  await button("Deep sigmoid network (vanishing gradients)").click();
  assert.equal(await session.page.locator("#nn-layers .layer").count(), 5);
  const before = await lab().getByRole("img", { name: /^Gradient norm/ }).evaluate((c) => c.toDataURL());
  for (let i = 0; i < 5; i++) await button("Step epoch").click();
  assert.equal(await output("epoch").textContent(), "5");
  const after = await lab().getByRole("img", { name: /^Gradient norm/ }).evaluate((c) => c.toDataURL());
  assert.notEqual(after, before, "the gradient-norm chart redrew");
  const norms = (await output("gradient norm per layer").textContent()).split(", ").map((s) => Number(s.split(": ")[1]));
  assert.equal(norms.length, 6);
  assert.ok(norms[0] * 100 < norms[5], `layer 1 (${norms[0]}) is orders of magnitude below layer 6 (${norms[5]})`);
});

test("the gradient check agrees with backpropagation on every layer, and is of the weights shown", async () => {
  await button("Step epoch").click();
  await button("Check gradients").click();
  const table = lab().getByRole("table", { name: "Gradient check per layer" });
  await table.waitFor();
  const rows = await table.locator("tbody tr").allTextContents();
  assert.equal(rows.length, 2);
  for (const row of rows) assert.match(row, /agrees to \d+ digits$/);
  await button("Step epoch").click();
  assert.ok(await table.isHidden(), "a check of the weights before is not shown");
});

test("bad settings get a message and the run is kept", async () => {
  await button("Step epoch").click();
  for (const [field, value, says] of [
    ["Neurons in hidden layer 1", 0, /1 to 16 neurons/],
    ["Neurons in hidden layer 1", 17, /1 to 16 neurons/],
    ["Learning rate α", 0, /above 0/],
    ["Learning rate α", -1, /above 0/],
    ["Learning rate α", "", /^Learning rate α is not a number/],
    ["Learning rate α", "1e300", /at most 1000 \(got 1e300\)$/],
    ["Points", 0, /1 to 2000/],
  ]) {
    await setField(field, value);
    await message().filter({ hasText: says }).waitFor();
    assert.equal(await output("epoch").textContent(), "1", `${field} = ${value}: the run is kept`);
    const wide = await session.page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(wide <= 0, `${field} = ${value}: the message leaves the page its width (${wide} px wider)`);
  }
  assert.equal(await lab().getByLabel("Neurons in hidden layer 1", { exact: true }).inputValue(), "4", "the form shows the settings in force");
  for (let i = 0; i < 5; i++) await button("Add layer").click();
  assert.equal(await session.page.locator("#nn-layers .layer").count(), 6);
  assert.ok(await button("Add layer").isDisabled(), "at most six hidden layers");
  await lab().getByLabel("Loss", { exact: true }).selectOption("bce");
  await lab().getByLabel("Output", { exact: true }).selectOption("linear");
  await message().filter({ hasText: /cross-entropy needs a sigmoid output/ }).waitFor();
});

test("a learning rate far too large diverges and the session.page says so", async () => {
  await lab().getByLabel("Data set", { exact: true }).selectOption("linear");
  await lab().getByLabel("Neurons in hidden layer 1", { exact: true }).fill("8");
  await lab().getByLabel("Activation of hidden layer 1", { exact: true }).selectOption("relu");
  await setField("Learning rate α", 500);
  for (let i = 0; i < 40; i++) {
    await button("Step epoch").click();
    if (/Diverged/.test(await message().textContent())) break;
  }
  await message().filter({ hasText: /^Diverged in epoch \d+/ }).waitFor();
  const epoch = await output("epoch").textContent();
  await button("Step epoch").click();
  assert.equal(await output("epoch").textContent(), epoch, "no step after divergence");
});

test("typed points: bad lines are named and nothing is lost; good ones are trained on", async () => {
  await lab().getByText("Your own points (CSV)").click();
  const csv = lab().getByLabel(/One point a line/);
  await csv.fill("0.5,0.5,1\n-0.5,oops,0\n1,2\n");
  await button("Use these points").click();
  await message().filter({ hasText: "line 2, 3 not of the form x1,x2,label" }).waitFor();
  assert.equal(await lab().getByLabel("Data set", { exact: true }).inputValue(), "xor");
  await csv.fill("0.5,0.5,1\n-0.5,-0.5,1\n0.5,-0.5,0\n-0.5,0.5,0\n0.6,0.6,1\n-0.6,0.6,0\n");
  await setField("Train share", 1);
  await button("Use these points").click();
  assert.equal(await message().textContent(), "");
  await button("Step epoch").click();
  assert.equal(await output("epoch").textContent(), "1");
  assert.match(await output("test loss").textContent(), /no test points/);
});

for (const [width, height] of [[1280, 800], [1024, 768]]) {
  test(`nothing overlaps at ${width}×${height}`, async () => {
    await session.page.setViewportSize({ width, height });
    await session.page.waitForTimeout(200);
    const boxes = [
      ["settings", await lab().getByRole("form", { name: "Network settings" }).boundingBox()],
      ["network", await lab().getByRole("region", { name: "Network and chain rule" }).boundingBox()],
      ["charts", await lab().getByRole("region", { name: "Training charts" }).boundingBox()],
    ];
    assertApart(boxes, `${width}×${height}`);
    for (const name of [/^Network diagram/, /^Decision boundary/, /^Loss and accuracy/, /^Gradient norm/, /^Loss along the line/, /^Loss landscape/]) {
      await assertCanvasFits(lab().getByRole("img", { name }), width, String(name));
    }
  });
}

test("clicks on the data chart add and remove points", async () => {
  const count = async () => Number((await output("points in use").textContent()).split(" ")[0]);
  assert.equal(await count(), 200);
  const chart = lab().getByRole("img", { name: /^Decision boundary/ });
  await chart.click({ position: { x: 150, y: 120 } });
  assert.equal(await count(), 200, "clicks do nothing until a click mode is chosen");
  await lab().getByLabel("A click on the data chart", { exact: true }).selectOption("add1");
  await chart.click({ position: { x: 150, y: 120 } });
  await chart.click({ position: { x: 180, y: 140 } });
  assert.equal(await count(), 202);
  assert.match(await lab().getByLabel(/One point a line/).inputValue(), /,1\n$/);
  await lab().getByLabel("A click on the data chart", { exact: true }).selectOption("remove");
  await chart.click({ position: { x: 180, y: 140 } });
  assert.equal(await count(), 201);
  await button("Step epoch").click();
  assert.equal(await output("epoch").textContent(), "1");
});

test("Play trains epoch after epoch until Pause", async () => {
  await lab().getByRole("slider", { name: /^Speed/ }).fill("60");
  await button("Play").click();
  await lab().getByRole("status", { name: "epoch", exact: true }).filter({ hasText: /^([5-9]|\d\d+)$/ }).waitFor({ timeout: 10_000 });
  await button("Pause").click();
  const epoch = await output("epoch").textContent();
  await session.page.waitForTimeout(300);
  assert.equal(await output("epoch").textContent(), epoch, "paused");
  assert.equal(await button("Play").getAttribute("aria-pressed"), "false");
});

test("while training plays, the slow views off screen wait, and follow the training once scrolled into view", async () => {
  const page = session.page;
  const texts = () => page.evaluate(() => ["nn-line-canvas-text", "nn-landscape-canvas-text"].map((id) => document.getElementById(id).textContent));
  // Paused, every view computes, on screen or not.
  await page.waitForFunction(() => /41 × 41 grid/.test(document.getElementById("nn-landscape-canvas-text").textContent), null, { timeout: 20_000 });
  const [line, landscape] = await texts();
  assert.match(line, /now/);
  assert.ok((await page.locator("#nn-landscape-canvas").boundingBox()).y > 800, "the landscape starts below the first screen");
  await lab().getByRole("slider", { name: /^Speed/ }).fill("60");
  await button("Play").click();
  await page.waitForTimeout(1500);
  assert.ok(Number(await output("epoch").textContent()) > 20, "training plays (and has not stopped, which would bring every view up to date)");
  assert.deepEqual(await texts(), [line, landscape], "the line and the landscape off screen wait");
  await page.locator("#nn-landscape-canvas").scrollIntoViewIfNeeded();
  await page.waitForFunction((before) => document.getElementById("nn-landscape-canvas-text").textContent !== before, landscape, { timeout: 20_000 });
  await button("Pause").click();
});

test("clear all points: the session.page says what to do, and points added by clicks train again", async () => {
  await button("Clear all points").click();
  assert.equal(await output("points in use").textContent(), "0 points in use: 0 for training, 0 for testing");
  assert.equal(await lab().getByLabel("A click on the data chart", { exact: true }).inputValue(), "add1", "a click now adds points");
  await button("Step epoch").click();
  await message().filter({ hasText: /no points to learn from/ }).waitFor();
  assert.equal(await output("epoch").textContent(), "0");
  const chart = lab().getByRole("img", { name: /^Decision boundary/ });
  await chart.click({ position: { x: 250, y: 80 } });
  await lab().getByLabel("A click on the data chart", { exact: true }).selectOption("add0");
  await chart.click({ position: { x: 120, y: 200 } });
  await setField("Train share", 1);
  assert.equal(await output("points in use").textContent(), "2 points in use: 2 for training, 0 for testing");
  await button("Step epoch").click();
  assert.equal(await output("epoch").textContent(), "1");
});

test("keyboard: → an epoch, Shift+→ a phase, ← back, ] raises α", async () => {
  await session.page.evaluate(() => document.activeElement?.blur());
  await session.page.keyboard.press("ArrowRight");
  assert.equal(await output("epoch").textContent(), "1");
  await session.page.keyboard.press("Shift+ArrowRight");
  assert.equal(await phaseTitle(), "Phase: Forward, layer 1");
  await session.page.keyboard.press("ArrowLeft");
  await session.page.keyboard.press("ArrowLeft");
  assert.equal(await output("epoch").textContent(), "0");
  await session.page.keyboard.press("]");
  assert.equal(await lab().getByLabel("Learning rate α", { exact: true }).inputValue(), "0.378");
});

test("hovering a weight shows its value, and its gradient inside an update", async () => {
  const canvas = lab().getByRole("img", { name: /^Network diagram/ });
  // The first input neuron's edge to the first hidden neuron: follow the diagram's own geometry.
  const box = await canvas.boundingBox();
  await canvas.click({ position: { x: 5, y: 5 } });
  // Backward reaches layer 1 in the fifth phase of a two-layer network; before that no gradient is known.
  for (let i = 0; i < 4; i++) await button("Step phase").click();
  assert.equal(await phaseTitle(), "Phase: Backward, layer 2");
  assert.doesNotMatch(await output("selected weight value").textContent(), /gradient/, "no gradient before backward reaches the layer");
  await button("Step phase").click();
  assert.equal(await phaseTitle(), "Phase: Backward, layer 1");
  const found = await session.page.evaluate(async ({ w, h }) => {
    for (let y = 30; y < h; y += 3) {
      for (let x = 40; x < w / 3; x += 3) {
        const canvas = document.getElementById("nn-network-canvas");
        canvas.dispatchEvent(new MouseEvent("mousemove", { clientX: canvas.getBoundingClientRect().left + x, clientY: canvas.getBoundingClientRect().top + y }));
        const tip = document.getElementById("nn-hover");
        if (!tip.hidden && tip.textContent.startsWith("W¹₁,₁")) return tip.textContent;
      }
    }
    return null;
  }, { w: box.width, h: box.height });
  assert.ok(found, "some point of the diagram shows W¹₁,₁");
  const value = (await output("selected weight value").textContent()).split(",")[0];
  assert.ok(found.startsWith(`W¹₁,₁ = ${value}, ∂L/∂w = `), found);
});

test("the loss along the line from the start to now redraws as training moves the weights", async () => {
  const chart = lab().getByRole("img", { name: /^Loss along the line/ });
  const atStart = await chart.evaluate((c) => c.toDataURL());
  for (let i = 0; i < 3; i++) await button("Step epoch").click();
  assert.notEqual(await chart.evaluate((c) => c.toDataURL()), atStart);
});

test("hovering the loss chart shows the nearest epoch and its exact losses", async () => {
  for (let i = 0; i < 4; i++) await button("Step epoch").click();
  await output("epoch").filter({ hasText: /^4$/ }).waitFor();
  const chart = lab().getByRole("img", { name: "Loss and accuracy against epoch" });
  const box = await chart.boundingBox();
  const tip = session.page.locator("#hover-tip");
  let text = "";
  for (let x = 0.95; x > 0.05 && !text.startsWith("epoch 4 "); x -= 0.01) {
    await chart.hover({ position: { x: box.width * x, y: box.height * 0.3 } });
    text = (await tip.isVisible()) ? await tip.textContent() : "";
  }
  assert.equal(text.split(" · ").slice(0, 2).join(" · "), `epoch 4 · train L = ${await output("train loss").textContent()}`, text);
  assert.deepEqual(session.errors, []);
});

test("a new α trains again from the same initial weights to the same epoch, the old curves dashed; applied from this step on, it holds from the next update", async () => {
  for (let i = 0; i < 10; i++) await button("Step epoch").click();
  await output("epoch").filter({ hasText: /^10$/ }).waitFor();
  const before = await output("train loss").textContent();
  const lossChart = lab().getByRole("img", { name: "Loss and accuracy against epoch" });
  const alone = await lossChart.evaluate((c) => c.toDataURL());
  await setField("Learning rate α", 0.1);
  await output("epoch").filter({ hasText: /^10$/ }).waitFor();
  await session.page.waitForFunction(() => !document.querySelector("#nn-message").textContent.startsWith("Training again"));
  const retrained = await output("train loss").textContent();
  assert.notEqual(retrained, before, "trained again with α = 0.1 (0.3 before)");
  const withGhost = await lossChart.evaluate((c) => c.toDataURL());
  // The boundary before the change is outlined in grey over the regions.
  const grey = () =>
    lab().getByRole("img", { name: /^Decision boundary/ }).evaluate((canvas) => {
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] < 150 && Math.abs(data[i] - data[i + 1]) < 12 && Math.abs(data[i] - data[i + 2]) < 12) n++;
      return n;
    });
  const outlined = await grey();
  await button("Reset").click();
  for (let i = 0; i < 10; i++) await button("Step epoch").click();
  await output("epoch").filter({ hasText: /^10$/ }).waitFor();
  assert.equal(await output("train loss").textContent(), retrained, "a fresh run at α = 0.1 reaches the same loss");
  const fresh = await lossChart.evaluate((c) => c.toDataURL());
  assert.notEqual(withGhost, fresh, "the old curves were drawn dashed beside the new");
  const plain = await grey();
  assert.ok(outlined > plain + 100, `the old boundary outlined: ${outlined} grey pixels, ${plain} without it`);
  assert.notEqual(alone, fresh);
  await lab().getByRole("checkbox", { name: "Apply from this step on" }).check();
  await setField("Learning rate α", 0.05);
  assert.equal(await output("epoch").textContent(), "10", "the history stays");
  assert.equal(await output("train loss").textContent(), retrained, "α holds from the next update");
  assert.deepEqual(session.errors, []);
});

test("pin a run, change the network and train again: the pinned curves stay on the charts, named, until unpinned", async () => {
  for (let i = 0; i < 8; i++) await button("Step epoch").click();
  const pinned = await output("train loss").textContent();
  await button("Pin this run").click();
  const pins = lab().getByRole("list", { name: "Pinned runs" });
  assert.match(await pins.textContent(), /^pin 1: XOR \(classes\), 200 points, noise 0\.1; 4 tanh; sigmoid output, cross-entropy, Xavier\/Glorot; Gradient descent α = 0\.3, batch 10; seed 1/);
  await button("Remove layer").click();
  for (let i = 0; i < 8; i++) await button("Step epoch").click();
  await output("epoch").filter({ hasText: /^8$/ }).waitFor();
  const chart = lab().getByRole("img", { name: "Loss and accuracy against epoch" });
  const withPin = await chart.evaluate((c) => c.toDataURL());
  // The hover names the pin's loss at the epoch under the pointer.
  const box = await chart.boundingBox();
  const tip = session.page.locator("#hover-tip");
  let text = "";
  for (let x = 0.95; x > 0.05 && !text.startsWith("epoch 8 "); x -= 0.01) {
    await chart.hover({ position: { x: box.width * x, y: box.height * 0.3 } });
    text = (await tip.isVisible()) ? await tip.textContent() : "";
  }
  assert.match(text, new RegExp(`pin 1: train L = ${pinned.replace(".", "\\.")}`), text);
  await lab().getByRole("button", { name: "Unpin pin 1" }).click();
  assert.equal(await pins.locator("li").count(), 0);
  assert.notEqual(await chart.evaluate((c) => c.toDataURL()), withPin, "the pinned curves are gone");
  for (let i = 0; i < 3; i++) await button("Pin this run").click();
  assert.ok(await button("Pin this run").isDisabled(), "three at most");
  assert.deepEqual(session.errors, []);
});

test("the range test draws the loss as α grows, suggests an α below where it blows up, and a click on it takes an α", async () => {
  for (let i = 0; i < 5; i++) await button("Step epoch").click();
  const loss = await output("train loss").textContent();
  await button("Range test").click();
  const chart = lab().getByRole("img", { name: /^Range test/ });
  await chart.waitFor();
  const note = await session.page.locator("#nn-range-note").filter({ hasText: /^Suggested α ≈/ }).textContent();
  const [, suggested, blown] = note.match(/^Suggested α ≈ (\S+), a tenth of the α of the least loss; it blows up past α ≈ (\S+) \(after \d+ updates\)/).map(Number);
  assert.ok(suggested > 0.01 && suggested < blown, note);
  assert.equal(await output("train loss").textContent(), loss, "the run itself is untouched");
  const box = await chart.boundingBox();
  await chart.click({ position: { x: box.width * 0.55, y: box.height * 0.5 } });
  const lr = Number(await lab().getByLabel("Learning rate α", { exact: true }).inputValue());
  assert.ok(lr > 1e-5 && lr < 10 && lr !== 0.3, `α taken from the chart: ${lr}`);
  await session.page.waitForFunction(() => !document.querySelector("#nn-message").textContent.startsWith("Training again"));
  assert.equal(await output("epoch").textContent(), "5", "trained again to the same epoch with the α taken");
  await button("Hide it").click();
  assert.ok(await chart.isHidden());
  assert.deepEqual(session.errors, []);
});

test("the range test's range is set in the form: a reversed one is refused with its reason, a good one is drawn from its first α", async () => {
  assert.deepEqual(
    [await lab().getByLabel("From α", { exact: true }).inputValue(), await lab().getByLabel("to α", { exact: true }).inputValue(), await lab().getByLabel("in updates", { exact: true }).inputValue()],
    ["0.00001", "10", "200"],
  );
  await lab().getByLabel("From α", { exact: true }).fill("2");
  await lab().getByLabel("to α", { exact: true }).fill("0.5");
  await button("Range test").click();
  await message().filter({ hasText: "the range test's range is empty or reversed: from 2 to 0.5" }).waitFor();
  assert.ok(await lab().getByRole("img", { name: /^Range test/ }).isHidden(), "nothing drawn");
  await lab().getByLabel("From α", { exact: true }).fill("0.001");
  await lab().getByLabel("to α", { exact: true }).fill("1");
  await lab().getByLabel("in updates", { exact: true }).fill("50");
  await button("Range test").click();
  await session.page.locator("#nn-range-note").filter({ hasText: /^Suggested α ≈/ }).waitFor();
  assert.equal(await message().textContent(), "");
  await session.page.getByRole("button", { name: "Copy link" }).click();
  const link = await session.page.evaluate(() => location.href);
  assert.match(link, /range=0\.001%2C1%2C50|range=0\.001,1,50/);
  await session.page.goto("about:blank");
  await session.page.goto(link);
  await session.page.waitForSelector("body[data-ready=true]");
  assert.equal(await lab().getByLabel("in updates", { exact: true }).inputValue(), "50", "the link holds the range");
});
