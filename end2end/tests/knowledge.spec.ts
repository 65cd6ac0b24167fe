// The knowledge base in the browser: an agent searches a Chinese phrase, opens the article
// and inserts its answer into a ticket reply from the suggestions; a customer completes the
// broadband self-service flow in the portal (a ticket is registered) and asks the answer
// bot; editors' screens — and screenshots of them in both languages and on a phone.
import { test, expect, type Page } from "@playwright/test";
import { hydrated, signIn, watchErrors } from "./helpers";

async function english(page: Page) {
  await page.goto("/login");
  await page.getByRole("button", { name: "English" }).click();
}

/** Signed-in users keep their language choice: put it back for the other specs. */
async function restoreChinese(page: Page) {
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
}

test("an agent finds an article by a Chinese phrase and inserts it into a reply", async ({ page }) => {
  const problems = watchErrors(page);
  await signIn(page, "agent", "/agent");
  await page.goto("/agent/knowledge");
  await hydrated(page);
  await page.getByTestId("kb-q").fill("宽带上不了网");
  await page.getByTestId("kb-q").press("Enter");
  await page.waitForURL(/q=/);
  const hits = page.getByTestId("kb-hits");
  await expect(hits.locator(".kb-hit").first()).toContainText("宽带断网怎么办");
  await expect(hits.locator("mark").first()).toBeVisible();
  await hits.getByRole("link", { name: "宽带断网怎么办" }).click();
  await expect(page.getByTestId("kb-article")).toContainText("LOS 灯红色闪烁");
  // Staff filter by audience: the internal rules are found only when internal ones are asked for.
  await page.goto(`/agent/knowledge?q=${encodeURIComponent("投诉时限")}&audience=internal`);
  await expect(page.getByTestId("kb-hits")).toContainText("投诉处理时限（内部）");
  await page.goto(`/agent/knowledge?q=${encodeURIComponent("投诉时限")}&audience=public`);
  await expect(page.getByTestId("kb-hits")).not.toContainText("投诉处理时限（内部）");
  // The ticket of the demo's broadband customer gets the article as a suggestion.
  await page.goto("/agent/tickets");
  await hydrated(page);
  await page.locator("table a.mono").first().click();
  await page.waitForURL(/\/agent\/tickets\/[0-9a-f-]{36}$/);
  // A full load too: the server-rendered ticket page with its suggestions hydrates.
  await page.reload();
  await hydrated(page);
  const suggestions = page.getByTestId("suggestions");
  await expect(suggestions).toBeVisible();
  await suggestions.getByTestId("insert-article").first().click();
  const form = page.locator("form.action-form");
  await expect(form).toBeVisible();
  const text = await form.locator("textarea").first().inputValue();
  expect(text.length).toBeGreaterThan(20);
  expect(problems).toEqual([]);
});

test("a customer completes the broadband self-check in the portal and a ticket is registered", async ({ page }) => {
  const problems = watchErrors(page, [/kb\/submit-run 422/]);
  await signIn(page, "13800000001", "/portal");
  await page.goto("/portal/help?tab=flows");
  await hydrated(page);
  await page.getByTestId("flow-list").getByRole("link", { name: "宽带故障自助排查" }).click();
  await hydrated(page);
  await expect(page.locator(".flow-diagram svg")).toBeVisible();
  await page.getByTestId("start-run").click();
  await page.waitForURL(/run=/);
  await hydrated(page);
  const form = page.getByTestId("run-form");
  // Nothing chosen: the required field is named.
  await page.getByTestId("run-next").click();
  await expect(page.getByTestId("run-error")).toContainText("LOS 灯状态");
  await form.getByLabel("熄灭").check();
  await page.getByTestId("run-next").click();
  await expect(page.getByTestId("run-form")).toHaveAttribute("data-node", "restart");
  await page.getByTestId("run-form").getByLabel("否").check();
  await page.getByTestId("run-next").click();
  await expect(page.getByTestId("run-form")).toHaveAttribute("data-node", "address");
  // Back one step and forward again.
  await page.getByTestId("run-back").click();
  await expect(page.getByTestId("run-form")).toHaveAttribute("data-node", "restart");
  await expect(page.getByTestId("run-history")).toContainText("已回退");
  await page.getByTestId("run-next").click();
  await expect(page.getByTestId("run-form")).toHaveAttribute("data-node", "address");
  await page.getByTestId("run-form").locator('input[type="date"]').fill("2026-11-25");
  await page.getByTestId("run-next").click();
  await expect(page.getByTestId("run-outcome")).toContainText("需要登记工单");
  await expect(page.getByTestId("run-ticket")).toHaveText(/^T\d{8}-\d{6}$/);
  expect(problems).toEqual([]);
});

