// The descent lab as a person uses it: controls found by role and accessible
// name, numbers read off the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertApart, assertCanvasFits, pagePerTest } from "./browser.js";

const session = pagePerTest();

/** The descent lab's tab panel: every control is looked up inside it. */
const lab = () => session.page.getByRole("tabpanel", { name: "Descent lab" });
const button = (name) => lab().getByRole("button", { name, exact: true });
const output = (name) => lab().getByRole("status", { name, exact: true });
const message = () => lab().getByRole("alert");
const lrField = () => lab().getByRole("spinbutton", { name: "Learning rate α value" });

async function setLearningRate(value) {
  await lrField().fill(String(value));
  await lrField().press("Enter");
}

/** The seed's data, read from the session.page's module, and θ after `steps` updates by the formula. */
async function seedTheta(steps, lr) {
  const data = await session.page.evaluate(async () => {
    const api = await import("/pkg/gradlab.js");
    return JSON.parse(new api.DescentLab().dataJson());
  });
  let theta = [0, 0];
  const m = data.y.length;
  for (let k = 0; k < steps; k++) {
    let g0 = 0;
    let g1 = 0;
    for (let i = 0; i < m; i++) {
      const e = theta[0] + theta[1] * data.x[i] - data.y[i];
      g0 += e;
      g1 += e * data.x[i];
    }
    theta = [theta[0] - (lr * g0) / m, theta[1] - (lr * g1) / m];
  }
  return theta;
}

/** "(a, b)" as two numbers. */
function parsePair(text) {
  const match = text.match(/^\((\S+), (\S+)\)$/);
  assert.ok(match, `a pair: ${text}`);
  return [Number(match[1]), Number(match[2])];
}

/** Waits until `condition()` holds (the session.page may redraw on its next frame). */
async function until(condition, what) {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await session.page.waitForTimeout(20);
  }
}

async function canvasImage(name) {
  return lab().getByRole("img", { name }).evaluate((canvas) => canvas.toDataURL());
}

test("three steps on the linear regression show iteration 3 and the seed's θ to six digits", async () => {
  for (let i = 0; i < 3; i++) await button("Step").click();
  await assert.doesNotReject(output("iteration t").filter({ hasText: /^3$/ }).waitFor());
  const shown = parsePair(await output("theta").textContent());
  const expected = await seedTheta(3, 0.1);
  for (let j = 0; j < 2; j++) {
    assert.equal(shown[j], Number(expected[j].toPrecision(6)), `θ${j}: shown ${shown[j]}, formula ${expected[j]}`);
  }
  // J(θ₃) = Σe²/(2m) and ∇J(θ₃) = (Σe/m, Σe·x/m) from the same data, e = θ₀ + θ₁x − y.
  const data = await session.page.evaluate(async () => JSON.parse(new (await import("/pkg/gradlab.js")).DescentLab().dataJson()));
  const e = data.x.map((x, i) => expected[0] + expected[1] * x - data.y[i]);
  const m = e.length;
  const cost = e.reduce((s, v) => s + v * v, 0) / (2 * m);
  const gradient = [e.reduce((s, v) => s + v, 0) / m, e.reduce((s, v, i) => s + v * data.x[i], 0) / m];
  assert.equal(Number(await output("loss J").textContent()), Number(cost.toPrecision(6)));
  assert.deepEqual(parsePair(await output("gradient").textContent()), gradient.map((g) => Number(g.toPrecision(6))));
  assert.equal(await output("learning rate").textContent(), "0.1");
  const update = await lab().getByRole("list", { name: "Next update, written out" }).textContent();
  assert.match(update, /θ⁽⁴⁾ = θ⁽³⁾ − α·g⁽³⁾ = /);

  await button("Back").click();
  await output("iteration t").filter({ hasText: /^2$/ }).waitFor();
  const back = parsePair(await output("theta").textContent());
  const expected2 = await seedTheta(2, 0.1);
  assert.equal(back[0], Number(expected2[0].toPrecision(6)));
});

test("moving the learning rate re-runs the steps and redraws the surface", async () => {
  for (let i = 0; i < 5; i++) await button("Step").click();
  const before = await canvasImage(/^Surface chart/);
  const slider = lab().getByRole("slider", { name: /Learning rate α/ });
  await slider.focus();
  for (let i = 0; i < 20; i++) await slider.press("ArrowLeft");
  await until(async () => (await canvasImage(/^Surface chart/)) !== before, "the surface canvas to change");
  assert.equal(await output("iteration t").textContent(), "5", "the same number of steps, re-run");
  const lr = Number(await lrField().inputValue());
  assert.ok(Math.abs(lr - 10 ** -1.2) < 1e-3, `α = ${lr}`);
  const theta = parsePair(await output("theta").textContent());
  const expected = await seedTheta(5, lr);
  assert.equal(theta[1], Number(expected[1].toPrecision(6)));
});

