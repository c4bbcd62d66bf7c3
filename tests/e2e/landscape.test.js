// The loss landscape: each view draws, follows the weights as training moves
// them, and refines without holding up a step; the 3-D views turn by dragging.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertCanvasFits, diagramPosition, openPage, pagePerTest } from "./browser.js";

const session = pagePerTest({ width: 1280, height: 900, prepare: (page) => page.getByRole("tab", { name: "Backprop lab" }).click() });

const lab = () => session.page.getByRole("tabpanel", { name: "Backprop lab" });
const button = (name) => lab().getByRole("button", { name, exact: true });
const chart = () => lab().getByRole("img", { name: "Loss landscape" });
const status = () => session.page.locator("#nn-landscape-status");
const picture = () => chart().evaluate((c) => c.toDataURL());

/** Waits until the picture is of the weights now (not marked as updating) and its grid complete: "grid 41 × 41". */
async function finished(page = session.page) {
  await page.waitForFunction(() => {
    const canvas = document.getElementById("nn-landscape-canvas");
    return !canvas.parentElement.classList.contains("updating") && /^grid 41 × 41(;|$)/.test(document.getElementById("nn-landscape-status").textContent);
  }, null, { timeout: 30_000 });
}

/** The share of the chart's pixels that are neither white nor grey: the heatmap or the surface. */
function colouredShare() {
  return chart().evaluate((c) => {
    const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++;
    }
    return coloured / (data.length / 4);
  });
}

/** Where on the network diagram the weight `name` is (found by hovering), in canvas pixels. */

test("two chosen weights: the slice draws, refines to 41 × 41 and moves when an epoch is stepped", async () => {
  assert.equal(await lab().getByLabel("Plane", { exact: true }).inputValue(), "weights");
  assert.equal(await lab().getByLabel("Weight a", { exact: true }).locator("option:checked").textContent(), "W¹₁,₁");
  assert.equal(await lab().getByLabel("Weight b", { exact: true }).locator("option:checked").textContent(), "W¹₁,₂");
  await finished();
  await assertCanvasFits(chart(), 1280, "landscape");
  assert.ok((await colouredShare()) > 0.3, "the heatmap fills the plot");
  const before = await picture();
  await button("Step epoch").click();
  await finished();
  assert.notEqual(await picture(), before, "the point and the surface under it moved");
});

test("clicking two weights on the diagram chooses them for the slice", async () => {
  const canvas = lab().getByRole("img", { name: /^Network diagram/ });
  await canvas.click({ position: await diagramPosition(session.page, "W²₃,₁") });
  await canvas.click({ position: await diagramPosition(session.page, "b¹₂") });
  assert.equal(await lab().getByLabel("Weight a", { exact: true }).locator("option:checked").textContent(), "b¹₂");
  assert.equal(await lab().getByLabel("Weight b", { exact: true }).locator("option:checked").textContent(), "W²₃,₁");
  await finished();
  assert.ok((await colouredShare()) > 0.3);
});

test("random directions and the plane of training draw; the plane of training waits for a path", async () => {
  await lab().getByLabel("Plane", { exact: true }).selectOption("random");
  await finished();
  const random = await picture();
  await lab().getByLabel("Direction seed", { exact: true }).fill("2");
  await lab().getByLabel("Direction seed", { exact: true }).press("Enter");
  await finished();
  const seeded = await picture();
  assert.notEqual(seeded, random, "another seed, other directions");
  await button("Step epoch").click();
  await finished();
  assert.notEqual(await picture(), seeded, "an epoch moves the plane with the weights");

  await lab().getByLabel("Plane", { exact: true }).selectOption("training");
  await session.page.waitForFunction(() => /No picture: .*step a few more epochs/.test(document.getElementById("nn-landscape-status").textContent));
  for (let i = 0; i < 6; i++) await button("Step epoch").click();
  await finished();
  const [first, second] = (await status().textContent()).match(/hold ([\d.]+)% and ([\d.]+)%/).slice(1).map(Number);
  assert.ok(first >= second && second > 0 && first + second <= 100.05, `${first} + ${second}`);
  assert.ok((await colouredShare()) > 0.3);
  const trained = await picture();
  await button("Step epoch").click();
  await finished();
  assert.notEqual(await picture(), trained, "an epoch extends the path and moves the plane");
});