test("the answer bot answers, offers choices and hands over", async ({ page }) => {
  const problems = watchErrors(page);
  await signIn(page, "13800000001", "/portal");
  await page.goto("/portal/help?bot=1");
  await hydrated(page);
  const bot = page.getByTestId("bot");
  await page.getByTestId("bot-q").fill("怎么开电子发票");
  await page.getByTestId("bot-q").press("Enter");
  await expect(bot).toContainText("增值税电子普通发票");
  await page.getByTestId("bot-q").fill("宽带");
  await page.getByTestId("bot-q").press("Enter");
  await expect(page.getByTestId("bot-choices")).toBeVisible();
  await page.getByTestId("bot-choices").getByRole("button").first().click();
  await page.getByTestId("bot-not-helped").click();
  await expect(page.getByTestId("bot-flow")).toContainText("宽带故障自助排查");
  await page.getByTestId("bot-hand-over").click();
  await expect(page.getByTestId("bot-ticket")).toContainText(/T\d{8}-\d{6}/);
  expect(problems).toEqual([]);
});

for (const lang of ["zh-CN", "en"]) {
  test(`knowledge screens (${lang})`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.setViewportSize({ width: 1366, height: 900 });
    if (lang === "en") await english(page);
    await signIn(page, "supervisor", "/supervisor");
    await page.goto(`/agent/knowledge?q=${encodeURIComponent(lang === "en" ? "broadband" : "话费")}`);
    await hydrated(page);
    await expect(page.getByTestId("kb-hits")).toBeVisible();
    await page.screenshot({ path: `screenshots/kb-search-${lang}.png`, fullPage: true });
    await page.getByTestId("kb-hits").locator(".kb-hit-title").first().click();
    await expect(page.getByTestId("kb-article")).toBeVisible();
    await page.screenshot({ path: `screenshots/kb-article-${lang}.png`, fullPage: true });
    await page.getByRole("link", { name: lang === "en" ? "Edit" : "编辑" }).click();
    await hydrated(page);
    await expect(page.getByTestId("versions")).toBeVisible();
    await page.screenshot({ path: `screenshots/kb-editor-${lang}.png`, fullPage: true });
    await page.goto("/agent/knowledge?tab=flows");
    await hydrated(page);
    await page.getByTestId("flow-list").locator("a").first().click();
    await hydrated(page);
    await expect(page.locator(".flow-diagram svg")).toBeVisible();
    await page.screenshot({ path: `screenshots/kb-flow-editor-${lang}.png`, fullPage: true });
    await page.goto("/agent/knowledge?tab=zero");
    await hydrated(page);
    await page.screenshot({ path: `screenshots/kb-zero-${lang}.png`, fullPage: true });
    if (lang === "en") await restoreChinese(page);
    await page.locator('form[action="/auth/logout"] button').click();
    if (lang === "en") await english(page);
    await signIn(page, "13800000001", "/portal");
    await page.setViewportSize({ width: 393, height: 851 });
    await page.goto("/portal/help?bot=1");
    await hydrated(page);
    await page.getByTestId("bot-q").fill(lang === "en" ? "how do I get an invoice" : "宽带");
    await page.getByTestId("bot-q").press("Enter");
    await expect(page.locator(".bot-line").nth(2)).toBeVisible();
    await page.screenshot({ path: `screenshots/kb-bot-phone-${lang}.png`, fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(393);
    await page.goto("/portal/help?tab=flows");
    await hydrated(page);
    await page.getByTestId("flow-list").locator("a").first().click();
    await hydrated(page);
    await page.getByTestId("start-run").click();
    await page.waitForURL(/run=/);
    await hydrated(page);
    await page.screenshot({ path: `screenshots/kb-run-phone-${lang}.png`, fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });
    if (lang === "en") await restoreChinese(page);
  });
}
