// The page: loads the core, starts both labs and switches between their tabs.
import init, { DescentLab, NetworkLab } from "../pkg/gradlab.js";
import { startDescent } from "./descent.js";
import { startNetwork } from "./network.js";
import { $, errorText } from "./ui.js";

async function main() {
  try {
    // The one-file build (cargo xtask bundle) carries the wasm inside the page.
    await init({ module_or_path: globalThis.GRADLAB_WASM ?? new URL("../pkg/gradlab_bg.wasm", import.meta.url) });
  } catch (error) {
    $("boot-message").textContent = `gradlab could not start: ${errorText(error)}. Open the page from a served folder (cargo xtask serve) in a browser with WebAssembly.`;
    return;
  }
  const labs = { descent: startDescent(new DescentLab()), network: startNetwork(new NetworkLab()) };
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  const choose = (tab) => {
    for (const other of tabs) {
      const chosen = other === tab;
      other.setAttribute("aria-selected", String(chosen));
      other.tabIndex = chosen ? 0 : -1;
      $(other.getAttribute("aria-controls")).hidden = !chosen;
      if (!chosen) labs[other.dataset.lab].hide();
    }
    labs[tab.dataset.lab].show();
  };
  for (const tab of tabs) {
    tab.addEventListener("click", () => choose(tab));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (step) {
        const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
        next.focus();
        choose(next);
      }
    });
  }
  const tabOf = (lab) => tabs.find((tab) => tab.dataset.lab === lab);
  // A link opens the lab it names at the state it holds.
  const hash = location.hash.slice(1);
  const linked = new URLSearchParams(hash).get("lab") === "network" ? "network" : "descent";
  choose(tabOf(hash ? linked : "descent"));
  if (hash) labs[linked].openLink(hash);

  $("copy-link").addEventListener("click", async () => {
    const link = `${location.href.split("#")[0]}#${labs[active()].linkHash()}`;
    history.replaceState(null, "", link);
    try {
      await navigator.clipboard.writeText(link);
      $("boot-message").textContent = "Link copied: it opens this lab at this step.";
    } catch {
      $("boot-message").textContent = `Copy this link: ${link}`;
    }
  });

  $("digits").addEventListener("change", (event) => {
    $("boot-message").textContent = "";
    for (const lab of Object.values(labs)) lab.setDigits(Number(event.target.value));
    labs[active()].show();
  });
  $("show-shortcuts").addEventListener("click", () => $("shortcuts").showModal());
  const active = () => tabs.find((tab) => tab.getAttribute("aria-selected") === "true").dataset.lab;
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, select, textarea, [contenteditable]");
    if (typing || event.ctrlKey || event.metaKey || event.altKey || $("shortcuts").open) return;
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
    if (action && !event.target.closest('[role="tab"]')) {
      event.preventDefault();
      action();
    }
  });
  document.body.dataset.ready = "true";
  // Milliseconds from navigation to the first complete frame, for the benchmark.
  window.gradlabFirstFrame = performance.now();
}

main();