test("apply from this step on keeps the history and changes α for the next steps", async () => {
  await lab().getByRole("checkbox", { name: "Apply from this step on" }).check();
  for (let i = 0; i < 4; i++) await button("Step").click();
  const theta4 = await output("theta").textContent();
  await setLearningRate(0.02);
  assert.equal(await output("iteration t").textContent(), "4");
  assert.equal(await output("theta").textContent(), theta4);
  assert.equal(await output("learning rate").textContent(), "0.02");
});

test("α = 5 on the quadratic diverges and the session.page says so", async () => {
  await lab().getByLabel("Loss surface", { exact: true }).selectOption("quadratic");
  await setLearningRate(5);
  await lab().getByRole("slider", { name: /^Speed/ }).fill("120");
  await button("Play").click();
  // y grows 49-fold a step: the path leaves the chart first, and Play stops there and says so.
  await message().filter({ hasText: /^The path has left the chart/ }).waitFor({ timeout: 10_000 });
  assert.equal(await button("Play").getAttribute("aria-pressed"), "false", "play stopped");
  // Stepping on, J overflows while θ is still finite, then θ itself: the run has diverged, as the seed defines it.
  await session.page.evaluate(() => document.activeElement?.blur());
  for (let i = 0; i < 300 && (await output("loss J").textContent()) !== "∞"; i++) await session.page.keyboard.press("ArrowRight");
  await message().filter({ hasText: /^J\(θ\) at iteration \d+ is too large to represent/ }).waitFor();
  for (let i = 0; i < 300 && !/^Diverged/.test(await message().textContent()); i++) await session.page.keyboard.press("ArrowRight");
  await message().filter({ hasText: /^Diverged at iteration \d+/ }).waitFor();
  const t = Number(await output("iteration t").textContent());
  const nextUpdate = lab().getByRole("heading", { name: "Next update" });
  assert.ok(await nextUpdate.isHidden(), "a diverged run has no next update to head");
  await button("Step").click();
  assert.equal(Number(await output("iteration t").textContent()), t, "stepping after divergence does nothing");
  await button("Reset").click();
  assert.equal(await output("iteration t").textContent(), "0");
  assert.equal(await message().textContent(), "");
  assert.ok(await nextUpdate.isVisible(), "the next update's heading is back");
});

test("a bad learning rate gets a message and loses nothing", async () => {
  await button("Step").click();
  for (const [typed, says] of [["0", /above 0/], ["-1", /above 0/], ["1e300", /at most 1000 \(got 1e300\)$/], ["", /not a number/]]) {
    await setLearningRate(typed);
    await message().filter({ hasText: says }).waitFor();
    assert.equal(await output("learning rate").textContent(), "0.1", "α unchanged");
  }
  await button("Step").click();
  assert.equal(await output("iteration t").textContent(), "2");
});

test("clicking the surface starts a new run from that point", async () => {
  for (let i = 0; i < 3; i++) await button("Step").click();
  const canvas = lab().getByRole("img", { name: /^Surface chart/ });
  const box = await canvas.boundingBox();
  await canvas.click({ position: { x: box.width * 0.3, y: box.height * 0.5 } });
  assert.equal(await output("iteration t").textContent(), "0");
  const start = parsePair(await output("theta").textContent());
  assert.notDeepEqual(start, [0, 0]);
});

test("every optimizer writes out its own update", async () => {
  const select = lab().getByLabel("Update rule", { exact: true });
  const rules = { momentum: /v⁽²⁾ = μ·v⁽¹⁾ \+ g⁽¹⁾/, nesterov: /g⁽¹⁾ \+ μ·v⁽²⁾/, adagrad: /s⁽²⁾ = s⁽¹⁾ \+ g⁽¹⁾²/, rmsprop: /s⁽²⁾ = ρ·s⁽¹⁾/, adam: /m̂ = m⁽²⁾ \/ \(1 − β₁²\)/ };
  for (const [optimizer, rule] of Object.entries(rules)) {
    await select.selectOption(optimizer);
    await button("Reset").click();
    await button("Step").click();
    const text = await lab().getByRole("list", { name: "Next update, written out" }).textContent();
    assert.match(text, rule, optimizer);
  }
  await select.selectOption("momentum");
  const momentum = lab().getByRole("spinbutton", { name: "Momentum μ" });
  await momentum.fill("1.5");
  await momentum.press("Enter");
  await message().filter({ hasText: /momentum must be/ }).waitFor();
});

