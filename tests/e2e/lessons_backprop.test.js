// What each backprop lesson says happens, happens: played from the menu, its claim read off the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withLessonBrowser, close, closeLesson, networkLab, openLesson, play, readout, table, trainingRun } from "./lesson_play.js";

withLessonBrowser();

test("lesson xor: with no hidden layer the loss stays at ln 2 and accuracy near one half; with a layer of four tanh neurons accuracy passes 0.9 within 30 epochs", async () => {
  const opened = await openLesson("xor");
  const { page } = opened;
  const lab = networkLab(page);
  const N = 40;
  assert.equal(await lab.locator("#nn-layers .layer").count(), 0);
  await play(page, N);
  let run = await trainingRun(page);
  assert.equal(run.length, N + 1);
  for (const { epoch, loss, accuracy } of run.slice(5)) {
    close(loss, Math.LN2, 0.01, `the loss at epoch ${epoch}`);
    assert.ok(accuracy <= 0.7, `accuracy ${accuracy} at epoch ${epoch}`);
  }
  const mean = run.reduce((s, r) => s + r.accuracy, 0) / run.length;
  close(mean, 0.5, 0.1, "accuracy near one half");
  await lab.getByRole("button", { name: "Add layer", exact: true }).click();
  await page.evaluate(() => document.activeElement?.blur());
  assert.equal(await lab.getByLabel("Neurons in hidden layer 1").inputValue(), "4");
  assert.equal(await lab.getByLabel("Activation of hidden layer 1").inputValue(), "tanh");
  assert.equal(await readout(lab, "epoch"), "0", "training starts again");
  await play(page, 30);
  run = await trainingRun(page);
  const last = run[run.length - 1];
  assert.ok(last.accuracy >= 0.9 && last.testAccuracy >= 0.9, `accuracy after 30 epochs: ${last.accuracy} / ${last.testAccuracy}`);
  await closeLesson(opened);
});

test("lesson vanishing: layer 1's gradient is mostly 100 times below the output layer's and accuracy near one half; its updates below 10⁻⁴ of its weights, a thousandth of the output layer's; with tanh or ReLU within ten times, and accuracy passes 0.9 within 20 epochs", async () => {
  const opened = await openLesson("vanishing");
  const { page } = opened;
  const lab = networkLab(page);
  const N = 20;
  const layers = lab.locator("#nn-layers .layer");
  assert.equal(await layers.count(), 5);
  await play(page, N);
  let run = await trainingRun(page);
  let below = 0;
  for (const { epoch, norms, accuracy } of run) {
    assert.equal(norms.length, 6);
    assert.ok(norms[0] * 10 < norms[5], `epoch ${epoch}: layer 1's norm ${norms[0]}, the output layer's ${norms[5]}`);
    if (norms[0] * 100 < norms[5]) below++;
    close(accuracy, 0.5, 0.1, `accuracy at epoch ${epoch}`);
  }
  assert.ok(below >= 0.8 * run.length, `layer 1's norm is more than 100 times below the output layer's at ${below} of ${run.length} epochs`);
  // Inside each layer, open from the lesson's link: the updates' sizes against the weights'.
  assert.equal(await page.locator("#nn-inside-panel").evaluate((d) => d.open), true);
  const ratios = (await page.locator("#nn-inside-health li").allTextContents()).map((line) => Number(line.match(/‖ΔW‖\/‖W‖ = (\S+)/)[1]));
  assert.equal(ratios.length, 6);
  assert.ok(ratios[0] < 1e-4 && ratios[5] > 1000 * ratios[0], `update ratios ${ratios}`);
  for (const activation of ["tanh", "relu"]) {
    for (let i = 1; i <= 5; i++) await lab.getByLabel(`Activation of hidden layer ${i}`).selectOption(activation);
    await page.evaluate(() => document.activeElement?.blur());
    assert.equal(await readout(lab, "epoch"), "0", "training starts again");
    await play(page, N / 2);
    run = await trainingRun(page);
    for (const { epoch, norms } of run) {
      const ratio = norms[0] / norms[5];
      assert.ok(ratio > 0.1 && ratio < 10, `${activation}, epoch ${epoch}: layer 1's norm ${norms[0]}, the output layer's ${norms[5]}`);
    }
    assert.ok(run.some((r) => r.accuracy >= 0.9), `${activation}: accuracy passes 0.9 within ${N / 2} epochs`);
  }
  await closeLesson(opened);
});

