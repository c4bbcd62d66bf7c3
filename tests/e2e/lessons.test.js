// Lessons: each opens its lab at its state, with its explanation and only the controls it needs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage } from "./browser.js";
import { LESSONS } from "../../www/lessons.js";

let browser;
let page;
let errors;

before(async () => {
  browser = await launch();
  ({ page, errors } = await openPage(browser));
});

after(async () => {
  assert.deepEqual(errors, [], "no console errors");
  await browser.close();
});

test("there are the eighteen lessons the classroom needs", () => {
  assert.equal(LESSONS.length, 18);
  assert.equal(LESSONS[0].id, "slope", "the derivative as a slope comes first");
  assert.equal(new Set(LESSONS.map((l) => l.id)).size, 18);
});

for (const lesson of LESSONS) {
  test(`lesson "${lesson.title}" opens cleanly`, async () => {
    await page.getByLabel("Lesson", { exact: true }).selectOption(lesson.id);
    const lab = lesson.link.startsWith("lab=network") ? "Backprop lab" : "Descent lab";
    assert.equal(await page.getByRole("tab", { name: lab }).getAttribute("aria-selected"), "true");
    const panel = page.getByRole("complementary", { name: lesson.title });
    assert.equal(await panel.getByRole("paragraph").first().textContent(), lesson.text);
    const notice = lab === "Backprop lab" ? page.locator("#nn-message") : page.locator("#message");
    assert.equal(await notice.textContent(), "", "every value of the lesson's link is used");
    for (const group of ["surface", "optimizer", "data", "network", "training"]) {
      // The hidden attribute itself: a group in the other lab's tab is out of sight anyway.
      const hidden = (await page.locator(`[data-group="${group}"]`).first().getAttribute("hidden")) !== null;
      assert.equal(hidden, lesson.hide.includes(group), `${group} hidden: ${hidden}`);
    }
    assert.ok(page.url().includes(`lesson=${lesson.id}`), "the lesson is in the address");
  });
}

test("the XOR lesson starts without a hidden layer; the stability lesson marks 2/λmax on the slider", async () => {
  await page.getByLabel("Lesson", { exact: true }).selectOption("xor");
  assert.equal(await page.locator("#nn-layers .layer").count(), 0);
  await page.getByLabel("Lesson", { exact: true }).selectOption("stability-bound");
  // The mark sits under α = 0.2 of the log track, 2/λmax: (log₁₀ 0.2 + 4)/5 of the way along it, as the slider's thumb would.
  const { mark, track, at } = await page.evaluate(() => {
    const box = (id) => document.getElementById(id).getBoundingClientRect();
    const slider = document.getElementById("lr-slider");
    const saved = slider.value;
    slider.value = String(Math.log10(0.2));
    const at = slider.value;
    slider.value = saved;
    const m = box("lr-bound-mark");
    return { mark: m.left + m.width / 2, track: box("lr-slider"), at };
  });
  const expected = track.left + 8 + (track.width - 16) * ((Number(at) + 4) / 5);
  assert.ok(Math.abs(mark - expected) < 3, `the 2/λmax mark at ${mark} px, the slider's 0.2 at ${expected} px`);
  assert.equal(await page.locator("#lr-bound-mark").textContent(), "▲ 2/λmax");
  const label = await page.locator('#lr-scale [data-at="0.01"]').boundingBox();
  const hundredth = track.left + 8 + (track.width - 16) * 0.4;
  assert.ok(Math.abs(label.x + label.width / 2 - hundredth) < 3, "the scale's 0.01 sits at 40 % of the log track");
  await page.getByRole("button", { name: "Show all controls" }).click();
  assert.ok(await page.locator('[data-group="surface"]').isVisible());
  await page.getByRole("button", { name: "Close the lesson" }).click();
  assert.ok(await page.getByRole("complementary").isHidden());
});

test("a teacher hides controls from the menu, and the link keeps them hidden", async () => {
  await page.getByRole("tab", { name: "Descent lab" }).click();
  await page.getByText("Hide controls").click();
  await page.getByRole("checkbox", { name: "surface (descent)" }).check();
  assert.equal(await page.locator('[data-group="surface"]').getAttribute("hidden"), "");
  await page.getByRole("button", { name: "Copy link" }).click();
  const link = page.url();
  assert.match(link, /hide=surface/);
  const again = await openPage(browser, { path: link.slice(link.indexOf("#")) });
  assert.equal(await again.page.locator('[data-group="surface"]').getAttribute("hidden"), "");
  assert.ok(await again.page.getByRole("checkbox", { name: "surface (descent)", includeHidden: true }).isChecked());
  assert.deepEqual(again.errors, []);
  await again.page.close();
});

test("on a phone the page reflows and a tap chooses the start point", async () => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const problems = [];
  phone.on("pageerror", (e) => problems.push(String(e)));
  await phone.goto(page.url().split("#")[0]);
  await phone.waitForSelector("body[data-ready=true]");
  const lab = phone.getByRole("tabpanel", { name: "Descent lab" });
  const canvas = lab.getByRole("img", { name: /^Surface chart/ });
  const box = await canvas.boundingBox();
  assert.ok(box.width <= 390, `the surface chart fits the phone (${box.width} px)`);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 392, `no sideways scrolling (${width} px)`);
  await canvas.tap({ position: { x: box.width * 0.35, y: box.height * 0.45 } });
  assert.notEqual(await lab.getByRole("status", { name: "theta", exact: true }).textContent(), "(0, 0)");
  assert.deepEqual(problems, []);
  await phone.close();
});
