// The page: loads the core, starts both labs and switches between their tabs.
import init, { DescentLab, NetworkLab, menuChoices } from "../pkg/gradlab.js";
import { startDescent } from "./descent.js";
import { startNetwork } from "./network.js";
import { LESSONS } from "./lessons.js";
import { embedOnly } from "./embed.js";
import { worksheetDialog } from "./worksheet.js";
import { $, download, errorText, fillMenus } from "./ui.js";
import { language, languageButton, preferredLanguage, setLanguage, untranslated } from "./i18n.js";

/** How much larger the charts draw in projector mode. */
const PROJECTOR_SCALE = 1.4;
/** How often the address is brought up to the state (ms). */
const FOLLOW_MS = 1000;

let toastTimer;
/** Shows `text` for a few seconds at the bottom of the screen, over the page (nothing moves). */
function toast(text) {
  $("toast").textContent = text;
  $("toast").hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { $("toast").hidden = true; }, 4000);
}

async function main() {
  let module;
  try {
    // The one-file build (cargo xtask bundle) carries the wasm inside the page.
    // Compiled once here: the landscape's workers run the same module.
    const bytes = globalThis.GRADLAB_WASM ?? await (await fetch(new URL("../pkg/gradlab_bg.wasm", import.meta.url))).arrayBuffer();
    module = await WebAssembly.compile(bytes);
    await init({ module_or_path: module });
  } catch (error) {
    $("boot-message").textContent = `gradlab could not start: ${errorText(error)}. Open the page from a served folder (cargo xtask serve) in a browser with WebAssembly.`;
    return;
  }
  fillMenus(JSON.parse(menuChoices()));
  for (const l of LESSONS) $("lesson").add(new Option(l.title, l.id));
  // The language before the labs start: the page's own texts and menus are put in it where they stand.
  // A table that cannot be had leaves the page in English, and says so.
  await setLanguage(preferredLanguage(new URLSearchParams(location.hash.slice(1)).get("lang"))).catch((error) => toast(error.message));
  window.gradlabUntranslated = untranslated; // what the language's table lacks, for the tests
  const labs = { descent: startDescent(new DescentLab()), network: startNetwork(new NetworkLab(), module) };
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  const active = () => tabs.find((tab) => tab.getAttribute("aria-selected") === "true").dataset.lab;
  const choose = (tab) => {
    for (const other of tabs) {
      const chosen = other === tab;
      other.setAttribute("aria-selected", String(chosen));
      $(other.getAttribute("aria-controls")).hidden = !chosen;
      if (!chosen) labs[other.dataset.lab].hide();
    }
    labs[tab.dataset.lab].show();
  };
  // Both tabs are in the Tab order and chosen with Enter or a click: ← and → always step the lab.
  for (const tab of tabs) tab.addEventListener("click", () => choose(tab));
  const tabOf = (lab) => tabs.find((tab) => tab.dataset.lab === lab);
  /** The groups of controls hidden for a lesson (kept in links as hide=…). */
  let hidden = [];
  let lesson = null;
  /** The parts an embedded page shows (embed=…), or null for the whole page. */
  let embedded = null;
  const showGroups = () => {
    for (const group of document.querySelectorAll("[data-group]")) group.hidden = hidden.includes(group.dataset.group);
    for (const box of document.querySelectorAll("[data-hide]")) box.checked = hidden.includes(box.dataset.hide);
    $("show-controls").hidden = hidden.length === 0 || !lesson;
  };
  for (const box of document.querySelectorAll("[data-hide]")) {
    box.addEventListener("change", () => {
      hidden = [...document.querySelectorAll("[data-hide]:checked")].map((b) => b.dataset.hide);
      showGroups();
    });
  }
  /** Opens a link: the lab it names at the state it holds, and the lesson and hidden controls it carries. */
  const openHash = async (hash) => {
    const params = new URLSearchParams(hash);
    lesson = LESSONS.find((l) => l.id === params.get("lesson")) ?? null;
    hidden = (params.get("hide") ?? lesson?.hide.join(",") ?? "").split(",").filter(Boolean);
    embedded = params.get("embed");
    const lang = params.has("lang") ? preferredLanguage(params.get("lang")) : language();
    if (lang !== language()) await setLanguage(lang).catch((error) => toast(error.message));
    showLanguage();
    for (const key of ["lesson", "hide", "embed", "lang"]) params.delete(key);
    // The lesson first: the charts take the room it leaves.
    $("lesson-panel").hidden = !lesson;
    $("lesson-title").textContent = lesson?.title ?? "";
    $("lesson-text").textContent = lesson?.text ?? "";
    $("lesson").value = lesson?.id ?? "";
    showGroups();
    const which = params.get("lab") === "network" ? "network" : "descent";
    choose(tabOf(which));
    labs[which].openLink(params.toString());
    if (embedded != null) {
      const problem = embedOnly(which, $(`${which}-panel`), embedded);
      if (problem) toast(problem);
      $("open-full").hidden = false;
      $("open-full").href = currentLink(false);
      labs[which].show(); // the charts take the frame's room
    }
  };
  // The texts the lab writes are written again in the language switched to.
  const showLanguage = languageButton($("language"), () => labs[active()].show(), toast);
  choose(tabs[0]);
  if (location.hash.length > 1) await openHash(location.hash.slice(1));

  $("lesson").addEventListener("change", (event) => {
    const chosen = LESSONS.find((l) => l.id === event.target.value);
    if (!chosen) return;
    const hash = `${chosen.link}&lesson=${chosen.id}`;
    history.replaceState(null, "", `#${hash}`);
    openHash(hash);
  });
  $("show-controls").addEventListener("click", () => {
    hidden = [];
    showGroups();
  });
  $("close-lesson").addEventListener("click", () => {
    lesson = null;
    hidden = [];
    $("lesson-panel").hidden = true;
    $("lesson").value = "";
    showGroups();
    labs[active()].show(); // the charts take the room the lesson leaves
  });

  /** The link of what the page shows now: the lab's state, the lesson, the hidden controls and (`withEmbed`) the embedded parts. */
  function currentLink(withEmbed = true) {
    const extra = `${lesson ? `&lesson=${lesson.id}` : ""}${hidden.length ? `&hide=${hidden.join(",")}` : ""}${withEmbed && embedded != null ? `&embed=${encodeURIComponent(embedded)}` : ""}${language() === "en" ? "" : `&lang=${language()}`}`;
    return `${location.href.split("#")[0]}#${labs[active()].linkHash()}${extra}`;
  }
  // The address follows the state, at most once a second, so that reloading,
  // going back to the page and a bookmark return to the same run at the same step.
  setInterval(() => {
    if (document.hidden) return;
    const link = currentLink();
    if (link !== location.href) history.replaceState(null, "", link);
    if (embedded != null) $("open-full").href = currentLink(false);
  }, FOLLOW_MS);

  $("copy-link").addEventListener("click", async () => {
    const link = currentLink();
    history.replaceState(null, "", link);
    try {
      await navigator.clipboard.writeText(link);
      toast("Link copied: it opens this lab at this step.");
    } catch {
      toast("The link is in the address bar: copy it from there.");
    }
  });

  $("digits").addEventListener("change", (event) => {
    for (const lab of Object.values(labs)) lab.setDigits(Number(event.target.value));
    labs[active()].show();
  });
  $("show-shortcuts").addEventListener("click", () => $("shortcuts").showModal());

  worksheetDialog(() => labs[active()]);
  for (const button of document.querySelectorAll("[data-png]")) {
    button.addEventListener("click", () => download(button.dataset.name, labs[active()].exportPng(button.dataset.png)));
  }
  $("projector").addEventListener("change", (event) => {
    document.body.classList.toggle("projector", event.target.checked);
    for (const lab of Object.values(labs)) lab.setScale(event.target.checked ? PROJECTOR_SCALE : 1);
    labs[active()].show();
  });
  const tables = [["export-csv", "descent", "csv"], ["export-md", "descent", "md"], ["nn-export-csv", "network", "csv"], ["nn-export-md", "network", "md"]];
  for (const [id, lab, kind] of tables) {
    $(id).addEventListener("click", () => {
      const text = kind === "csv" ? labs[lab].tableCsv() : labs[lab].tableMarkdown();
      download(`gradlab-${lab}.${kind}`, text, kind === "csv" ? "text/csv" : "text/markdown");
    });
  }
  // The Hide controls menu closes on a click elsewhere and on Escape.
  const hideMenu = document.querySelector(".hide-menu");
  document.addEventListener("pointerdown", (event) => {
    if (!hideMenu.contains(event.target)) hideMenu.open = false;
  });
  // The shortcuts act before the focused control does (captured on the way
  // down), wherever the focus is but in a field you type in or on a slider's arrows.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && hideMenu.open) {
      hideMenu.open = false;
      hideMenu.querySelector("summary").focus();
      return;
    }
    const typing = event.target.closest("textarea, [contenteditable], input:not([type=checkbox], [type=radio], [type=range])");
    const sliding = event.target.matches('input[type="range"]') && event.key.startsWith("Arrow");
    // A dialog open (the shortcuts, the worksheet) keeps its keys.
    if (typing || sliding || event.ctrlKey || event.metaKey || event.altKey || document.querySelector("dialog[open]")) return;
    const keys = labs[active()].keys;
    const action = {
      " ": keys.play,
      ArrowRight: event.shiftKey ? keys.phase : keys.step,
      ArrowLeft: keys.back,
      r: keys.reset,
      R: keys.reset,
      "[": keys.lrDown,
      "]": keys.lrUp,
      "?": () => $("shortcuts").showModal(),
    }[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  }, { capture: true });
  document.body.dataset.ready = "true";
  // Milliseconds from navigation to the first complete frame, for the benchmark.
  window.gradlabFirstFrame = performance.now();
}

main();
