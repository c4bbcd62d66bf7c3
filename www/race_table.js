// The descent lab's race: the table of its runs, each named with a sample of
// its line (colour, dash and marker, as on the charts) and its numbers.
import { $ } from "./ui.js";
import { tr } from "./i18n.js";

/** A sample of a run's line: its colour, dash and marker, as on the charts. */
function lineSample(colour, dash, marker) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", "40");
  svg.setAttribute("height", "14");
  svg.setAttribute("aria-hidden", "true");
  const line = document.createElementNS(ns, "line");
  for (const [k, v] of Object.entries({ x1: 0, y1: 7, x2: 40, y2: 7, stroke: colour, "stroke-width": 3 })) line.setAttribute(k, String(v));
  if (dash) line.setAttribute("stroke-dasharray", `${dash[0]} ${dash[1]}`);
  const shape = document.createElementNS(ns, "polygon");
  shape.setAttribute("points", marker.map(([x, y]) => `${20 + 6 * x},${7 + 6 * y}`).join(" "));
  shape.setAttribute("fill", colour);
  shape.setAttribute("stroke", "#fff");
  svg.append(line, shape);
  return svg;
}

/**
 * The race's table: one row a run, the shown one picked. `race` is the lab
 * state's race (null when none), `schedule` its schedule's id; `pick(i)` and
 * `remove(i)` act on run i.
 */
export function showRace(race, schedule, { pick, remove }) {
  $("race").checked = race != null;
  $("race-panel").hidden = race == null;
  $("apply-forward").disabled = race != null;
  if (!race) return;
  $("add-run").disabled = race.rows.length >= 6;
  // Under a schedule the column holds each run's α₀.
  $("race-table").tHead.rows[0].cells[2].textContent = schedule === "constant" ? "α" : "α₀";
  const rows = race.rows.map((row, i) => {
    const line = document.createElement("tr");
    line.dataset.shown = String(i === race.picked);
    const cell = (content, number = false) => {
      const td = document.createElement("td");
      if (number) td.className = "number";
      td.append(...(Array.isArray(content) ? content : [content]));
      line.append(td);
      return td;
    };
    const picker = document.createElement("input");
    picker.type = "radio";
    picker.name = "race-pick";
    picker.checked = i === race.picked;
    picker.setAttribute("aria-label", tr("Show run {n}, {name}", { n: i + 1, name: row.label }));
    picker.addEventListener("change", () => pick(i));
    cell(picker);
    cell([lineSample(row.colour, row.dash, row.marker), row.label]);
    cell(String(row.lr), true);
    cell(String(row.iteration), true);
    cell(`(${row.theta[0]}, ${row.theta[1]})`, true);
    cell(row.value, true);
    cell(row.gradNorm, true);
    cell(row.status);
    const remover = document.createElement("button");
    remover.type = "button";
    remover.textContent = "×";
    remover.setAttribute("aria-label", tr("Remove run {n}, {name}", { n: i + 1, name: row.label }));
    remover.disabled = race.rows.length === 1;
    remover.addEventListener("click", () => remove(i));
    cell(remover);
    return line;
  });
  $("race-table").tBodies[0].replaceChildren(...rows);
}
