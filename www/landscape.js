// The backprop lab's loss landscape: its controls, its picture and status
// (its grid is computed by workers, see workers.js, or a slice of each frame
// with the other slow views, see network.js), and dragging to turn the 3-D
// view. The core (NetworkLab) computes and draws.
import { $, fitCanvas, errorText, turnByDragging } from "./ui.js";
import { tr } from "./i18n.js";
import { onWorkers } from "./workers.js";

const ABOUT = {
  weights: "L over two weights, every other weight held where it is now. Click two weights on the diagram, or choose them here.",
  random: "L(θ + a·d₁ + b·d₂) for two seeded random directions, each neuron's incoming weights scaled to the norm of its weights now (Li et al., 2018).",
  training: "L over the plane of the two directions along which the path θ₀ … θₜ spread most (centred on θₜ), with the path projected onto it.",
};

/**
 * The landscape panel of `lab`; `changed()` is called after a change of its
 * settings. Returns `draw()`, which draws the picture the core shows now,
 * and `showStatus()`, which says how far it is without drawing it.
 */
export function landscapePanel(lab, { changed, workers }) {
  const canvas = $("nn-landscape-canvas");
  /** Says what went wrong in the panel itself, beside the control that caused it. */
  const showMessage = (text) => {
    $("nn-landscape-message").textContent = text;
    $("nn-landscape-message").dataset.kind = "error";
  };
  let names = "";

  function settings() {
    return JSON.parse(lab.landscapeJson()).settings;
  }

  function apply(change) {
    showMessage("");
    try {
      lab.setLandscape(JSON.stringify({ ...settings(), ...change }));
    } catch (error) {
      showMessage(errorText(error));
    }
    changed();
  }

  /** Puts the settings, the parameter names and the progress into the panel. */
  function fill(status) {
    const s = status.settings;
    if (status.names.join() !== names) {
      names = status.names.join();
      for (const id of ["nn-weight-a", "nn-weight-b"]) {
        $(id).replaceChildren(...status.names.map((name, i) => new Option(name, String(i))));
      }
    }
    $("nn-plane").value = s.plane;
    $("nn-weight-a").value = String(s.a);
    $("nn-weight-b").value = String(s.b);
    if (document.activeElement !== $("nn-plane-seed")) $("nn-plane-seed").value = s.seed; // not while it is typed in
    $("nn-3d").checked = s.threeD;
    $("nn-grid").value = s.grid;
    for (const label of document.querySelectorAll("[data-plane]")) label.hidden = label.dataset.plane !== s.plane;
    $("nn-landscape-about").textContent = ABOUT[s.plane] + (s.threeD ? " Drag the chart to turn it." : "");
    canvas.classList.toggle("turnable", s.threeD);
    const done = status.grid === status.finest;
    const count = workers(); // who computes the grid: its workers, or the page itself (0)
    $("nn-landscape-status").dataset.workers = String(count);
    const on = onWorkers(count);
    const spread = status.explained
      ? tr("; directions 1 and 2 hold {a}% and {b}% of the path's spread", {
          a: (100 * status.explained[0]).toFixed(1),
          b: (100 * status.explained[1]).toFixed(1),
        })
      : "";
    const grid = tr("grid {n} × {n}", { n: status.grid });
    $("nn-landscape-status").textContent = status.message
      ? tr("No picture: {message}.", status)
      : status.grid == null
        ? tr("computing…")
        : grid + (done ? "" : tr(", refining to {n} × {n}", { n: status.finest }) + on + "…") + spread;
  }

  function paint() {
    const free = window.innerHeight - 80;
    fitCanvas(canvas, 0.8, free * 0.6);
    lab.drawLandscape(canvas);
  }

  /** Puts the settings and the progress (and who computes it) into the panel. */
  function showStatus() {
    fill(JSON.parse(lab.landscapeJson()));
  }

  /** Draws the picture of the landscape shown now (it may be of older weights while the one of these is computed). */
  function draw() {
    paint();
    showStatus();
  }

  $("nn-plane").addEventListener("change", (e) => apply({ plane: e.target.value }));
  $("nn-weight-a").addEventListener("change", (e) => apply({ a: Number(e.target.value) }));
  $("nn-weight-b").addEventListener("change", (e) => apply({ b: Number(e.target.value) }));
  $("nn-plane-seed").addEventListener("change", (e) => {
    const seed = e.target.valueAsNumber;
    if (Number.isInteger(seed) && seed >= 0) apply({ seed });
    else {
      showMessage("The seed is a whole number, 0 or more.");
      e.target.value = settings().seed;
    }
  });
  $("nn-3d").addEventListener("change", (e) => apply({ threeD: e.target.checked }));
  $("nn-grid").addEventListener("change", (e) => apply({ grid: e.target.value }));
  turnByDragging(canvas, () => $("nn-3d").checked, (dx, dy) => lab.turnLandscape(dx, dy), () => {
    try {
      paint();
    } catch (error) {
      showMessage(tr("Drawing the landscape failed: {reason}", { reason: errorText(error) }));
    }
  });

  return { draw, showStatus };
}