for (const [width, height] of [[1280, 800], [1024, 768]]) {
  test(`nothing overlaps at ${width}×${height}`, async () => {
    await session.page.setViewportSize({ width, height });
    await session.page.waitForTimeout(200);
    const regions = ["Descent settings", "Surface chart", "Charts", "Readout"];
    const boxes = [];
    for (const name of regions) boxes.push([name, await lab().getByRole(name === "Descent settings" ? "form" : "region", { name }).boundingBox()]);
    assertApart(boxes, `${width}×${height}`);
    for (const name of [/^Surface chart/, /^Loss against iteration/, /^Data and the fitted line/]) {
      await assertCanvasFits(lab().getByRole("img", { name }), width, String(name));
    }
  });
}

test("keyboard: arrows step and go back, [ ] move α, R resets, Space plays, ? lists them; fields keep their keys", async () => {
  await session.page.evaluate(() => document.activeElement?.blur());
  for (let i = 0; i < 3; i++) await session.page.keyboard.press("ArrowRight");
  assert.equal(await output("iteration t").textContent(), "3");
  await session.page.keyboard.press("ArrowLeft");
  assert.equal(await output("iteration t").textContent(), "2");
  await session.page.keyboard.press("]");
  assert.equal(await output("learning rate").textContent(), "0.126");
  await session.page.keyboard.press("[");
  assert.equal(await output("learning rate").textContent(), "0.1");
  await session.page.keyboard.press("r");
  assert.equal(await output("iteration t").textContent(), "0");
  await button("Step").focus();
  await session.page.keyboard.press(" ");
  assert.equal(await button("Pause").getAttribute("aria-pressed"), "true", "Space plays, even on a focused button");
  await session.page.keyboard.press(" ");
  assert.equal(await button("Play").getAttribute("aria-pressed"), "false");
  await lrField().focus();
  await session.page.keyboard.press("]");
  await session.page.keyboard.press("ArrowRight");
  assert.equal(await output("learning rate").textContent(), "0.1", "keys typed in a field are the field's");
  await session.page.evaluate(() => document.activeElement?.blur());
  await session.page.keyboard.press("?");
  const dialog = session.page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /play or pause/);
  await session.page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
});

test("the digits setting rounds every number shown", async () => {
  for (let i = 0; i < 3; i++) await button("Step").click();
  const six = await output("theta").textContent();
  await session.page.getByLabel("Digits", { exact: true }).selectOption("3");
  const three = await output("theta").textContent();
  const [a6] = parsePair(six);
  const [a3] = parsePair(three);
  assert.equal(a3, Number(a6.toPrecision(3)));
  assert.ok(three.length < six.length);
});

test("export: the table as CSV and Markdown with the readout's numbers, and a chart as PNG", async () => {
  for (let i = 0; i < 3; i++) await button("Step").click();
  const theta = await output("theta").textContent();
  const read = async (name) => {
    const [file] = await Promise.all([session.page.waitForEvent("download"), button(name).click()]);
    const stream = await file.createReadStream();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    return { name: file.suggestedFilename(), bytes: Buffer.concat(chunks) };
  };
  const csv = await read("Table (CSV)");
  assert.equal(csv.name, "gradlab-descent.csv");
  const lines = csv.bytes.toString("utf8").trim().split("\n");
  assert.equal(lines[0], "t,θ₀,θ₁,J,∂J/∂θ₀,∂J/∂θ₁,α,note");
  assert.equal(lines.length, 5);
  const row3 = lines[4].split(",");
  assert.equal(`(${row3[1]}, ${row3[2]})`, theta, "the CSV holds the readout's θ₃");
  const md = await read("Table (Markdown)");
  assert.match(md.bytes.toString("utf8"), new RegExp(`^\\| 3 \\| ${row3[1].replace(".", "\\.")} \\|`, "m"));
  const png = await read("Surface (PNG, 2×)");
  assert.equal(png.name, "gradlab-surface.png");
  assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], "a PNG file");
  assert.ok(png.bytes.length > 20_000, "with the chart in it");
  const shown = await lab().getByRole("img", { name: /^Surface chart/ }).evaluate((c) => [c.width, c.height]);
  assert.deepEqual([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)], [2 * shown[0], 2 * shown[1]], "twice the size shown");
  assert.equal(await output("iteration t").textContent(), "3", "the session.page is as it was");
});

