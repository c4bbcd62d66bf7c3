// The wasm API (DescentLab) tested inside headless Chromium: the module the
// page loads, called directly.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage } from "./browser.js";

let browser;
let page;
let errors;

before(async () => {
  browser = await launch();
  // The test bodies are sent as source text, which the page's CSP (rightly) forbids evaluating.
  ({ page, errors } = await openPage(browser, { bypassCSP: true }));
});

after(async () => {
  assert.deepEqual(errors, [], "no console errors");
  await browser.close();
});

/** Runs `body(lab, api)` in the page with a fresh DescentLab from the page's own module. */
function withLab(body, arg) {
  return page.evaluate(
    async ([source, arg]) => {
      const api = await import("/pkg/gradlab.js");
      await api.default({ module_or_path: "/pkg/gradlab_bg.wasm" });
      const lab = new api.DescentLab();
      return new Function("lab", "arg", "api", `return (${source})(lab, arg, api);`)(lab, arg, api);
    },
    [body.toString(), arg],
  );
}

test("three steps follow the seed's formula θ ← θ − α·X1ᵀ(X1θ − y)/m", async () => {
  const { trajectory, data, lr } = await withLab((lab) => {
    lab.step();
    lab.step();
    lab.step();
    return { trajectory: JSON.parse(lab.trajectoryJson()), data: JSON.parse(lab.dataJson()), lr: lab.learningRate() };
  });
  assert.equal(trajectory.length, 4);
  assert.equal(data.x.length, 30);
  let theta = [0, 0];
  const m = data.y.length;
  for (let k = 1; k <= 3; k++) {
    const g = [0, 0];
    for (let i = 0; i < m; i++) {
      const e = theta[0] + theta[1] * data.x[i] - data.y[i];
      g[0] += e;
      g[1] += e * data.x[i];
    }
    theta = [theta[0] - lr * (g[0] / m), theta[1] - lr * (g[1] / m)];
    assert.ok(Math.abs(trajectory[k][0] - theta[0]) < 1e-12 && Math.abs(trajectory[k][1] - theta[1]) < 1e-12, `θ${k}`);
  }
});

