// Small helpers shared by the two labs.
import { tr } from "./i18n.js";

export const $ = (id) => document.getElementById(id);

/**
 * Canvas pixels per CSS pixel: the screen's own, for sharp charts on dense
 * screens, up to 2.5 (finer is not seen, and the charts' scale stops at 4).
 */
export const pixelRatio = () => Math.min(window.devicePixelRatio || 1, 2.5);

/**
 * Sizes a canvas to the width of its box (CSS pixels), at `aspect`
 * height/width, at most `maxHeight` high but at least `minHeight`, with
 * pixelRatio() pixels to a CSS pixel.
 */
export function fitCanvas(canvas, aspect, maxHeight, minHeight = 160) {
  const width = Math.max(200, Math.floor(canvas.parentElement.clientWidth) - 2); // within its border
  const height = Math.max(minHeight, Math.floor(Math.min(width * aspect, maxHeight)));
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const [w, h] = [Math.round(width * pixelRatio()), Math.round(height * pixelRatio())];
  if (canvas.width === w && canvas.height === h) return false;
  canvas.width = w;
  canvas.height = h;
  return true;
}

/** Where the mouse event `e` is on `canvas`, in the canvas's own pixels (what the core's charts measure in). */
export function canvasPoint(canvas, e) {
  const ratio = canvas.width / canvas.clientWidth;
  return [e.offsetX * ratio, e.offsetY * ratio];
}

/**
 * Shows, while the pointer is over `canvas`, what `textAt(x, y)` says of the
 * canvas pixel under it (the iteration there and its exact values),
 * in a tip beside the pointer; nothing where it says nothing.
 */
export function hoverReadout(canvas, textAt) {
  let tip = document.getElementById("hover-tip");
  if (!tip) {
    tip = document.createElement("div");
    tip.id = "hover-tip";
    tip.className = "hover-tip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    document.body.append(tip);
  }
  canvas.addEventListener("pointermove", (e) => {
    const text = textAt(...canvasPoint(canvas, e));
    tip.hidden = !text;
    if (!text) return;
    tip.textContent = text;
    // Beside the pointer, kept inside the window.
    const x = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 4);
    tip.style.left = `${Math.max(4, x)}px`;
    tip.style.top = `${e.clientY + 16}px`;
  });
  canvas.addEventListener("pointerleave", () => {
    tip.hidden = true;
  });
}

/**
 * Whether at least a tenth of an element is on screen (kept by an
 * IntersectionObserver from the moment it is first asked about; until the
 * observer's first report it counts as on screen). A loop skips drawing what
 * no one can see and draws it once it comes into view.
 */
export const onScreen = (() => {
  const hidden = new WeakSet();
  const watched = new WeakSet();
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting && entry.intersectionRatio >= 0.1) hidden.delete(entry.target);
      else hidden.add(entry.target);
    }
  }, { threshold: [0, 0.1] });
  return (element) => {
    if (!watched.has(element)) {
      watched.add(element);
      observer.observe(element);
    }
    return !hidden.has(element);
  };
})();

/**
 * The height left on the first screen below the top of `element`, less
 * `below` (CSS pixels); Infinity when less than 200 px are left (the element
 * then starts too far down for the first screen to limit it), and in the embed view.
 */
export function roomBelow(element, below = 0) {
  // Embedded, the parts shown keep their own shapes and the frame scrolls.
  if (document.body.classList.contains("embed")) return Infinity;
  const room = window.innerHeight - (element.getBoundingClientRect().top + window.scrollY) - below - 12;
  return room < 200 ? Infinity : room;
}

/** The message of an error thrown by the core. */
export function errorText(error) {
  return error instanceof Error ? error.message : String(error);
}

/**
 * How long the page's own work in each frame may take (ms) while a player
 * plays or a job goes on in slices: the steps, the drawing, the slow views and
 * any slices. It shrinks while their frames come late (the browser's own
 * layout, painting and compositing need the rest of the frame) and grows back
 * while they come on time, between 4 and 12 ms; with neither under way it is 12 ms.
 */