/** Waits until the landscape's grid is complete. */
function landscapeDone(page) {
  return page.waitForFunction(() => /^grid 41 × 41(;|$)/.test(document.getElementById("nn-landscape-status").textContent), null, { timeout: 20_000 });
}

/**
 * Reads the loss landscape's picture around the current point, drawn at the
 * centre of a plane centred on it: viridis grows lighter as the loss grows, so
 * `rising` is the share of 72 directions in which the colour a quarter of the
 * plot away is lighter than next to the point, and `below` the share of the
 * heatmap darker than next to the point.
 */
function aroundThePoint(chart) {
  return chart.evaluate((c) => {
    const { width: w, height: h } = c;
    const data = c.getContext("2d").getImageData(0, 0, w, h).data;
    const at = (x, y) => {
      const i = 4 * (Math.round(y) * w + Math.round(x));
      return [data[i], data[i + 1], data[i + 2]];
    };
    const coloured = ([r, g, b]) => Math.max(r, g, b) - Math.min(r, g, b) > 40;
    const light = ([r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
    // The heatmap is the widest block of columns (then rows) that are mostly coloured; the colour bar is narrower.
    const widest = (n, share) => {
      let best = [0, 0];
      let start = -1;
      for (let i = 0; i <= n; i++) {
        if (i < n && share(i) > 0.5) {
          if (start < 0) start = i;
        } else if (start >= 0) {
          if (i - start > best[1] - best[0]) best = [start, i];
          start = -1;
        }
      }
      return best;
    };
    const count = (from, to, f) => {
      let k = 0;
      for (let i = from; i < to; i++) k += f(i);
      return k;
    };
    const [x0, x1] = widest(w, (x) => count(0, h, (y) => coloured(at(x, y))) / h);
    const [y0, y1] = widest(h, (y) => count(x0, x1, (x) => coloured(at(x, y))) / (x1 - x0));
    const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
    const near = (x1 - x0) / 25; // just outside the marker of the point
    const ring = [];
    const directions = [];
    for (let degrees = 0; degrees < 360; degrees += 5) {
      const [dx, dy] = [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];
      const inner = at(cx + near * dx, cy + near * dy);
      const outer = at(cx + 0.25 * (x1 - x0) * dx, cy + 0.25 * (y1 - y0) * dy);
      if (coloured(inner)) ring.push(light(inner));
      if (coloured(outer)) directions.push(light(outer));
    }
    ring.sort((a, b) => a - b);
    const here = ring[Math.floor(ring.length / 2)];
    let below = 0;
    let all = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const p = at(x, y);
        if (coloured(p)) {
          all++;
          if (light(p) < here) below++;
        }
      }
    }
    return { size: [x1 - x0, y1 - y0], rising: directions.filter((l) => l > here).length / 72, below: below / all };
  });
}

test("lesson range-test: the loss stays at 0.74 below α = 0.01 and blows up past about 7; the suggestion is about 0.47; 30 epochs at 0.47 reach loss 0.31 and accuracy 0.9, at 0.001 loss 0.73 and accuracy near one half", async () => {
  const opened = await openLesson("range-test");
  const { page } = opened;
  const lab = networkLab(page);
  await lab.getByRole("button", { name: "Range test", exact: true }).click();
  // The test runs a slice a frame: its note comes when it is over.
  const note = await page.locator("#nn-range-note").filter({ hasText: /^Suggested α ≈/ }).textContent();
  const [, suggested, blown] = note.match(/^Suggested α ≈ (\S+), a tenth of the α of the least loss; it blows up past α ≈ (\S+) /).map(Number);
  close(suggested, 0.47, 0.005, "the suggestion");
  close(blown, 7.1, 0.1, "where the loss blows up");
  const typeLr = async (value) => {
    const field = lab.getByLabel("Learning rate α", { exact: true });
    await field.fill(String(value));
    await field.press("Enter");
    await page.evaluate(() => document.activeElement?.blur());
    await page.waitForFunction(() => !document.querySelector("#nn-message").textContent.startsWith("Training again"));
  };
  await typeLr(0.47);
  await play(page, 30);
  const accuracy = async () => Number((await readout(lab, "accuracy")).match(/^(\S+)%/)[1]) / 100;
  close(Number(await readout(lab, "train loss")), 0.31, 0.01, "the loss after 30 epochs at α = 0.47");
  assert.ok((await accuracy()) >= 0.9, `accuracy ${await accuracy()}`);
  await typeLr(0.001);
  assert.equal(await readout(lab, "epoch"), "30", "the same 30 epochs, trained again");
  close(Number(await readout(lab, "train loss")), 0.73, 0.01, "the loss after 30 epochs at α = 0.001");
  assert.ok((await accuracy()) < 0.6, `accuracy ${await accuracy()}`);
  await closeLesson(opened);
});

