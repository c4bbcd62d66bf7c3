// The page's language: English, in which the page is written, or a language
// whose table (the core's `messages`) maps each English text to its
// translation. The page's texts and labels are translated where they stand
// (`translate`). Mathematics and numbers stay as they are.
import { menuChoices, messages } from "../pkg/gradlab.js";

let named;
/** The languages the core knows, each named in itself: {id: name}. */
function languages() {
  named ??= Object.fromEntries(JSON.parse(menuChoices()).languages.map((choice) => [choice.id, choice.label]));
  return named;
}

let code = "en";
let table = {};
/** The English of the page's texts and what was written in their place: text node → {english, written}, element → {attribute: {english, written}}. */
const originals = new WeakMap();
/** The attributes that hold words a person reads. */
const ATTRIBUTES = ["aria-label", "title", "placeholder", "alt"];
/** Texts looked up in a language that has no translation of them (for the tests). */
export const untranslated = new Set();

/** The language chosen now ("en", "zh"). */
export function language() {
  return code;
}

/** The language of a link's `lang=…`, else the first of the browser's that the page speaks, else English. */
export function preferredLanguage(fromLink) {
  if (fromLink in languages()) return fromLink;
  const browser = (navigator.languages ?? [navigator.language]).find((l) => l && l.toLowerCase().split("-")[0] in languages());
  return browser ? browser.toLowerCase().split("-")[0] : "en";
}

/** A text in the language now: its translation, or (noted in `untranslated`) the English where the table has none. */
function t(key) {
  if (code === "en") return key;
  if (!(key in table)) untranslated.add(key);
  return table[key] ?? key;
}

/** `english` (whitespace and all) in the language now, its spaces around kept. */
function translated(english) {
  const key = english.replace(/\s+/g, " ").trim();
  if (code === "en" || !/[A-Za-z]/.test(key)) return english;
  const [before, after] = [english.match(/^\s*/)[0], english.match(/\s*$/)[0]];
  return before + t(key) + after;
}

/**
 * Writes into `slot` ({english, written}, kept between calls) the text of
 * `now` in the language now; returns it. What the page wrote there since
 * (neither the English nor the last translation) is taken as the new English.
 */
function follow(slot, now) {
  if (slot.english == null || (now !== slot.english && now !== slot.written)) slot.english = now;
  slot.written = translated(slot.english);
  return slot.written;
}

/** Puts the text nodes and the read attributes under `root` in the language now (what is marked translate="no" aside). */
export function translate(root = document.documentElement) {
  const skip = (element) => element?.closest('[translate="no"], script, style, code, kbd');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (skip(node.parentElement)) continue;
    if (!originals.has(node)) originals.set(node, {});
    const text = follow(originals.get(node), node.nodeValue);
    if (node.nodeValue !== text) node.nodeValue = text;
  }
  const elements = [root, ...root.querySelectorAll(ATTRIBUTES.map((a) => `[${a}]`).join(","))];
  for (const element of elements) {
    if (skip(element)) continue;
    if (!originals.has(element)) originals.set(element, {});
    const slots = originals.get(element);
    for (const name of ATTRIBUTES) {
      if (!element.hasAttribute(name)) continue;
      const text = follow((slots[name] ??= {}), element.getAttribute(name));
      if (element.getAttribute(name) !== text) element.setAttribute(name, text);
    }
  }
}

/**
 * The header's language button: it names, in itself, the language it
 * switches to (two languages: the other one), and says so to a screen reader.
 */
export function languageButton(button, switched) {
  const other = () => (code === "en" ? "zh" : "en");
  const show = () => {
    const next = other();
    button.textContent = next === "zh" ? "中文" : "EN";
    button.lang = next === "zh" ? "zh-CN" : "en";
    button.setAttribute("aria-label", languages()[next]);
    button.title = next === "zh" ? "切换到简体中文" : "Switch to English";
  };
  button.addEventListener("click", () => {
    setLanguage(other());
    show();
    switched();
  });
  show();
  return show;
}

/** Chooses the language `next` and puts the page in it. */
export function setLanguage(next) {
  code = next in languages() ? next : "en";
  table = code === "en" ? {} : JSON.parse(messages(code));
  document.documentElement.lang = code === "zh" ? "zh-CN" : "en";
  translate();
}
