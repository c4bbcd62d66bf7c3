// The backprop lab's settings form: the settings it states, and the settings
// in force put into it (data, network, training, and the range test's, the
// sweep's and the view inside each layer's own fields).
import { $, menus } from "./ui.js";
import { tr } from "./i18n.js";

/** The most hidden layers the lab offers (the core's MAX_HIDDEN_LAYERS). */
const MAX_LAYERS = 6;

/** The settings each field of the form holds, by its id: [id, setting, whether a number]. */
const FIELDS = [
  ["nn-dataset", "dataset", false],
  ["nn-points", "points", true],
  ["nn-noise", "noise", true],
  ["nn-train-ratio", "trainRatio", true],
  ["nn-seed", "seed", true],
  ["nn-classes", "classes", true],
  ["nn-output", "outputActivation", false],
  ["nn-loss", "loss", false],
  ["nn-init", "init", false],
  ["nn-optimizer", "optimizer", false],
  ["nn-lr", "lr", true],
  ["nn-batch", "batchSize", true],
  ["nn-l2", "l2", true],
];

/** The label of the field that holds setting `key` ("Learning rate α" for lr), for a message about it; the key when no field holds it. */
export function fieldName(key) {
  const field = FIELDS.find(([, setting]) => setting === key);
  const label = field && $(field[0]).labels[0];
  return label ? label.textContent.trim() : key;
}

/** The settings as the form states them, over those of `lab` in force. */
export function formSettings(lab) {
  const settings = JSON.parse(lab.settingsJson());
  for (const [id, key, number] of FIELDS) settings[key] = number ? $(id).valueAsNumber : $(id).value;
  settings.hidden = [...$("nn-layers").querySelectorAll(".layer")].map((row) => ({
    neurons: row.querySelector("input").valueAsNumber,
    activation: row.querySelector("select").value,
  }));
  return settings;
}

/** The row of hidden layer `index`: its neurons and activation; `changed()` when either changes. */
function layerRow(index, { neurons, activation }, changed) {
  const row = document.createElement("div");
  row.className = "layer";
  const count = document.createElement("input");
  count.type = "number";
  count.min = "1";
  count.max = "16";
  count.step = "1";
  count.value = String(neurons);
  count.setAttribute("aria-label", tr("Neurons in hidden layer {l}", { l: index + 1 }));
  const act = document.createElement("select");
  act.setAttribute("aria-label", tr("Activation of hidden layer {l}", { l: index + 1 }));
  for (const choice of menus.activations) act.add(new Option(choice.label, choice.id, false, choice.id === activation));
  const name = document.createElement("span");
  name.textContent = tr("Layer {l}", { l: index + 1 });
  row.append(name, count, act);
  // A row being replaced that holds the focus loses it, and its field commits
  // a change then: the change that replaces the rows has already read it.
  const commit = () => replacingRows || changed();
  count.addEventListener("change", commit);
  act.addEventListener("change", commit);
  return row;
}

/** Whether the hidden layers' rows are being replaced (see `layerRow`). */
let replacingRows = false;

/** Puts the settings of `lab` in force into the form; `layerChanged()` when a hidden layer's row changes. */
export function showSettings(lab, layerChanged) {
  const s = JSON.parse(lab.settingsJson());
  for (const [id, key] of FIELDS) $(id).value = s[key];
  replacingRows = true;
  try {
    $("nn-layers").replaceChildren(...s.hidden.map((h, i) => layerRow(i, h, layerChanged)));
  } finally {
    replacingRows = false;
  }
  $("nn-add-layer").disabled = s.hidden.length >= MAX_LAYERS;
  $("nn-remove-layer").disabled = s.hidden.length === 0;
  if (s.csv != null) $("nn-csv").value = s.csv;
  const now = JSON.parse(lab.stateJson());
  const { range } = now;
  $("nn-range-lo").value = range.lo;
  $("nn-range-hi").value = range.hi;
  $("nn-range-updates").value = range.updates;
  const shownSweep = JSON.parse(lab.sweepJson());
  const sweepRange = shownSweep?.range ?? now.sweepDefault;
  $("nn-sweep-lo").value = sweepRange.lo;
  $("nn-sweep-hi").value = sweepRange.hi;
  $("nn-sweep-count").value = sweepRange.count;
  $("nn-sweep-epochs").value = sweepRange.steps;
  const inside = lab.insideQuantity();
  if (inside) $("nn-inside-quantity").value = inside;
  $("nn-inside-panel").open = inside !== "";
  const dataset = menus.datasets.find((d) => d.id === s.dataset);
  $("nn-classes-field").hidden = !dataset.multiclass;
  const classes = dataset.multiclass ? s.classes : 2;
  $("nn-csv-label").textContent = dataset.classification
    ? tr("One point a line: x1,x2,label (label 0 … {last})", { last: classes - 1 })
    : "One point a line: x,y";
  // The click adds a point of any class, or one point for regression.
  const mode = $("nn-click-mode");
  const kept = mode.value;
  const names = now.classNames;
  const adds = names ? names.map((name, c) => new Option(tr("adds a point of {name}", { name }), `add${c}`)) : [new Option("adds a point", "add0")];
  mode.replaceChildren(new Option("does nothing", "none"), ...adds, new Option("removes the nearest point", "remove"));
  mode.value = [...mode.options].some((o) => o.value === kept) ? kept : "none";
}