test("bad input is refused with a message that says what to do, and the run goes on", async () => {
  const result = await withLab((lab) => {
    const message = (f) => {
      try {
        f();
        return null;
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    };
    lab.step();
    return {
      zero: message(() => lab.setLearningRate(0, true)),
      negative: message(() => lab.setLearningRate(-1, true)),
      nan: message(() => lab.setLearningRate(NaN, true)),
      huge: message(() => lab.setLearningRate(1e300, true)),
      surface: message(() => lab.setSurface("banana")),
      optimizer: message(() => lab.setOptimizer("lbfgs", true)),
      hyper: message(() => lab.setHyper("momentum", 0.5, true)),
      bowl: message(() => lab.setBowl(0, 30)),
      lr: lab.learningRate(),
      stepped: lab.step(),
      iteration: lab.iteration(),
    };
  });
  assert.match(result.zero, /above 0/);
  assert.match(result.negative, /above 0/);
  assert.match(result.nan, /not a number/);
  assert.match(result.huge, /at most 1000/);
  assert.match(result.surface, /banana.*rosenbrock/);
  assert.match(result.optimizer, /lbfgs.*adam/);
  assert.match(result.hyper, /no constant/);
  assert.match(result.bowl, /condition number/);
  assert.equal(result.lr, 0.1);
  assert.equal(result.stepped, "stepped");
  assert.equal(result.iteration, 2);
});

test("back restores the exact previous θ and a replay keeps the step count", async () => {
  const r = await withLab((lab) => {
    lab.setSurface("rosenbrock");
    lab.setOptimizer("adam", true);
    lab.stepMany(20);
    const at19 = JSON.parse(lab.trajectoryJson())[19];
    lab.back();
    const back = JSON.parse(lab.trajectoryJson());
    lab.setLearningRate(0.01, true);
    return { at19, back: back[back.length - 1], length: back.length, replayed: lab.iteration() };
  });
  assert.deepEqual(r.back, r.at19);
  assert.equal(r.length, 20);
  assert.equal(r.replayed, 19);
});

test("α = 5 diverges on the quadratic and the run stops there", async () => {
  const r = await withLab((lab) => {
    lab.setSurface("quadratic");
    lab.setLearningRate(5, true);
    const outcome = lab.stepMany(1000);
    const state = JSON.parse(lab.stateJson());
    return { outcome, status: state.readout.status, iteration: lab.iteration(), again: lab.step(), after: lab.iteration() };
  });
  assert.equal(r.outcome, "diverged");
  assert.match(r.status, new RegExp(`^Diverged at iteration ${r.iteration + 1}`));
  assert.equal(r.again, "diverged");
  assert.equal(r.after, r.iteration);
});

test("every surface and optimizer draws on a canvas", async () => {
  const drawn = await withLab((lab, _, api) => {
    const choices = JSON.parse(api.menuChoices());
    const out = [];
    for (const { id: surface } of choices.surfaces) {
      for (const { id: optimizer } of choices.optimizers) {
        lab.setSurface(surface);
        lab.setOptimizer(optimizer, true);
        lab.stepMany(30);
        const canvas = document.createElement("canvas");
        canvas.width = 500;
        canvas.height = 420;
        lab.drawSurface(canvas);
        lab.drawLoss(canvas);
        const pixels = canvas.getContext("2d").getImageData(0, 0, 500, 420).data;
        let coloured = 0;
        for (let i = 0; i < pixels.length; i += 4) if (pixels[i] !== 255 || pixels[i + 1] !== 255 || pixels[i + 2] !== 255) coloured++;
        out.push({ surface, optimizer, coloured });
      }
    }
    return out;
  });
  assert.equal(drawn.length, 12 * 6, "every surface, the curves and the typed one too, with every rule");
  for (const { surface, optimizer, coloured } of drawn) {
    assert.ok(coloured > 5000, `${surface}/${optimizer}: ${coloured} coloured pixels`);
  }
});

test("NetworkLab: settings are checked, phases reveal the gradient the update applies", async () => {
  const r = await page.evaluate(async () => {
    const api = await import("/pkg/gradlab.js");
    const lab = new api.NetworkLab();
    const settings = JSON.parse(lab.settingsJson());
    const refused = (s) => {
      try {
        lab.configure(typeof s === "string" ? s : JSON.stringify(s), false);
        return null;
      } catch (e) {
        return e.message;
      }
    };
    const errors = {
      json: refused("{"),
      unknown: refused({ ...settings, colour: "red" }),
      neurons: refused({ ...settings, hidden: [{ neurons: 0, activation: "tanh" }] }),
      layers: refused({ ...settings, hidden: Array.from({ length: 7 }, () => ({ neurons: 2, activation: "tanh" })) }),
      activation: refused({ ...settings, hidden: [{ neurons: 2, activation: "swish" }] }),
      lr: refused({ ...settings, lr: -1 }),
      dataset: refused({ ...settings, dataset: "squares" }),
    };
    const unchanged = JSON.stringify(JSON.parse(lab.settingsJson())) === JSON.stringify(settings);
    lab.configure(JSON.stringify({ ...settings, batchSize: 0, hidden: [8, 8, 8].map((n) => ({ neurons: n, activation: "tanh" })) }), false);
    lab.selectParam(2, 3, 5);
    const before = JSON.parse(lab.stateJson()).selected.valueExact;
    let state;
    for (let i = 0; i < 10; i++) {
      lab.stepPhase();
      state = JSON.parse(lab.stateJson());
    }
    const phase = state.phase.name;
    const gradient = state.selected.gradientExact;
    lab.stepPhase();
    const after = JSON.parse(lab.stateJson());
    return { errors, unchanged, phase, gradient, before, after: after.selected.valueExact, epoch: after.epoch, name: after.selected.name, lr: settings.lr };
  });
  assert.match(r.errors.json, /could not be read/);
  assert.match(r.errors.unknown, /unknown field/);
  assert.match(r.errors.neurons, /1 to 16 neurons/);
  assert.match(r.errors.layers, /at most 6 hidden layers/);
  assert.match(r.errors.activation, /swish/);
  assert.match(r.errors.lr, /above 0/);
  assert.match(r.errors.dataset, /squares/);
  assert.ok(r.unchanged, "a refused setting changes nothing");
  assert.equal(r.name, "W²₄,₆");
  assert.equal(r.phase, "Update", "4 forward, the loss, 4 backward: the tenth phase is the update");
  assert.equal(r.epoch, 1);
  assert.ok(Math.abs(r.after - (r.before - r.lr * r.gradient)) < 1e-15, "w ← w − α·∂L/∂w, exactly");
});

test("the 3-D view drawn over its kept surface is the view drawn afresh, pixel for pixel", async () => {
  const same = await withLab((lab, arg, api) => {
    const canvas = () => Object.assign(document.createElement("canvas"), { width: 520, height: 420 });
    const kept = canvas();
    lab.setSurface("rosenbrock");
    lab.step();
    lab.drawSurface3d(kept); // the surface drawn and kept
    lab.turnSurface(40, -12);
    lab.drawSurface3d(kept); // a new angle: drawn and kept again
    for (let k = 0; k < 5; k++) lab.step();
    lab.drawSurface3d(kept); // only the path over the kept surface
    const fresh = new api.DescentLab();
    fresh.setSurface("rosenbrock");
    fresh.turnSurface(40, -12);
    for (let k = 0; k < 6; k++) fresh.step();
    const afresh = canvas();
    fresh.drawSurface3d(afresh);
    const pixels = (c) => c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    const [a, b] = [pixels(kept), pixels(afresh)];
    const differing = a.filter((v, i) => v !== b[i]).length;
    return { differing, path: JSON.parse(lab.trajectoryJson()).length };
  });
  assert.equal(same.path, 7, "θ₀ … θ₆");
  assert.equal(same.differing, 0);
});

// The canvas sets a path's stroke only when it changes: the network
// diagram's edges, drawn weakest first, each still stroked in its own colour,
// opacity and width, with far fewer strokes set than edges drawn.
test("the network diagram strokes every edge in its own look, setting each look once", async () => {
  const { edges, sets } = await page.evaluate(async () => {
    const api = await import("/pkg/gradlab.js");
    await api.default({ module_or_path: "/pkg/gradlab_bg.wasm" });
    const lab = new api.NetworkLab();
    lab.openLink("lab=network&dataset=xor&points=200&hidden=16:tanh,16:tanh,16:tanh&epochs=2");
    const canvas = document.createElement("canvas");
    canvas.width = 620;
    canvas.height = 372;
    const context = canvas.getContext("2d");
    const proto = CanvasRenderingContext2D.prototype;
    const style = Object.getOwnPropertyDescriptor(proto, "strokeStyle");
    // The edges come first: 2·16 + 16·16·2 + 16 of them; the strokes set while they are drawn.
    const count = 2 * 16 + 16 * 16 * 2 + 16;
    let sets = 0;
    let setsForEdges = null;
    const edges = [];
    Object.defineProperty(context, "strokeStyle", {
      get() { return style.get.call(this); },
      set(value) { sets++; style.set.call(this, value); },
    });
    context.stroke = function () {
      edges.push([this.strokeStyle, this.lineWidth]);
      if (edges.length === count) setsForEdges = sets;
      return proto.stroke.call(this);
    };
    lab.drawNetwork(canvas);
    return { edges: edges.slice(0, count), sets: setsForEdges };
  });
  const [blue, orange] = ["31,119,180", "230,120,30"];
  let last = 0;
  for (const [style, width] of edges) {
    // The browser names an opaque colour #rrggbb and another rgba(r, g, b, a).
    const hex = style.match(/^#(..)(..)(..)$/);
    const [rgb, opacity] = hex
      ? [hex.slice(1).map((h) => parseInt(h, 16)).join(","), 1]
      : [style.match(/^rgba\((\d+), (\d+), (\d+), ([\d.]+)\)$/).slice(1, 4).join(","), Number(style.match(/([\d.]+)\)$/)[1])];
    assert.ok(rgb === blue || rgb === orange, `an edge in a weight's colour: ${style}`);
    const strength = (opacity - 0.25) / 0.75;
    assert.ok(Math.abs(width - (1 + Math.round(strength * 6))) <= (Math.abs((strength * 6) % 1 - 0.5) < 0.02 ? 1 : 0),
      `opacity ${opacity} and width ${width} tell one strength`);
    assert.ok(opacity >= last - 1e-9, `weakest first: ${opacity} after ${last}`);
    last = opacity;
  }
  assert.ok(last === 1, "the strongest edge is opaque");
  // Both signs at many strengths: a look set once and kept for edges of another would show fewer.
  const looks = new Set(edges.map(([style, width]) => `${style} ${width}`));
  assert.ok(looks.size >= 30, `${looks.size} looks among ${edges.length} edges`);
  // At most once for each step of strength and sign (33 × 2).
  assert.ok(sets <= 66, `${sets} strokes set for ${edges.length} edges`);
});
