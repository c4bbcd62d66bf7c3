// The page's language: English, in which the page is written, or a language
// whose table (i18n/<language>.json, fetched when the language is first
// chosen) maps each English text to its translation. The page's texts and
// labels are translated where they stand (`translate`). Mathematics and
// numbers stay as they are.
import { menuChoices, setLanguage as setCoreLanguage } from "../pkg/gradlab.js";

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

/** Whether `text` has words to translate: letters beside the names of mathematics' functions (tanh, exp, …) and single letters. */
function hasWords(text) {
  return /[A-Za-z]{3,}/.test(text.replace(/\b(tanh|sigmoid|softmax|exp|log|sin|cos|tan|sqrt|abs|sign|min|max)\b/g, ""));
}

/** A text in the language now: its translation, or (noted in `untranslated`) the English where the table has none. */
function t(key) {
  if (code === "en") return key;
  if (!(key in table) && hasWords(key)) untranslated.add(key);
  return table[key] ?? key;
}

/** The English of the texts `tr` wrote in another language (the latest thousand), so that switching back finds it. */
const englishOf = new Map();

/** `english` in the language now, then each `{name}` in it filled from `values`: tr("Layer {l}", { l: 2 }). */
export function tr(english, values = {}) {
  const fill = (text) => text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  const written = fill(t(english));
  if (code !== "en") {
    if (englishOf.size >= 1000) englishOf.clear();
    englishOf.set(written, fill(english));
  }
  return written;
}

/** `english` (whitespace and all) in the language now, its spaces around kept. */
function translated(english) {
  const key = english.replace(/\s+/g, " ").trim();
  // Nothing to look up: English chosen, no words, or written in the language already (by the core).
  if (code === "en" || !/[A-Za-z]/.test(key) || /[\u4e00-\u9fff]/.test(key)) return english;
  const [before, after] = [english.match(/^\s*/)[0], english.match(/\s*$/)[0]];
  return before + t(key) + after;
}

/**
 * Writes into `slot` ({english, written}, kept between calls) the text of
 * `now` in the language now; returns it. What the page wrote there since
 * (neither the English nor the last translation) is taken as the new English.
 */
function follow(slot, now) {
  const fromTr = englishOf.get(now); // written by `tr`: its English is known, and it is in the language now unless that changed
  if (slot.english == null || (now !== slot.english && now !== slot.written)) slot.english = fromTr ?? now;
  slot.written = fromTr != null && code !== "en" ? now : translated(slot.english);
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
 * Once switched it calls `switched`; `failed` gets what went wrong when the
 * language's table cannot be had.
 */
export function languageButton(button, switched, failed) {
  const other = () => (code === "en" ? "zh" : "en");
  const show = () => {
    const next = other();
    button.textContent = next === "zh" ? "中文" : "EN";
    button.lang = next === "zh" ? "zh-CN" : "en";
    // Its name is the language's own, with the letters it shows when they are not part of it ("EN (English)").
    const name = languages()[next];
    button.setAttribute("aria-label", name.includes(button.textContent) ? name : `${button.textContent} (${name})`);
    button.title = next === "zh" ? "切换到简体中文" : "Switch to English";
  };
  button.addEventListener("click", async () => {
    try {
      await setLanguage(other());
    } catch (error) {
      failed(error.message);
      return;
    }
    show();
    switched();
  });
  show();
  return show;
}

/** Translates what the page writes as it runs, while a language other than English is chosen. */
const observer = new MutationObserver((records) => {
  const changed = new Set(records.map((r) => (r.type === "characterData" ? r.target.parentElement : r.target)));
  for (const element of changed) if (element?.isConnected) translate(element);
});

/** The JSON text of each language's table asked for so far (a promise): carried in the one-file page, else fetched. */
const tables = {};

/** The JSON text of the table of `lang`, fetched once, when the language is first chosen. */
function tableText(lang) {
  const carried = globalThis.GRADLAB_MESSAGES?.[lang];
  tables[lang] ??= carried != null
    ? Promise.resolve(carried)
    : fetch(new URL(`../i18n/${lang}.json`, import.meta.url)).then((response) => {
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      return response.text();
    });
  return tables[lang];
}

/** How many languages were asked for: a table that arrives after a later choice is not used. */
let asked = 0;

/**
 * Chooses the language `next` and puts the page in it, once its table is
 * there. When the table cannot be had, the language stays as it was and the
 * promise fails with a message that says so and what to do.
 */
export async function setLanguage(next) {
  next = next in languages() ? next : "en";
  const ticket = ++asked;
  let text = "{}";
  if (next !== "en") {
    try {
      text = await tableText(next);
    } catch (error) {
      delete tables[next]; // asked again next time
      throw new Error(`The ${languages()[next]} texts could not be loaded (${error.message ?? error}): the page stays as it was. Check the connection and choose the language again.`);
    }
  }
  if (ticket !== asked) return;
  // English to English changes no text (the page is written in English, and
  // a later switch reads the English where it stands): the page is not walked.
  const unchanged = next === "en" && code === "en";
  setCoreLanguage(next, text);
  code = next;
  table = JSON.parse(text);
  document.documentElement.lang = code === "zh" ? "zh-CN" : "en";
  if (!unchanged) translate();
  observer.disconnect();
  if (code !== "en") {
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES });
  }
}
