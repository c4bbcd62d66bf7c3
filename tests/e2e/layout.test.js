// The page at the sizes classrooms use: every chart readable, the run
// controls and the charts they change on the first screen, numbers whole,
// sharp charts on dense screens; the keys step whatever was clicked last;
// lessons and menus behave.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { diagramPosition, launch, openPage } from "./browser.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

/** Opens a page at `width`×`height` (`dpr` pixels a CSS pixel), runs `body(page)`, and fails on any console error. */
async function withPage({ width = 1280, height = 800, dpr = 1, path = "" }, body) {
  const { page, errors } = await openPage(browser, { width, height, path, deviceScaleFactor: dpr });
  try {
    await body(page);
    assert.deepEqual(errors, [], "no console errors or uncaught exceptions");
  } finally {
    await page.close();
  }
}

const LABS = {
  descent: {
    tab: "Descent lab",
    step: "Step",
    counter: "iteration t",
    /** The charts a class watches while stepping, and the readout. */
    onScreen: ["#surface-canvas", "#loss-canvas", "#data-canvas", "#update"],
    numbers: "#readout",
  },
  network: {
    tab: "Backprop lab",
    step: "Step epoch",
    counter: "epoch",
    onScreen: [".network-readout", "#nn-network-canvas", "#nn-boundary-canvas", "#nn-loss-canvas"],
    numbers: ".network-readout, #nn-phase, #nn-chain",
  },
};
const panel = (page, lab) => page.getByRole("tabpanel", { name: LABS[lab].tab });
const button = (page, lab, name) => panel(page, lab).getByRole("button", { name, exact: true });
const counter = (page, lab) => panel(page, lab).getByRole("status", { name: LABS[lab].counter, exact: true }).textContent();
const runButtons = (lab) => [LABS[lab].step, "Back", "Play"];

/** The boxes (CSS pixels, at the page's scroll position) of the selectors' visible elements in the lab shown. */
function boxes(page, selectors) {
  return page.evaluate((selectors) => {
    const shown = document.querySelector("main:not([hidden])");
    return [...shown.querySelectorAll(selectors)]
      .filter((e) => e.offsetParent && e.checkVisibility())
      .map((e) => ({ name: e.id || e.className, ...e.getBoundingClientRect().toJSON() }));
  }, selectors);
}

/**
 * Every number in the readouts of the lab shown that is split over two lines
 * (each number a Range: its rectangles must share one line), and every
 * output but the per-layer list that takes more than one line.
 */
function brokenNumbers(page, selectors) {
  return page.evaluate((selectors) => {
    const broken = [];
    const shown = document.querySelector("main:not([hidden])");
    for (const box of shown.querySelectorAll(selectors)) {
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?%?/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top));
          if (new Set(tops).size > 1) broken.push(`"${match[0]}" in "${node.data}"`);
        }
      }
      for (const output of box.querySelectorAll("output:not(#nn-norms)")) {
        const lines = new Set([...output.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(`${output.id} on ${lines.size} lines: "${output.textContent}"`);
      }
    }
    return broken;
  }, selectors);
}

const DESKTOP = [[1024, 768], [1280, 800], [1366, 768], [1920, 1080]];
const PHONE = [390, 844];

