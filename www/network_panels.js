// The backprop lab's panels written from the core's JSON: the confusion
// matrices, the range test, the sweep and the gradient check.
import { $, fitCanvas } from "./ui.js";
import { tr } from "./i18n.js";
import { onWorkers } from "./workers.js";

/** Puts `lines` in the list `id`, an item each. */
export function listItems(id, lines) {
  $(id).replaceChildren(...(lines ?? []).map((line) => {
    const item = document.createElement("li");
    item.textContent = line;
    return item;
  }));
}

/** The confusion matrices of the training and test points (the core gives them for three classes or more). */
export function showConfusion(state) {
  const shown = state.confusion != null;
  $("nn-confusion").hidden = !shown;
  if (!shown) return;
  for (const part of ["train", "test"]) {
    const table = $(`nn-confusion-${part}`);
    const head = document.createElement("tr");
    const corner = document.createElement("th");
    corner.scope = "col";
    corner.textContent = "true ╲ given";
    head.append(corner, ...state.classNames.map((_, c) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = String(c);
      return th;
    }));
    const rows = state.confusion[part].map((counts, t) => {
      const line = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = state.classNames[t];
      line.append(th, ...counts.map((n, p) => {
        const td = document.createElement("td");
        td.textContent = String(n);
        if (p === t) td.className = "right";
        return td;
      }));
      return line;
    });
    table.replaceChildren(table.querySelector("caption"), head, ...rows);
  }
}

/**
 * Shows the panel `nn-{name}-panel` (and enables its Hide button) when there
 * is a `result`, and draws its chart on `nn-{name}-canvas` with `draw`; false when there is none.
 */
function chartPanel(name, result, room, draw) {
  $(`nn-${name}-panel`).hidden = result == null;
  $(`nn-${name}-hide`).disabled = result == null;
  if (result == null) return false;
  fitCanvas($(`nn-${name}-canvas`), 0.55, room * 0.35);
  draw($(`nn-${name}-canvas`));
  return true;
}

/** The range test's chart and its reading, when one was run. */
export function showRangeTest(lab, room) {
  const result = JSON.parse(lab.rangeTestJson());
  if (!chartPanel("range", result, room, (canvas) => lab.drawRangeTest(canvas))) return;
  const fmt = (v) => Number(v.toPrecision(2));
  const suggestion = result.suggestion != null
    ? tr("Suggested α ≈ {alpha}, a tenth of the α of the least loss", { alpha: fmt(result.suggestion) })
    : tr("Too few updates to smooth");
  const explosion = result.explodedAt != null
    ? tr("it blows up past α ≈ {alpha} (after {updates} updates)", { alpha: fmt(result.explodedAt), updates: result.updates })
    : tr("it did not blow up up to α = {alpha}", { alpha: result.range.hi });
  $("nn-range-note").textContent = tr("{suggestion}; {explosion}. Click the chart to take an α.", { suggestion, explosion });
}

/** The sweep's chart and how far it has got (on `workers` workers, when there are any), when it is shown. */
export function showSweep(lab, room, workers) {
  const sweep = JSON.parse(lab.sweepJson());
  if (!chartPanel("sweep", sweep, room, (canvas) => lab.drawSweep(canvas))) return;
  $("nn-sweep-progress").max = sweep.count;
  $("nn-sweep-progress").value = sweep.done;
  const { range } = sweep;
  const what = tr("{count} values of α from {lo} to {hi}, {steps} epochs each from the same initial weights", range);
  const on = onWorkers(workers);
  $("nn-sweep-note").textContent = sweep.done < sweep.count
    ? tr("Computing α {n} of {count}{on} ({what}); Hide it stops.", { n: sweep.done + 1, count: sweep.count, on, what })
    : tr("{what}; {diverged} diverged. Click the chart to take an α.", { what, diverged: sweep.diverged });
}

/** The gradient check of the weights shown: how far it has got, then its table (nothing once the weights move on). */
export function showGradientCheck(lab) {
  const check = JSON.parse(lab.gradientCheckJson());
  $("nn-check-status").textContent = check == null || check.layers
    ? ""
    : tr("Checking parameter {n} of {total} (four passes over the training points each)…", { n: check.checked + 1, total: check.total });
  $("nn-check-table").hidden = !check?.layers;
  if (!check?.layers) return;
  const rows = check.layers.map(({ relativeError, agrees }, i) => {
    const row = document.createElement("tr");
    // Agreeing to n digits: a relative error below 10⁻ⁿ (at most the 15 or so a double holds).
    const digits = Math.min(15, Math.floor(-Math.log10(Math.max(relativeError, 1e-16))));
    const verdict = agrees ? tr("agrees to {digits} digits", { digits }) : tr("differs");
    for (const text of [String(i + 1), relativeError.toExponential(2), verdict]) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  });
  $("nn-check-table").tBodies[0].replaceChildren(...rows);
}