export const frameWork = {
  ms: 12,
  /** The screen's frame (ms): the shortest interval between frames lately, forgetting 1 % a frame. */
  period: 1000 / 60,
  /** When the last frame of a player or a job in slices began. */
  last: null,
  /** The players playing and the jobs in slices under way. */
  loops: 0,
  /**
   * The time a player's steps may take in a frame, when a step has lately
   * taken `msPerStep`: two thirds of `ms` (drawing takes the rest), but room
   * for eight steps (up to 8 ms) even in a late frame, so that long steps are
   * not cut to one a frame for a smoothness that frames of that size cannot have.
   */
  stepsMs(msPerStep) {
    return Math.max((this.ms * 2) / 3, Math.min(8, 8 * msPerStep));
  },
  /** A frame of a player or of a job in slices began at `now` (a requestAnimationFrame time stamp; the same for every loop of one frame). */
  frameAt(now) {
    const interval = this.last == null ? null : now - this.last;
    this.last = now;
    // A gap of several frames is a pause or a hidden tab, not a late frame; two loops in one frame have no gap.
    if (interval == null || interval <= 0 || interval > 100) return;
    this.period = Math.min(interval, this.period * 1.01);
    this.ms = interval > 1.25 * this.period ? Math.max(4, this.ms * 0.8) : Math.min(12, this.ms + 0.2);
  },
  /** A player starts playing or a job starts its slices. */
  begin() {
    this.loops += 1;
  },
  /** A player stops or a job's slices are done: with none left, the whole budget again. */
  end() {
    this.loops = Math.max(0, this.loops - 1);
    if (this.loops === 0) {
      this.ms = 12;
      this.last = null;
    }
  },
};

/**
 * A play/pause loop on `button`. While playing, each animation frame calls
 * `advance(n)` for the whole steps owed at `perSecond()` steps a second,
 * then `redraw(last, light)` (`last` when playing stops there). The rate is a
 * ceiling, not a promise: a frame takes as many steps as fit in
 * `frameWork.stepsMs` at the time a step has lately taken (at least one, at most
 * `maxPerFrame`), so frames keep coming at any size; steps that did not fit
 * are not owed later. When a frame's steps overran (one epoch of a large
 * network can take longer), it redraws only what is `light` and the next
 * frame only redraws: no frame both steps long and draws.
 * `advance` returns false to stop playing. About once a
 * second, and on stopping (with null), `onRate(stepsPerSecond)` hears the
 * rate really achieved. While playing, the button reads `pauseLabel`.
 */
export function player(button, perSecond, advance, redraw, { maxPerFrame, pauseLabel = "Pause", onRate = () => {} }) {
  let playing = false;
  let lastFrame = 0;
  let owed = 0; // steps owed, in fractions of a step
  let counted = { since: 0, steps: 0 }; // steps since the rate was last reported
  let drawOnly = false; // the last frame's steps overran: this one only redraws
  let msPerStep = 0; // how long a step has lately taken (0: not yet known)
  const frame = (now) => {
    if (!playing) return;
    frameWork.frameAt(now);
    if (drawOnly) {
      drawOnly = false;
      redraw(false, false);
      requestAnimationFrame(frame);
      return;
    }
    // A frame's time stamp can precede the moment play started: never owe less than nothing.
    const rate = perSecond();
    owed = rate === Infinity ? maxPerFrame : Math.min(maxPerFrame, owed + (Math.max(0, now - lastFrame) / 1000) * rate);
    lastFrame = now;
    const start = performance.now();
    const budget = frameWork.stepsMs(msPerStep);
    let [done, goOn] = [0, true];
    while (goOn && done + 1 <= owed) {
      const began = performance.now();
      // As many steps as the time left holds at the recent time a step (one while that is unknown).
      const fits = msPerStep > 0 ? Math.floor((0.9 * (budget - (began - start))) / msPerStep) : 1;
      if (done > 0 && fits < 1) break;
      // At most twice and one more than done so far: a step that suddenly takes longer (a larger network) is caught within the frame.
      const steps = Math.max(1, Math.min(fits, 2 * done + 1, Math.floor(owed) - done));
      goOn = advance(steps);
      const took = (performance.now() - began) / steps;
      msPerStep = msPerStep > 0 ? (msPerStep + took) / 2 : took;
      done += steps;
    }
    owed = Math.max(0, Math.min(owed - done, 1)); // what did not fit is not owed later
    counted.steps += done;
    drawOnly = goOn && performance.now() - start > budget;
    // A frame owed no step yet (a slow speed) has nothing new to draw.
    if (done > 0 || !goOn) redraw(!goOn, drawOnly);
    if (now - counted.since >= 1000) {
      onRate((counted.steps * 1000) / (now - counted.since));
      counted = { since: now, steps: 0 };
    }
    if (!goOn) stop();
    if (playing) requestAnimationFrame(frame);
  };
  const idleLabel = button.textContent;
  const toggle = () => {
    playing = !playing;
    button.textContent = playing ? pauseLabel : idleLabel;
    button.setAttribute("aria-pressed", String(playing));
    if (playing) {
      lastFrame = performance.now();
      owed = 0;
      msPerStep = 0; // the steps may be of another size than when it last played
      counted = { since: lastFrame, steps: 0 };
      frameWork.begin();
      requestAnimationFrame(frame);
    } else {
      frameWork.end();
      onRate(null);
    }
  };
  /** Stops playing, if it was. */
  const stop = () => {
    if (playing) toggle();
  };
  return { toggle, stop, isPlaying: () => playing };
}