for (const [width, height] of [...DESKTOP, PHONE]) {
  const phone = width < 700;
  test(`at ${width}×${height}, both labs, normal and projector: charts wide enough, run controls and charts on the first screen, numbers whole`, async () => {
    await withPage({ width, height }, async (page) => {
      for (const projector of [false, true]) {
        await page.getByRole("checkbox", { name: "Projector" }).setChecked(projector);
        for (const lab of ["descent", "network"]) {
          const where = `${lab} lab at ${width}×${height}${projector ? " in projector mode" : ""}`;
          await page.getByRole("tab", { name: LABS[lab].tab }).click();
          await button(page, lab, "Reset").click();
          for (let i = 0; i < 3; i++) await button(page, lab, LABS[lab].step).click();
          await page.evaluate(() => window.scrollTo(0, 0));

          // Every chart is readable: at least 300 px wide, or the phone's width less its margins.
          const narrowest = phone ? width - 2 * 15 - 2 : 300;
          for (const chart of await boxes(page, "canvas")) {
            assert.ok(chart.width >= narrowest, `${where}: ${chart.name} is ${chart.width} px wide, under ${narrowest}`);
            assert.ok(chart.right <= width, `${where}: ${chart.name} runs off the page`);
          }
          assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= width, `${where}: no sideways scrolling`);

          const run = [];
          for (const name of runButtons(lab)) run.push(await button(page, lab, name).boundingBox());
          if (!phone) {
            // Step, Back, Play, α and the charts they change are on the first screen.
            const lr = panel(page, lab).getByRole("spinbutton", { name: /^Learning rate α/ });
            run.push(await lr.boundingBox());
            for (const [i, box] of run.entries()) assert.ok(box.y >= 0 && box.y + box.height <= height, `${where}: ${[...runButtons(lab), "α"][i]} at y = ${box.y}`);
            for (const box of await boxes(page, LABS[lab].onScreen.join(", "))) {
              assert.ok(box.bottom <= height + 1, `${where}: ${box.name} ends at y = ${Math.round(box.bottom)}, below the first screen`);
            }
          } else {
            // On the phone, Step, Back and Play stay at hand beside the charts further down.
            await page.locator(lab === "descent" ? "#loss-canvas" : "#nn-loss-canvas").scrollIntoViewIfNeeded();
            for (const name of runButtons(lab)) {
              const reachable = await button(page, lab, name).evaluate((b) => {
                const r = b.getBoundingClientRect();
                return r.top >= 0 && r.bottom <= innerHeight && document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b;
              });
              assert.ok(reachable, `${where}: ${name} is on the screen beside the charts`);
            }
          }
          assert.deepEqual(await brokenNumbers(page, LABS[lab].numbers), [], `${where}: no number broken over two lines`);
        }
      }
    });
  });
}

test("with a lesson open the charts still leave the run controls and the readout on the first screen, and take the room back when it closes", async () => {
  await withPage({ width: 1280, height: 800 }, async (page) => {
    for (const [lesson, lab, chart] of [["stability-bound", "descent", "#surface-canvas"], ["xor", "network", "#nn-loss-canvas"]]) {
      await page.getByLabel("Lesson", { exact: true }).selectOption(lesson);
      for (const box of await boxes(page, [...LABS[lab].onScreen, ".run-bar"].join(", "))) {
        assert.ok(box.bottom <= 800 + 1, `${lesson}: ${box.name} ends at y = ${Math.round(box.bottom)}`);
      }
      const before = (await boxes(page, chart))[0].height;
      await page.getByRole("button", { name: "Close the lesson" }).click();
      const after = (await boxes(page, chart))[0].height;
      assert.ok(after > before, `${lesson}: ${chart} grows from ${before} to ${after} px`);
    }
  });
});

test("projector mode enlarges the readout's numbers (above their labels), the headings, hints and the slider's scale", async () => {
  await withPage({ width: 1024, height: 768, path: "#lab=descent&surface=quadratic&opt=sgd&lr=0.1&start=-0.8,0.7&t=0&lesson=stability-bound" }, async (page) => {
    const sizes = () => page.evaluate(() => {
      const size = (selector) => parseFloat(getComputedStyle(document.querySelector(selector)).fontSize);
      return {
        number: size("#out-value"),
        label: size(".readout dt"),
        heading: size(".readout h2"),
        update: size("#update"),
        lesson: size("#lesson-title"),
        hint: size("#lr-bound"),
        scale: size("#lr-scale"),
      };
    });
    const normal = await sizes();
    await page.getByRole("checkbox", { name: "Projector" }).check();
    const projector = await sizes();
    assert.ok(projector.number > projector.label, `numbers ${projector.number} px, labels ${projector.label} px`);
    for (const [what, size] of Object.entries(projector)) {
      assert.ok(size >= 1.2 * normal[what], `${what}: ${normal[what]} px normally, ${size} px in projector mode`);
    }
    assert.ok(projector.hint >= 15 && projector.scale >= 15, `hints ${projector.hint} px, the scale ${projector.scale} px`);
  });
});

