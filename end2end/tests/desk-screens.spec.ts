// Screenshots of the service-desk screens in both languages (saved to end2end/screenshots/,
// git-ignored) — each one asserts the screen rendered its content first.
import { test, expect } from "@playwright/test";
import { type Page } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

/** Signed-in language choices are stored on the user: leave the demo users in Chinese. */
async function restoreChinese(page: Page) {
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
}

for (const lang of ["zh-CN", "en"]) {
  test(`desk screens (${lang})`, async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto("/login");
    await page.getByRole("button", { name: lang === "en" ? "English" : "中文" }).click();
    await signIn(page, "agent", "/agent");
    await expect(page.getByTestId("queue-tiles")).toBeVisible();
    await page.screenshot({ path: `screenshots/desk-agent-home-${lang}.png`, fullPage: true });
    await page.goto("/agent/tickets?queue=open");
    await hydrated(page);
    await expect(page.getByTestId("ticket-table").locator("tbody tr")).not.toHaveCount(0);
    await page.screenshot({ path: `screenshots/desk-queue-${lang}.png`, fullPage: true });
    await page.goto("/agent/tickets?new=1");
    await hydrated(page);
    await page.locator('input[name="customer_search"]').fill("张");
    await expect(page.locator(".pick").first()).toBeVisible();
    await page.screenshot({ path: `screenshots/desk-register-${lang}.png`, fullPage: true });
    await page.goto("/agent/tickets?queue=open");
    await page.getByTestId("ticket-table").locator("tbody tr a.mono").first().click();
    await expect(page.getByTestId("sla-panel")).toBeVisible();
    await hydrated(page);
    const first = page.getByTestId("actions").locator("button").first();
    await first.click();
    await page.screenshot({ path: `screenshots/desk-ticket-${lang}.png`, fullPage: true });
    await restoreChinese(page);
    await page.locator('form[action="/auth/logout"] button').click();
    await signIn(page, "supervisor", "/supervisor");
    await expect(page.getByTestId("escalations")).toBeVisible();
    await page.screenshot({ path: `screenshots/desk-supervisor-${lang}.png`, fullPage: true });
    await restoreChinese(page);
    await page.locator('form[action="/auth/logout"] button').click();
  });
}