/**
 * Shows in `element` the rate a player really achieves ("playing at 37
 * epochs/s") when it falls short of the `asked()` one, or always when it
 * plays as fast as it can; nothing otherwise.
 */
export function rateNote(element, asked, unit) {
  return (achieved) => {
    const shown = achieved != null && (asked() === Infinity || achieved < 0.9 * asked());
    element.textContent = shown ? tr("playing at {rate} {unit}/s", { rate: Math.round(achieved).toLocaleString("en"), unit: tr(unit) }) : "";
  };
}

/**
 * The speed a player asks of `slider`: its value a second, or as fast as it
 * can (Infinity) while `fastest` is ticked, which disables the slider.
 */
export function speedOf(slider, fastest) {
  fastest.addEventListener("change", () => { slider.disabled = fastest.checked; });
  return () => (fastest.checked ? Infinity : Number(slider.value));
}

/**
 * A job spread over frames: the returned function schedules it; each frame
 * calls `advance()` (true while work remains) for up to `frameWork.ms`, then
 * `redraw()`, and goes on in the next frame while work remains. A slice that
 * overran (one piece of a large network can take longer) leaves its redraw
 * to a frame of its own, so that no frame both works long and draws. Its
 * frames, like a player's, tell `frameWork` whether they come late.
 * Calling it again while a frame is already scheduled does nothing.
 */
export function inSlices(advance, redraw) {
  let queued = false;
  let running = false; // between the first slice and the last
  let drawOnly = false; // the next frame only redraws
  const slice = () => {
    if (queued) return;
    queued = true;
    if (!running) frameWork.begin();
    running = true;
    requestAnimationFrame((now) => {
      queued = false;
      let more = false;
      try {
        more = work(now);
      } finally {
        // Done (unless its redraw asked for more), or stopped by an error: the loop ends, and the frame budget hears so.
        if (more) {
          slice();
        } else if (!queued) {
          running = false;
          drawOnly = false;
          frameWork.end();
        }
      }
    });
  };
  /** One frame of the job; true while work remains. */
  const work = (now) => {
    frameWork.frameAt(now);
    if (drawOnly) {
      drawOnly = false;
      redraw();
      return true;
    }
    // Pieces while the next, as long as the last, still ends within the frame's work (at least one).
    const start = performance.now();
    let [more, piece, first] = [true, 0, true];
    while (more && (first || performance.now() - start + piece <= frameWork.ms)) {
      first = false;
      const t = performance.now();
      more = advance();
      piece = performance.now() - t;
    }
    drawOnly = more && performance.now() - start > frameWork.ms;
    if (!drawOnly) redraw();
    return more;
  };
  return slice;
}