test("the largest network's diagram leaves each of a layer's 16 neurons room to stand apart, on a projector and on a phone", async () => {
  const path = `#lab=network&hidden=${encodeURIComponent(Array.from({ length: 6 }, () => "16:tanh").join(","))}`;
  for (const [width, height, projector, perNeuron] of [[1024, 768, true, 17], [390, 844, false, 12]]) {
    await withPage({ width, height, path }, async (page) => {
      if (projector) await page.getByRole("checkbox", { name: "Projector" }).check();
      const tall = await page.locator("#nn-network-canvas").evaluate((c) => c.clientHeight);
      // Room for each neuron, and for the titles above the columns and the legend under them.
      assert.ok(tall >= 16 * perNeuron + 80, `${width}×${height}: the diagram is ${tall} px tall for columns of 16 neurons`);
    });
  }
});

test("a race with the sweep and a schedule, at every size and in projector mode: charts wide enough, no sideways scrolling, numbers whole", async () => {
  const race = "#lab=descent&surface=rosenbrock&sched=cosine&race=6&pick=1&r1=sgd&r1_lr=0.001&r2=momentum&r2_lr=0.001&r3=nesterov&r3_lr=0.001&r4=adagrad&r4_lr=0.4&r5=rmsprop&r5_lr=0.08&r6=adam&r6_lr=0.08&t=120&sweep=0.0001,10,200,100";
  for (const [width, height] of [...DESKTOP, PHONE]) {
    await withPage({ width, height, path: race }, async (page) => {
      for (const projector of [false, true]) {
        await page.getByRole("checkbox", { name: "Projector" }).setChecked(projector);
        await page.evaluate(() => window.scrollTo(0, 0));
        const where = `the race at ${width}×${height}${projector ? " in projector mode" : ""}`;
        const narrowest = width < 700 ? width - 2 * 15 - 2 : 300;
        const charts = await boxes(page, "#surface-canvas, #loss-canvas, #sweep-canvas");
        assert.equal(charts.length, 3, `${where}: the surface, the loss of every run and the sweep`);
        for (const chart of charts) {
          assert.ok(chart.width >= narrowest, `${where}: ${chart.name} is ${chart.width} px wide, under ${narrowest}`);
          assert.ok(chart.right <= width, `${where}: ${chart.name} runs off the page`);
        }
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= width, `${where}: no sideways scrolling`);
        if (width >= 700) {
          const [surface] = await boxes(page, "#surface-canvas");
          assert.ok(surface.bottom <= height + 1, `${where}: the surface chart ends at y = ${Math.round(surface.bottom)}, below the first screen`);
        }
        assert.deepEqual(await brokenNumbers(page, "#readout"), [], `${where}: no number broken over two lines`);
      }
    });
  }
});