test("projector mode draws the charts larger and keeps the session.page working", async () => {
  const before = await lab().getByRole("img", { name: /^Surface chart/ }).evaluate((c) => c.toDataURL());
  await session.page.getByRole("checkbox", { name: "Projector" }).check();
  const after = await lab().getByRole("img", { name: /^Surface chart/ }).evaluate((c) => c.toDataURL());
  assert.notEqual(after, before);
  assert.ok(await session.page.evaluate(() => document.body.classList.contains("projector")));
  await button("Step").click();
  assert.equal(await output("iteration t").textContent(), "1");
  await session.page.setViewportSize({ width: 1024, height: 768 });
  await session.page.waitForTimeout(200);
  const boxes = [];
  for (const name of ["Descent settings", "Surface chart", "Charts", "Readout"]) {
    boxes.push([name, await lab().getByRole(name === "Descent settings" ? "form" : "region", { name }).boundingBox()]);
  }
  assertApart(boxes, "1024×768 in projector mode");
});

test("every menu of both labs offers exactly the choices the core knows", async () => {
  const { choices, menus } = await session.page.evaluate(async () => {
    const api = await import("/pkg/gradlab.js");
    const ids = (id) => [...document.getElementById(id).options].map((o) => o.value);
    const menus = {};
    for (const id of ["surface", "optimizer", "nn-dataset", "nn-output", "nn-loss", "nn-init", "nn-optimizer", "nn-plane", "nn-grid", "nn-inside-quantity"]) menus[id] = ids(id);
    menus.hidden = [...document.querySelector("#nn-layers select").options].map((o) => o.value);
    return { choices: JSON.parse(api.menuChoices()), menus };
  });
  const of = (list) => list.map((c) => c.id);
  assert.deepEqual(menus.surface, of(choices.surfaces));
  assert.deepEqual(menus.surface.length, 12);
  assert.deepEqual([menus.surface[0], menus.surface[11]], ["curve_square", "typed"], "one variable first, your own f(x, y) last");
  assert.deepEqual(menus.optimizer, ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]);
  assert.deepEqual(menus["nn-optimizer"], menus.optimizer);
  assert.deepEqual(menus["nn-dataset"], of(choices.datasets));
  assert.ok(menus["nn-dataset"].includes("blobs") && menus["nn-dataset"].includes("arms"));
  assert.deepEqual(menus["nn-output"], ["sigmoid", "tanh", "relu", "linear", "softmax"]);
  assert.deepEqual(menus.hidden, ["sigmoid", "tanh", "relu", "linear"], "softmax is for the output alone");
  assert.deepEqual(menus["nn-loss"], ["bce", "mse", "ce"]);
  assert.deepEqual(menus["nn-inside-quantity"], of(choices.quantities));
  assert.deepEqual(menus["nn-init"], ["xavier", "he", "uniform"]);
  assert.deepEqual(menus["nn-plane"], ["weights", "random", "training"]);
  assert.deepEqual(menus["nn-grid"], ["41", "81"]);
});

test("Play stops by itself when the seed's regression has converged, and To the end reaches the same iteration", async () => {
  await session.page.getByRole("slider", { name: /^Speed/ }).fill("120");
  await button("Play").click();
  await message().filter({ hasText: /^Converged at iteration \d+: ‖∇J‖ = \S+ < 1e-6$/ }).waitFor({ timeout: 30_000 });
  assert.equal(await button("Play").getAttribute("aria-pressed"), "false", "play stopped by itself");
  const t = Number(await output("iteration t").textContent());
  const norm = Math.hypot(...(await output("gradient").textContent()).slice(1, -1).split(", ").map(Number));
  assert.ok(norm < 1e-6, `‖∇J‖ = ${norm}`);
  await button("Step").click();
  assert.equal(Number(await output("iteration t").textContent()), t + 1, "Step goes on past it");
  await button("Reset").click();
  await button("To the end").click();
  await output("iteration t").filter({ hasText: String(t) }).waitFor();
  await message().filter({ hasText: `Converged at iteration ${t}:` }).waitFor();
  // A threshold that is not a positive number is refused, and the rule in force stays.
  const threshold = lab().getByRole("spinbutton", { name: "‖∇J‖ below: threshold" });
  await threshold.fill("-1");
  await threshold.press("Enter");
  await message().filter({ hasText: /must be a number above 0/ }).waitFor();
  await button("Step").click();
  assert.equal(await threshold.inputValue(), "0.000001", "the form shows the rule in force again");
});


