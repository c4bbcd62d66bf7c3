// Inside each layer: the distributions of the weights, gradients and
// activations of every layer against epoch, and each layer's health in words.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pagePerTest } from "./browser.js";

const session = pagePerTest({ prepare: (page) => page.getByRole("tab", { name: "Backprop lab" }).click() });
const lab = () => session.page.getByRole("tabpanel", { name: "Backprop lab" });

/** How many of the canvas's pixels are not white, and a fingerprint of the picture. */
const picture = () =>
  session.page.locator("#nn-inside-canvas").evaluate((canvas) => {
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 200 || data[i + 1] < 200) ink++;
    return { ink: ink / (data.length / 4), url: canvas.toDataURL() };
  });

/**
 * The picture once it is none of `seen`, or as it is after 5 s: the view is
 * computed over the frames after a change, the picture before staying until then.
 */
async function pictureNotIn(seen) {
  let drawn = await picture();
  for (let tries = 0; seen.has(drawn.url) && tries < 50; tries++) {
    await session.page.waitForTimeout(100);
    drawn = await picture();
  }
  return drawn;
}

test("the view opens on each quantity, draws a row a layer and says how each layer is doing", async () => {
  const panel = session.page.locator("#nn-inside-panel");
  assert.equal(await panel.evaluate((d) => d.open), false, "closed at first: it costs nothing then");
  for (let k = 0; k < 5; k++) await lab().getByRole("button", { name: "Step epoch", exact: true }).click();
  await panel.locator("summary").click();
  const health = lab().getByRole("list", { name: "Each layer now" }).getByRole("listitem");
  await health.first().waitFor();
  const lines = await health.allTextContents();
  assert.equal(lines.length, 2, "a line a layer");
  assert.match(lines[0], /^Layer 1: tanh · saturated \d+\.\d% · ‖ΔW‖\/‖W‖ = \S+ \(/);
  assert.match(lines[1], /^Layer 2: sigmoid · saturated/);
  const seen = new Set();
  for (const quantity of ["weights", "gradients", "activations"]) {
    await lab().getByLabel("Show", { exact: true }).selectOption(quantity);
    const drawn = await pictureNotIn(seen);
    assert.ok(drawn.ink > 0.03, `${quantity}: the strips are drawn (${drawn.ink})`);
    seen.add(drawn.url);
  }
  assert.equal(seen.size, 3, "each quantity draws its own picture");
  await lab().getByRole("button", { name: "Step epoch", exact: true }).click();
  const after = await pictureNotIn(seen);
  assert.ok(!seen.has(after.url), "a new epoch adds a column");
});

test("a ReLU layer says how many of its neurons are dead instead of how many are saturated", async () => {
  await lab().getByLabel("Activation of hidden layer 1").selectOption("relu");
  await session.page.locator("#nn-inside-panel summary").click();
  const first = lab().getByRole("list", { name: "Each layer now" }).getByRole("listitem").first();
  await first.waitFor();
  assert.match(await first.textContent(), /^Layer 1: relu · dead \d of 4 · /);
});