test("on a screen of 2 pixels a CSS pixel the charts have twice the pixels, and clicks still land where they point", async () => {
  const clickSurface = async (page) => {
    const chart = panel(page, "descent").getByRole("img", { name: /^Surface chart/ });
    const box = await chart.boundingBox();
    await chart.click({ position: { x: box.width * 0.3, y: box.height * 0.5 } });
    return (await panel(page, "descent").getByRole("status", { name: "theta", exact: true }).textContent()).match(/-?[\d.]+/g).map(Number);
  };
  const sharp = async (page, where) => {
    const canvases = await page.evaluate(() => [...document.querySelectorAll("main:not([hidden]) canvas")].filter((c) => c.checkVisibility()).map((c) => ({ id: c.id, pixels: [c.width, c.height], css: [c.clientWidth, c.clientHeight] })));
    for (const c of canvases) assert.deepEqual(c.pixels, [2 * c.css[0], 2 * c.css[1]], `${where}: ${c.id} is drawn at ${c.pixels.join("×")} for ${c.css.join("×")} CSS pixels`);
  };
  /** Where hovering the diagram shows W²₁,₁ (CSS pixels), and what a click there chooses. */
  const weight = async (page) => {
    await page.getByRole("tab", { name: "Backprop lab" }).click();
    const at = await diagramPosition(page, "W²₁,₁");
    await panel(page, "network").getByRole("img", { name: /^Network diagram/ }).click({ position: at });
    return { at, chosen: await panel(page, "network").getByRole("status", { name: "selected weight", exact: true }).textContent() };
  };
  let plain;
  await withPage({ width: 1280, height: 800 }, async (page) => {
    plain = { start: await clickSurface(page), weight: await weight(page) };
  });
  await withPage({ width: 1280, height: 800, dpr: 2 }, async (page) => {
    await sharp(page, "descent lab");
    const start = await clickSurface(page);
    start.forEach((v, i) => assert.ok(Math.abs(v - plain.start[i]) < 0.02, `a click starts at ${start} on the dense screen, ${plain.start} on the plain one`));
    await page.getByRole("checkbox", { name: "Projector" }).check();
    await sharp(page, "descent lab in projector mode");
    await page.getByRole("checkbox", { name: "Projector" }).uncheck();
    const { at, chosen } = await weight(page);
    await sharp(page, "backprop lab");
    assert.equal(chosen, "W²₁,₁", "a click where the diagram shows W²₁,₁ chooses it");
    assert.ok(Math.abs(at.x - plain.weight.at.x) <= 6 && Math.abs(at.y - plain.weight.at.y) <= 6, `W²₁,₁ shows at ${JSON.stringify(at)}, on the plain screen at ${JSON.stringify(plain.weight.at)}`);
  });
});

const FOCUSED_BY = {
  "choosing a lesson": async (page) => {
    const lesson = page.getByLabel("Lesson", { exact: true });
    await lesson.selectOption("too-large");
    await lesson.focus(); // where a choice with the mouse leaves the focus
    return async () => assert.equal(await lesson.inputValue(), "too-large", "the lesson stays chosen");
  },
  "clicking a tab": async (page) => {
    await page.getByRole("tab", { name: "Backprop lab" }).click();
    await page.getByRole("tab", { name: "Descent lab" }).click();
    return async () => assert.equal(await page.getByRole("tab", { name: "Descent lab" }).getAttribute("aria-selected"), "true", "the tab stays");
  },
  "ticking Projector": async (page) => {
    const box = page.getByRole("checkbox", { name: "Projector" });
    await box.click();
    return async () => assert.ok(await box.isChecked(), "Projector stays ticked");
  },
  "ticking 3-D": async (page) => {
    const box = panel(page, "descent").getByRole("checkbox", { name: "3-D" });
    await box.click();
    return async () => assert.ok(await box.isChecked(), "3-D stays ticked");
  },
};

for (const [after, focus] of Object.entries(FOCUSED_BY)) {
  test(`keyboard: after ${after}, → steps and Space plays`, async () => {
    await withPage({}, async (page) => {
      const unchanged = await focus(page);
      const before = Number(await counter(page, "descent"));
      await page.keyboard.press("ArrowRight");
      assert.equal(Number(await counter(page, "descent")), before + 1, "→ steps");
      await page.keyboard.press(" ");
      assert.equal(await button(page, "descent", "Pause").getAttribute("aria-pressed"), "true", "Space plays");
      await page.keyboard.press(" ");
      assert.equal(await button(page, "descent", "Play").getAttribute("aria-pressed"), "false", "Space pauses");
      await unchanged();
    });
  });
}

test("keyboard: in the backprop lab too, after clicking its tab → trains an epoch and Space plays", async () => {
  await withPage({}, async (page) => {
    const tab = page.getByRole("tab", { name: "Backprop lab" });
    await tab.click();
    await page.keyboard.press("ArrowRight");
    assert.equal(await counter(page, "network"), "1");
    assert.equal(await tab.getAttribute("aria-selected"), "true", "the backprop lab stays");
    await page.keyboard.press(" ");
    assert.equal(await button(page, "network", "Pause").getAttribute("aria-pressed"), "true");
    await page.keyboard.press(" ");
  });
});

