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

test("there are the nine lessons the classroom needs", () => {
  assert.equal(LESSONS.length, 9);
  assert.equal(new Set(LESSONS.map((l) => l.id)).size, 9);
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
  assert.equal(await page.locator("#lr-marks option").getAttribute("value"), String(Math.log10(0.2)));
  await page.getByRole("button", { name: "Show all controls" }).click();
  assert.ok(await page.locator('[data-group="surface"]').isVisible());
  await page.getByRole("button", { name: "Close the lesson" }).click();
  assert.ok(await page.getByRole("complementary").isHidden());
});