test("the charts measure a text once: drawing a state again puts no measuring text in the page, new texts do", async () => {
  await button("Step").click();
  // The charts' library measures a text by putting it in the page and reading its size (a layout of the page each time).
  await session.page.evaluate(() => {
    window.measured = 0;
    new MutationObserver((records) => {
      for (const r of records) window.measured += [...r.addedNodes].filter((n) => n.nodeName === "SPAN" && n.parentNode == null).length;
    }).observe(document.body, { childList: true });
  });
  await button("Back").click();
  await button("Step").click();
  assert.equal(await output("iteration t").textContent(), "1");
  assert.equal(await session.page.evaluate(() => window.measured), 0, "every text of these charts was measured before");
  await lab().getByLabel("Loss surface", { exact: true }).selectOption("rosenbrock");
  assert.ok(await session.page.evaluate(() => window.measured) > 0, "a new surface's axes have new texts to measure");
});

test("the page asks for each of its files once, the wasm and every module ahead of their use", async () => {
  const entries = await session.page.evaluate(() => performance.getEntriesByType("resource").map((e) => ({ path: new URL(e.name).pathname, by: e.initiatorType })));
  const fetched = entries.map((e) => e.path);
  const count = (path) => fetched.filter((p) => p === path).length;
  // A preload that does not match the page's own request (a fetch() needs one made with crossorigin) leaves a second download.
  assert.equal(count("/pkg/gradlab_bg.wasm"), 1, fetched.join(" "));
  assert.equal(entries.find((e) => e.path === "/pkg/gradlab_bg.wasm").by, "link", "the wasm is asked for by the page's head, not when the script reaches it");
  // (The landscape's workers fetch pkg/gradlab.js once more for themselves.)
  for (const module of ["/www/ui.js", "/www/network.js", "/www/landscape.js"]) assert.equal(count(module), 1, module);
  const preloaded = await session.page.evaluate(() => [...document.querySelectorAll('link[rel="modulepreload"]')].map((l) => new URL(l.href).pathname));
  assert.ok(preloaded.includes("/www/landscape.js"), "a module imported by an import is fetched with the rest");
});

test("a job in slices whose frames come late leaves the page less of each frame, and the whole of it once done", async () => {
  const seen = await session.page.evaluate(async () => {
    const { frameWork, inSlices } = await import("/www/ui.js");
    const busy = (ms) => { const until = performance.now() + ms; while (performance.now() < until); };
    const before = { ms: frameWork.ms, loops: frameWork.loops };
    let pieces = 0;
    let during = null;
    await new Promise((done) => {
      // Pieces of 40 ms: every frame of the job comes late.
      const job = inSlices(() => {
        busy(40);
        pieces += 1;
        if (pieces === 8) during = { ms: frameWork.ms, loops: frameWork.loops };
        return pieces < 10;
      }, () => { if (pieces >= 10) done(); });
      job();
    });
    await new Promise(requestAnimationFrame);
    return { before, during, after: { ms: frameWork.ms, loops: frameWork.loops } };
  });
  assert.deepEqual(seen.before, { ms: 12, loops: 0 });
  assert.equal(seen.during.loops, 1);
  assert.ok(seen.during.ms < 8, `late frames shrink the page's share of a frame (${seen.during.ms} ms)`);
  assert.deepEqual(seen.after, { ms: 12, loops: 0 }, "the job done, the whole budget again");
});

test("the linear regression's stability bound 2/λmax of X1ᵀX1/m is said under the run, from the seed's data", async () => {
  const data = await session.page.evaluate(async () => JSON.parse(new (await import("/pkg/gradlab.js")).DescentLab().dataJson()));
  const m = data.x.length;
  const [mx, mxx] = [data.x.reduce((s, x) => s + x, 0) / m, data.x.reduce((s, x) => s + x * x, 0) / m];
  // The largest eigenvalue of [[1, x̄], [x̄, mean x²]].
  const largest = (1 + mxx) / 2 + Math.hypot((1 - mxx) / 2, mx);
  const note = lab().locator("#lr-bound");
  await note.waitFor();
  assert.match(await note.textContent(), new RegExp(`2/λmax = ${(2 / largest).toPrecision(3).replace(".", "\\.")} `));
});
