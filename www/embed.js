// The embed view: a link with &embed=surface,loss,step shows one lab with only
// the parts it names (and its messages), no header, sized to its frame, with a
// small link that opens the whole page. For course pages and slides (<iframe>).
import { tr } from "./i18n.js";

/** Each lab's parts, by name: the elements each shows. */
const EMBED_PARTS = {
  descent: {
    step: ["#descent-panel .run-bar"],
    lr: ["#descent-panel .run-lr"],
    speed: ["#descent-panel .run-speed"],
    surface: ["#surface-panel"],
    loss: ["#side-loss"],
    data: ["#data-panel"],
    readout: ["#readout .numbers", "#stop-progress"],
    update: ["#update-title", "#update"],
  },
  network: {
    step: ["#network-panel .run-bar"],
    lr: ["#network-panel .run-lr"],
    speed: ["#network-panel .run-speed"],
    readout: ["#network-panel .numbers", "#nn-stop-progress"],
    network: ["#network-panel .diagram"],
    phase: ["#nn-phase-title", "#nn-phase"],
    chain: ["#nn-chain-title", "#nn-chain-value", "#nn-chain"],
    landscape: ["#network-panel .landscape"],
    boundary: ["#nn-boundary-box"],
    loss: ["#nn-loss-box"],
    norms: ["#nn-norms-box"],
    line: ["#nn-line-box"],
    inside: ["#nn-inside-panel"],
  },
};

/** The messages a lab shows whatever the parts: what went wrong is never hidden. */
const ALWAYS = { descent: ["#message"], network: ["#nn-message"] };

/**
 * Shows of `lab` (its panel `panel`) only the parts named in `list` (a comma
 * list) and what holds them; returns what is wrong with the list ("" when
 * nothing), naming the parts there are. Unknown names are left out; with no
 * known name at all the whole lab stays.
 */
export function embedOnly(lab, panel, list) {
  const parts = EMBED_PARTS[lab];
  const names = list.split(",").map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(name in parts));
  const known = names.filter((name) => name in parts);
  const named = { names: unknown.map((n) => `“${n}”`).join(", "), parts: Object.keys(parts).join(", ") };
  const problem = unknown.length
    ? (lab === "network"
      ? tr("The link names {names}, which the backprop lab has no part called; its parts are: {parts}.", named)
      : tr("The link names {names}, which the descent lab has no part called; its parts are: {parts}.", named))
    : "";
  document.body.classList.add("embed");
  if (known.length === 0) return problem || "The link's embed names no part; the whole lab is shown.";
  const keep = [...known.flatMap((name) => parts[name]), ...ALWAYS[lab]].flatMap((selector) => [...document.querySelectorAll(selector)]);
  const walk = (element) => {
    for (const child of element.children) {
      if (keep.includes(child)) continue;
      if (keep.some((kept) => child.contains(kept))) walk(child);
      else child.classList.add("embed-out");
    }
  };
  walk(panel);
  return problem;
}