test("closing a lesson shows every control again", async () => {
  await withPage({}, async (page) => {
    await page.getByLabel("Lesson", { exact: true }).selectOption("stability-bound");
    const hidden = () => page.evaluate(() => [...document.querySelectorAll("[data-group]")].filter((g) => g.hidden).map((g) => g.dataset.group));
    assert.deepEqual(await hidden(), ["optimizer", "surface"]);
    await page.getByRole("button", { name: "Close the lesson" }).click();
    assert.deepEqual(await hidden(), [], "no control hidden");
    assert.ok(await page.getByRole("complementary").isHidden(), "the lesson panel is closed");
    assert.equal(await page.locator("[data-hide]:checked").count(), 0, "nothing ticked in Hide controls");
  });
});

test("a lesson's link shows the lesson in the Lesson menu", async () => {
  await withPage({ path: "#lab=network&dataset=xor&hidden=&out=sigmoid&loss=bce&opt=adam&lr=0.05&batch=10&epochs=0&lesson=xor" }, async (page) => {
    assert.equal(await page.getByLabel("Lesson", { exact: true }).inputValue(), "xor");
    assert.equal(await page.getByLabel("Lesson", { exact: true }).locator("option:checked").textContent(), "XOR needs a hidden layer");
  });
});

test("the chosen tab stays readable under the mouse; Copy link says so briefly without moving the page", async () => {
  await withPage({ width: 1024, height: 768 }, async (page) => {
    const tab = page.getByRole("tab", { name: "Descent lab" });
    await tab.hover();
    const [colour, background] = await tab.evaluate((t) => [getComputedStyle(t).color, getComputedStyle(t).backgroundColor]);
    const light = (css) => css.match(/\d+/g).slice(0, 3).map(Number).reduce((a, b) => a + b) / 3;
    assert.ok(Math.abs(light(colour) - light(background)) > 100, `text ${colour} on ${background}`);

    const header = async () => (await page.locator("header").boundingBox()).height;
    const tall = await header();
    await page.getByRole("button", { name: "Copy link" }).click();
    const toast = page.getByRole("status").filter({ hasText: /link/i });
    await toast.waitFor();
    assert.equal(await header(), tall, "the header keeps its height");
    await toast.waitFor({ state: "hidden", timeout: 8000 });
  });
});

test("the Hide controls menu closes on a click elsewhere and on Escape", async () => {
  await withPage({}, async (page) => {
    const menu = page.locator(".hide-menu");
    await page.getByText("Hide controls").click();
    assert.equal(await menu.getAttribute("open"), "");
    await panel(page, "descent").getByRole("img", { name: /^Loss against iteration/ }).click();
    assert.equal(await menu.getAttribute("open"), null, "a click elsewhere closes it");
    await page.getByText("Hide controls").click();
    await page.getByRole("checkbox", { name: "export" }).check();
    await page.keyboard.press("Escape");
    assert.equal(await menu.getAttribute("open"), null, "Escape closes it");
  });
});

test("the landscape's refusals show beside its menus, not at the top of the lab", async () => {
  await withPage({}, async (page) => {
    await page.getByRole("tab", { name: "Backprop lab" }).click();
    const lab = panel(page, "network");
    const near = async (text, field) => {
      const [message, control] = [await lab.getByRole("alert").filter({ hasText: text }).boundingBox(), await field.boundingBox()];
      assert.ok(Math.abs(message.y - control.y) < 120, `"${text}" (y = ${message.y}) beside its control (y = ${control.y})`);
      assert.equal(await page.locator("#nn-message").textContent(), "", "nothing at the top of the lab");
    };
    const b = lab.getByLabel("Weight b", { exact: true });
    await b.selectOption({ label: "W¹₁,₁" }); // the same as weight a
    await near("two different weights", b);
    await lab.getByLabel("Plane", { exact: true }).selectOption("random");
    const seed = lab.getByLabel("Direction seed", { exact: true });
    await seed.fill("-1");
    await seed.press("Enter");
    await near("whole number", seed);
    assert.equal(await seed.inputValue(), "1", "the seed in force is back in its field");
  });
});