/** Offers `content` (text, or a data: URL) as a file named `name`. */
export function download(name, content, type = "text/plain") {
  const url = content.startsWith("data:") ? content : URL.createObjectURL(new Blob([content], { type: `${type};charset=utf-8` }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  if (!content.startsWith("data:")) setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * What the page asks of either lab, the same for both: `handle` is the core's
 * lab, `draws` maps each chart's canvas id to the call that draws it,
 * `render` redraws the lab and `play` is its play loop.
 */
export function labControls(handle, draws, render, play) {
  let scale = 1; // how big the charts draw: 1, or more in projector mode
  let visible = false;
  /** `scale` as far as the narrowest chart's width allows (1 for every 340 CSS pixels), so that titles fit. */
  const chartScale = () => {
    const widths = Object.keys(draws).map((id) => document.getElementById(id).parentElement.clientWidth);
    return Math.min(scale, Math.max(1, Math.min(...widths.filter((w) => w > 0)) / 340));
  };
  const drawAtScreenScale = () => handle.setScale(chartScale() * pixelRatio());
  drawAtScreenScale();
  // A new window size or zoom (which changes the pixel ratio) redraws.
  window.addEventListener("resize", () => {
    drawAtScreenScale();
    if (visible) render();
  });
  return {
    show: () => {
      visible = true;
      drawAtScreenScale();
      render();
    },
    hide: () => {
      visible = false;
      play.stop();
    },
    setDigits: (digits) => handle.setDigits(digits),
    setScale: (s) => {
      scale = s;
      drawAtScreenScale();
    },
    /** The chart on canvas `id` as a PNG data URL at twice its size on the page, every size doubled too. */
    exportPng: (id) => {
      const shown = document.getElementById(id);
      const big = document.createElement("canvas");
      big.width = 2 * parseFloat(shown.style.width);
      big.height = 2 * parseFloat(shown.style.height);
      handle.setScale(chartScale() * 2);
      try {
        draws[id](big);
      } finally {
        drawAtScreenScale();
        render();
      }
      return big.toDataURL("image/png");
    },
    linkHash: () => handle.linkHash(),
    /** The worksheet of the first steps, as the core writes it (settings and result as JSON). */
    worksheetJson: (settings) => handle.worksheetJson(settings),
    tableCsv: () => handle.tableCsv(),
    tableMarkdown: () => handle.tableMarkdown(),
  };
}

/**
 * A function that asks for `draw()` at the next frame, once however often it
 * is called before then: what changes many times a frame is drawn once.
 */
export function atNextFrame(draw) {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      draw();
    });
  };
}

/**
 * Dragging on `canvas` while `isOn()` calls `turn(dx, dy)` with the pixels
 * moved since the last call, then `redraw()`: how the 3-D views are turned.
 */
export function turnByDragging(canvas, isOn, turn, redraw) {
  let from = null;
  canvas.addEventListener("pointerdown", (e) => {
    if (!isOn()) return;
    from = [e.clientX, e.clientY];
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!from) return;
    turn(e.clientX - from[0], e.clientY - from[1]);
    from = [e.clientX, e.clientY];
    redraw();
  });
  const end = () => { from = null; };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
}

/** The choices of the menus, as the core lists them (menuChoices()): {surfaces, optimizers, datasets, …}. */
export const menus = {};

/** Fills every menu of the page from the core's choices. */
export function fillMenus(choices) {
  Object.assign(menus, choices);
  const lists = {
    surface: choices.surfaces,
    optimizer: choices.optimizers,
    schedule: choices.schedules,
    "nn-dataset": choices.datasets,
    "nn-output": choices.outputs,
    "nn-inside-quantity": choices.quantities,
    "nn-loss": choices.losses,
    "nn-init": choices.inits,
    "nn-optimizer": choices.optimizers,
    "nn-plane": choices.planes,
    "nn-grid": choices.grids,
  };
  for (const [id, list] of Object.entries(lists)) {
    $(id).replaceChildren(...list.map((choice) => new Option(choice.label, choice.id)));
  }
}

/**
 * A "Stop when" group in `box`: a checkbox and a number for each condition of
 * `spec` ({key, label, whole}); `apply(rule)` receives every key, null when
 * off. Returns `fill(rule)`, which shows a rule (fields being typed in are left alone).
 */
export function stopConditions(box, spec, apply) {
  const rows = spec.map(({ key, label, whole }) => {
    const check = document.createElement("input");
    check.type = "checkbox";
    check.id = `${box.id}-${key}-on`;
    const number = document.createElement("input");
    number.type = "number";
    number.step = whole ? "1" : "any";
    number.min = "0";
    number.id = `${box.id}-${key}`;
    number.setAttribute("aria-label", `${label}: threshold`);
    const name = document.createElement("label");
    name.htmlFor = check.id;
    name.textContent = label;
    const row = document.createElement("div");
    row.className = "stop-row";
    row.append(check, name, number);
    return { key, check, number, row };
  });
  box.replaceChildren(...rows.map((r) => r.row));
  const read = () => Object.fromEntries(rows.map(({ key, check, number }) => [key, check.checked ? number.valueAsNumber : null]));
  for (const { check, number } of rows) {
    check.addEventListener("change", () => apply(read()));
    number.addEventListener("change", () => {
      check.checked = true;
      apply(read());
    });
  }
  return (rule) => {
    for (const { key, check, number } of rows) {
      check.checked = rule[key] != null;
      if (rule[key] != null && document.activeElement !== number) number.value = String(rule[key]);
    }
  };
}
