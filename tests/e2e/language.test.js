// The page in English and in Simplified Chinese: chosen by a link, by the
// browser's languages or with the header's button; every text of the page itself, every
// menu and every lesson has its translation in the table.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, url } from "./browser.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

/** Opens the page at `hash` in a browser that prefers `locale`; returns the page and its errors. */
async function open(hash, locale = "en-US") {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${url}${hash}`);
  await page.waitForSelector("body[data-ready=true]");
  const table = await page.evaluate(async () => (await fetch("/i18n/zh.json")).json());
  return { page, errors, table, close: () => context.close() };
}

test("lang=zh puts every text of the page, every menu and every lesson in Chinese", async () => {
  const { page, errors, table, close } = await open("#lang=zh");
  assert.equal(await page.evaluate(() => document.documentElement.lang), "zh-CN");
  assert.equal(await page.locator("#language").textContent(), "EN", "the header's button switches to English");
  assert.equal(await page.locator("#language").getAttribute("aria-label"), "EN (English)", "its name holds the letters it shows");
  assert.deepEqual(await page.evaluate(() => [...window.gradlabUntranslated]), [], "the table has every text the page starts with");
  assert.equal(await page.locator("#copy-link").textContent(), table["Copy link"]);
  assert.equal(await page.locator("#tab-network").textContent(), table["Backprop lab"]);
  assert.equal(await page.locator("#show-shortcuts").getAttribute("aria-label"), table["Keyboard shortcuts"]);
  const rosenbrock = await page.locator('#surface option[value="rosenbrock"]').textContent();
  assert.equal(rosenbrock, table["Rosenbrock valley"], "the core's menus too");
  const lessons = await page.locator("#lesson option").allTextContents();
  assert.ok(lessons.slice(1).every((title) => /[\u4e00-\u9fff]/.test(title)), lessons.join(" | "));
  // The page still works in Chinese, and a lesson opens in it.
  await page.locator("#step").click();
  assert.equal(await page.locator("#out-t").textContent(), "1");
  await page.locator("#lesson").selectOption({ index: 1 });
  assert.match(await page.locator("#lesson-text").textContent(), /[\u4e00-\u9fff]/);
  assert.deepEqual(errors, []);
  await close();
});

test("the language follows the browser's, can be chosen in the header, and travels in links", async () => {
  const chinese = await open("", "zh-CN");
  assert.equal(await chinese.page.evaluate(() => document.documentElement.lang), "zh-CN", "a browser that prefers Chinese");
  assert.equal(await chinese.page.locator("#copy-link").textContent(), chinese.table["Copy link"]);
  await chinese.page.getByRole("button", { name: "EN (English)", exact: true }).click();
  assert.equal(await chinese.page.locator("#language").textContent(), "中文");
  assert.equal(await chinese.page.locator("#copy-link").textContent(), "Copy link");
  assert.equal(await chinese.page.locator("#tab-descent").textContent(), "Descent lab");
  assert.equal(await chinese.page.locator("#show-shortcuts").getAttribute("aria-label"), "Keyboard shortcuts");
  assert.equal(await chinese.page.locator('#surface option[value="rosenbrock"]').textContent(), "Rosenbrock valley");
  await chinese.page.waitForFunction(() => !location.hash.includes("lang="));
  await chinese.page.getByRole("button", { name: "简体中文", exact: true }).click();
  await chinese.page.waitForFunction(() => location.hash.includes("lang=zh"));
  assert.equal(await chinese.page.locator("#tab-descent").textContent(), chinese.table["Descent lab"]);
  assert.deepEqual(chinese.errors, []);
  await chinese.close();
  // An English browser opens a link in Chinese in Chinese, and a link in English in English.
  const linked = await open("#lab=network&lang=zh");
  assert.equal(await linked.page.locator("#tab-network").textContent(), linked.table["Backprop lab"]);
  await linked.close();
  const english = await open("#lang=en", "zh-CN");
  assert.equal(await english.page.locator("#copy-link").textContent(), "Copy link");
  await english.close();
});

test("an English visitor fetches no table; one that cannot be had leaves the page as it was and says so, and a later try works", async () => {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const fetched = [];
  page.on("request", (r) => r.url().includes("/i18n/") && fetched.push(r.url()));
  let offline = true;
  await page.route("**/i18n/zh.json", (route) => (offline ? route.abort("internetdisconnected") : route.continue()));
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]");
  assert.deepEqual(fetched, [], "English needs no table");
  await page.locator("#language").click();
  await page.waitForFunction(() => !document.querySelector("#toast").hidden);
  assert.match(await page.locator("#toast").textContent(), /could not be loaded.*choose the language again/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  assert.equal(await page.locator("#copy-link").textContent(), "Copy link");
  assert.equal(await page.locator("#language").textContent(), "中文", "the button still offers Chinese");
  await page.locator("#step").click();
  assert.equal(await page.locator("#out-t").textContent(), "1", "the page still works");
  offline = false;
  await page.locator("#language").click();
  await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
  assert.equal(await page.locator("#tab-network").textContent(), "反向传播实验");
  assert.deepEqual(errors, []);
  await context.close();
});

/** Words of three letters or more in `text` that are English, not names (of people, methods, keys, a CSV file's columns) nor functions of mathematics. */
function strayWords(text) {
  const kept =
    /gradlab|tanh|sigmoid|softmax|ReLU|relu|linear|AdaGrad|Adam|RMSProp|Nesterov|Xavier|Glorot|He|Rosenbrock|Himmelblau|Beale|XOR|CSV|PNG|Markdown|Enter|label|min|max|exp|log|sin|cos|tan|sqrt|abs|sign/g;
  return [...new Set(text.match(/[A-Za-z]{3,}/g) ?? [])].filter((word) => word.replace(kept, "") !== "");
}

/** The page's visible words and every text alternative and label a screen reader reads (the language button aside: it names, in English, the English it switches to). */
function readWords(page) {
  return page.evaluate(() => {
    const read = [...document.querySelectorAll("[aria-label], [title], [placeholder], .visually-hidden")]
      .filter((e) => e.closest("[hidden]") == null && e.id !== "language")
      .map((e) => [e.getAttribute("aria-label"), e.getAttribute("title"), e.getAttribute("placeholder"), e.textContent].join(" "));
    return [document.body.innerText.replace(document.querySelector("#language").innerText, ""), ...read].join("\n");
  });
}

test("in Chinese, the labs write no English word as they run: readouts, phases, chain rule, status lines, text alternatives", async () => {
  const { page, errors, close } = await open("#lang=zh");
  const words = () => readWords(page);
  for (let i = 0; i < 3; i++) await page.locator("#step").click();
  assert.deepEqual(strayWords(await words()), [], "the descent lab after 3 steps");
  await page.locator("#tab-network").click();
  await page.locator("#nn-step-epoch").click();
  await page.locator("#nn-step-epoch").click();
  for (let i = 0; i < 5; i++) await page.locator("#nn-step-phase").click(); // to the backward pass at layer 1: the chain rule's numbers
  await page.waitForFunction(() => !document.querySelector("#nn-landscape-status").textContent.includes("…"));
  const text = await words();
  assert.match(await page.locator("#nn-phase-title").textContent(), /^阶段：反向传播，第 1 层$/, "the phase in Chinese");
  assert.deepEqual(strayWords(text), [], "the backprop lab, two epochs and four phases on");
  const core = await page.evaluate(async () => JSON.parse((await import("/pkg/gradlab.js")).untranslatedTexts()));
  assert.deepEqual(core, [], "every text the core looked up has its translation");
  // Back to English: the texts the labs write are English again.
  await page.locator("#language").click();
  assert.match(await page.locator("#nn-phase-title").textContent(), /^Phase: /);
  assert.match(await page.locator("#nn-data-count").textContent(), /points in use/);
  assert.deepEqual(errors, []);
  await close();
});

test("in Chinese, the worksheets of both labs and their messages are in Chinese", async () => {
  const { page, errors, table, close } = await open("#lang=zh&lab=descent&steps=2");
  await page.evaluate(() => { window.print = () => {}; });
  await page.locator("#descent-panel .print-worksheet").click();
  await page.locator("#worksheet-steps").fill("0");
  await page.locator("#worksheet-print").click();
  assert.equal(await page.locator("#worksheet-message").textContent(), "无法生成练习单：练习单列出 1 到 10 步，而不是 0。");
  await page.locator("#worksheet-steps").fill("2");
  await page.locator("#worksheet-print").click();
  const descent = await page.locator("#worksheet").textContent();
  assert.match(descent, new RegExp(table["Gradient descent by hand: {k} steps"].replace("{k}", "2")));
  assert.deepEqual(strayWords(descent), [], "the descent lab's worksheet");
  await page.locator("#tab-network").click();
  await page.locator("#network-panel .print-worksheet").click();
  await page.locator("#worksheet-print").click();
  const network = await page.locator("#worksheet").textContent();
  assert.match(network, /手算反向传播/);
  assert.deepEqual(strayWords(network), [], "the backprop lab's worksheet");
  assert.deepEqual(errors, []);
  await close();
});

test("in Chinese, bad input and a malformed link get their messages in Chinese", async () => {
  const { page, errors, close } = await open("#lang=zh&lab=descent&lr=oops");
  await page.locator("#message").filter({ hasText: "链接中的 lr 无法使用；已改用默认值。" }).waitFor();
  await page.locator("#lr-number").fill("-1");
  await page.locator("#lr-number").press("Enter");
  await page.locator("#message").filter({ hasText: "学习率必须大于 0（收到 -1）" }).waitFor();
  assert.deepEqual(strayWords(await page.locator("#message").textContent()), []);
  await page.locator("#step").click();
  assert.equal(await page.locator("#out-t").textContent(), "1", "the page still steps, with the α it had");
  assert.deepEqual(errors, []);
  await close();
});

test("in Chinese, the panels that open write no English word either: the race, the sweeps, the rotated bowl, a schedule, a typed function, the range test, a pin, the gradient check, inside each layer, three classes", async () => {
  const { page, errors, close } = await open("#lang=zh");
  const noStray = async (state) => assert.deepEqual(strayWords(await readWords(page)), [], state);
  await page.locator("#step").click();
  await page.locator("#race").check();
  await page.locator("#step").click();
  await noStray("the race");
  await page.locator("#race").uncheck();
  await page.locator("#sweep").check();
  await noStray("the descent sweep");
  await page.locator("#sweep").uncheck();
  await page.locator("#surface").selectOption("bowl");
  await page.locator("#schedule").selectOption("warmup_cosine");
  await page.locator("#step").click();
  await noStray("the rotated bowl under a warm-up schedule");
  await page.locator("#schedule").selectOption("constant");
  await page.locator("#surface").selectOption("typed");
  await page.locator("#step").click();
  await noStray("a typed function");
  await page.locator("#surface").selectOption("curve");
  await page.locator("#step").click();
  await noStray("one variable");
  await page.locator("#tab-network").click();
  await page.locator("#nn-step-epoch").click();
  await page.locator("#nn-range").click();
  await page.locator("#nn-range-note").filter({ hasText: /α/ }).waitFor();
  await page.locator("#nn-sweep").click();
  await page.locator("#nn-pin").click();
  await page.locator("#nn-check").click();
  await page.locator("#nn-check-table").waitFor();
  await page.locator("#nn-inside-panel summary").click();
  await page.locator("#nn-inside-health li").first().waitFor();
  await noStray("the range test, the sweep, a pin, the gradient check and inside each layer");
  await close();
  const three = await open("#lang=zh&lab=network&dataset=arms&classes=3&hidden=8:tanh&out=softmax&loss=ce&epochs=3");
  assert.deepEqual(strayWords(await readWords(three.page)), [], "three classes");
  assert.deepEqual([...errors, ...three.errors], []);
  await three.close();
});