test("on the largest network a step paints at once; the slow views (inside each layer too) keep their pictures, marked as updating, until theirs are done", async () => {
  const hidden = Array.from({ length: 6 }, () => "16:tanh").join(",");
  const { page, errors } = await openPage(session.browser, { path: `#lab=network&dataset=xor&points=2000&hidden=${encodeURIComponent(hidden)}&plane=random&inside=gradients&epochs=3` });
  await finished(page);
  const slow = ["nn-boundary-canvas", "nn-line-canvas", "nn-landscape-canvas", "nn-inside-canvas"];
  // What the page shows, in order: the epoch, and each slow view's marks.
  await page.evaluate((slow) => {
    window.seen = [];
    new MutationObserver(() => window.seen.push(`epoch ${document.getElementById("nn-epoch").textContent}`))
      .observe(document.getElementById("nn-epoch"), { childList: true, characterData: true, subtree: true });
    for (const id of slow) {
      const box = document.getElementById(id).parentElement;
      new MutationObserver(() => window.seen.push(`${id} ${box.classList.contains("updating") ? "updating" : "done"}`))
        .observe(box, { attributes: true, attributeFilter: ["class"] });
    }
  }, slow);
  await page.getByRole("button", { name: "Step epoch", exact: true }).click();
  await finished(page);
  await page.waitForFunction((slow) => slow.every((id) => !document.getElementById(id).parentElement.classList.contains("updating")), slow);
  const seen = await page.evaluate(() => window.seen);
  assert.equal(seen[0], "epoch 4", `the epoch first: ${seen.join(" | ")}`);
  for (const id of slow) {
    const [marked, done] = [seen.indexOf(`${id} updating`), seen.indexOf(`${id} done`)];
    assert.ok(marked > 0 && done > marked, `${id} is marked as updating after the step, then done: ${seen.join(" | ")}`);
  }
  assert.match(await page.locator("#nn-landscape-status").textContent(), /^grid 41 × 41/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("3-D: the landscape turns by dragging", async () => {
  await finished();
  const flat = await picture();
  await lab().getByLabel("3-D", { exact: true }).check();
  const turned = await picture();
  assert.notEqual(turned, flat);
  assert.ok((await colouredShare()) > 0.05, "the surface is drawn");
  await chart().scrollIntoViewIfNeeded();
  const box = await chart().boundingBox();
  await session.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await session.page.mouse.down();
  await session.page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 20, { steps: 4 });
  await session.page.mouse.up();
  assert.notEqual(await picture(), turned, "dragging turned the view");
});

test("descent lab 3-D: the surface draws and turns, and a click there does not move the start", async () => {
  await session.page.getByRole("tab", { name: "Descent lab" }).click();
  const descent = session.page.getByRole("tabpanel", { name: "Descent lab" });
  const surface = descent.getByRole("img", { name: /^Surface chart/ });
  await descent.getByRole("button", { name: "Step", exact: true }).click();
  const theta = await descent.getByRole("status", { name: "theta" }).textContent();
  await descent.getByLabel("3-D", { exact: true }).check();
  await session.page.waitForTimeout(100);
  const shown = await surface.evaluate((c) => c.toDataURL());
  const box = await surface.boundingBox();
  await session.page.mouse.move(box.x + 200, box.y + 200);
  await session.page.mouse.down();
  await session.page.mouse.move(box.x + 300, box.y + 180, { steps: 4 });
  await session.page.mouse.up();
  await session.page.waitForTimeout(100);
  assert.notEqual(await surface.evaluate((c) => c.toDataURL()), shown, "dragging turned the view");
  assert.equal(await descent.getByRole("status", { name: "theta" }).textContent(), theta, "no new start");
  assert.equal(await descent.getByRole("status", { name: "iteration t" }).textContent(), "1");
});

test("a link holds the landscape's view; a weight the network does not have is named", async () => {
  const opened = await openPage(session.browser, { width: 1280, height: 900, path: "#lab=network&epochs=3&plane=random&pseed=4&view=3d" });
  const panel = opened.page.getByRole("tabpanel", { name: "Backprop lab" });
  assert.equal(await panel.getByLabel("Plane", { exact: true }).inputValue(), "random");
  assert.equal(await panel.getByLabel("Direction seed", { exact: true }).inputValue(), "4");
  assert.ok(await panel.getByLabel("3-D", { exact: true }).isChecked());
  assert.equal(await panel.locator("#nn-message").textContent(), "");
  await opened.page.getByRole("button", { name: "Copy link" }).click();
  assert.match(opened.page.url(), /&plane=random&pseed=4&view=3d$/);
  const bad = await openPage(session.browser, { width: 1280, height: 900, path: "#lab=network&plane=weights&pa=999&pb=2" });
  const badPanel = bad.page.getByRole("tabpanel", { name: "Backprop lab" });
  assert.match(await badPanel.locator("#nn-message").textContent(), /The link's pa could not be used/);
  assert.equal(await badPanel.getByLabel("Weight b", { exact: true }).locator("option:checked").textContent(), "W¹₁,₃");
  assert.deepEqual([...opened.errors, ...bad.errors], []);
  await opened.page.close();
  await bad.page.close();
});