test("lesson landscape: the plane of training holds the path's spread and the path runs down the loss; after Play and Pause the surface refines; around the trained network the loss rises every way; 3-D turns", async () => {
  const opened = await openLesson("landscape");
  const { page } = opened;
  const lab = networkLab(page);
  const chart = lab.getByRole("img", { name: "Loss landscape" });
  const status = lab.locator("#nn-landscape-status");
  await landscapeDone(page);
  const shares = (await status.textContent()).match(/directions 1 and 2 hold (\S+)% and (\S+)% of the path's spread/);
  assert.ok(shares && Number(shares[1]) + Number(shares[2]) >= 90, `the plane in which the weights moved most: ${await status.textContent()}`);
  let run = await trainingRun(page);
  assert.equal(run.length, 41);
  assert.ok(run[40].loss < run[0].loss / 2, `the path runs down the loss: ${run[0].loss} → ${run[40].loss}`);
  // Play for a second at the page's speed, then Pause: the grid is drawn coarse, then refined
  // (watched on screen, as the lesson asks: while playing, views out of sight wait).
  await chart.scrollIntoViewIfNeeded();
  const before = await chart.evaluate((c) => c.toDataURL());
  await status.evaluate((box) => {
    window.landscapeStatuses = [];
    // Every text written, even several in one task (the observer is called once for them).
    new MutationObserver((records) => {
      for (const r of records) window.landscapeStatuses.push(...(r.type === "characterData" ? [r.target.data] : [...r.addedNodes].map((n) => n.textContent)));
    }).observe(box, { childList: true, characterData: true, subtree: true });
  });
  await lab.getByRole("button", { name: "Play", exact: true }).click();
  await page.waitForFunction(() => Number(document.getElementById("nn-epoch").textContent) >= 50, null, { timeout: 10_000 });
  await lab.getByRole("button", { name: "Pause", exact: true }).click();
  const epoch = Number(await readout(lab, "epoch"));
  assert.ok(epoch >= 50 && epoch <= 60, `played to epoch ${epoch}`);
  await landscapeDone(page);
  const seen = await page.evaluate(() => window.landscapeStatuses.filter((s, i, all) => s !== all[i - 1]));
  assert.ok(seen.some((s) => /refining to 41 × 41/.test(s)), `the surface refines after Pause: ${seen.join(" | ")}`);
  assert.notEqual(await chart.evaluate((c) => c.toDataURL()), before, "around the new point");
  run = await trainingRun(page);
  assert.equal(run.length, epoch + 1);
  // Two random directions: around the trained network the loss rises almost every way.
  await lab.getByLabel("Plane", { exact: true }).selectOption("random");
  await landscapeDone(page);
  const around = await aroundThePoint(chart);
  assert.ok(around.size[0] > 200 && around.size[1] > 200, `the heatmap found: ${around.size}`);
  assert.ok(around.rising >= 0.9, `the loss rises in ${around.rising * 100}% of directions`);
  assert.ok(around.below <= 0.05, `${around.below * 100}% of the plane lies below the point`);
  // 3-D, turned by dragging.
  const flat = await chart.evaluate((c) => c.toDataURL());
  await lab.getByLabel("3-D", { exact: true }).check();
  const raised = await chart.evaluate((c) => c.toDataURL());
  assert.notEqual(raised, flat, "drawn in 3-D");
  const box = await chart.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 20, { steps: 5 });
  await page.mouse.up();
  assert.notEqual(await chart.evaluate((c) => c.toDataURL()), raised, "dragging turns it");
  await closeLesson(opened);
});

test("lesson early-stopping: the test loss turns up while the training loss falls; To the end stops 20 epochs after the best test epoch, and Back restores it", async () => {
  const opened = await openLesson("early-stopping");
  const { page } = opened;
  const lab = networkLab(page);
  await lab.getByRole("button", { name: "To the end", exact: true }).click();
  const message = page.locator("#nn-message");
  await message.filter({ hasText: /^Stopped early at epoch \d+/ }).waitFor({ timeout: 20_000 });
  const [, stopped, best] = (await message.textContent()).match(/^Stopped early at epoch (\d+): the test loss has not gone below its best, \S+ at epoch (\d+), for 20 epochs$/).map(Number);
  assert.equal(stopped, best + 20);
  assert.ok(stopped < 5000, "well before the cap");
  const { rows } = await table(lab);
  const test = rows.map((r) => r[3]);
  const train = rows.map((r) => r[2]);
  const lowest = test.indexOf(Math.min(...test));
  assert.equal(lowest, best, "the best epoch is the lowest test loss of the table");
  assert.ok(test[stopped] > test[best], "the test loss turned up");
  assert.ok(train[stopped] < train[best], "while the training loss still fell");
  await lab.getByRole("button", { name: "Back to the best test epoch", exact: true }).click();
  assert.equal(await readout(lab, "epoch"), String(best));
  assert.equal(Number(await readout(lab, "test loss")), test[best]);
  await closeLesson(opened);
});

test("lesson softmax: the loss starts near ln 3; the loss phase shows three shares and a one-hot target; accuracy passes 0.95 within 130 epochs with the confusion matrix on its diagonal; with one hidden layer, below 0.6 after 150", async () => {
  const opened = await openLesson("softmax");
  const { page } = opened;
  const lab = networkLab(page);
  close(Number(await readout(lab, "train loss")), Math.log(3), 0.05, "the loss before training");
  for (let k = 0; k < 4; k++) await lab.getByRole("button", { name: "Step phase", exact: true }).click();
  assert.equal(await page.locator("#nn-phase-title").textContent(), "Phase: Loss");
  const line = await page.locator("#nn-phase li").first().textContent();
  const match = line.match(/^ŷ₁ = \((\S+), (\S+), (\S+)\), y₁ = \((\S+), (\S+), (\S+)\)$/);
  assert.ok(match, line);
  const shares = match.slice(1, 4).map(Number);
  close(shares.reduce((a, b) => a + b), 1, 1e-5, "the shares sum to 1");
  assert.deepEqual(match.slice(4).map(Number).sort(), [0, 0, 1], "a one-hot target");
  await lab.getByRole("button", { name: "Back", exact: true }).click();
  await lab.getByRole("button", { name: "Back", exact: true }).click();
  await lab.getByRole("button", { name: "Back", exact: true }).click();
  await lab.getByRole("button", { name: "Back", exact: true }).click();
  await page.evaluate(() => document.activeElement?.blur());
  await play(page, 130);
  const run = await trainingRun(page);
  const first = run.findIndex((r) => r.accuracy >= 0.95);
  assert.ok(first > 0 && first <= 130, `accuracy passes 0.95 at epoch ${first}`);
  const counts = await page.locator("#nn-confusion-train tr").evaluateAll((rows) => rows.slice(1).map((row) => [...row.querySelectorAll("td")].map((td) => Number(td.textContent))));
  assert.equal(counts.length, 3);
  const total = counts.flat().reduce((a, b) => a + b);
  const diagonal = counts.reduce((s, row, k) => s + row[k], 0);
  close(diagonal / total, run[run.length - 1].accuracy, 1e-6, "the diagonal's share is the training accuracy (as exported, to 6 digits)");
  await lab.getByRole("button", { name: "Remove layer", exact: true }).click();
  await page.evaluate(() => document.activeElement?.blur());
  assert.equal(await lab.locator("#nn-layers .layer").count(), 1);
  await play(page, 150);
  const one = await trainingRun(page);
  assert.ok(one[one.length - 1].accuracy < 0.6, `one hidden layer: ${one[one.length - 1].accuracy}`);
  await closeLesson(opened);
});
