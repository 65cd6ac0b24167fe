// Administrators edit the office calendar (weekly hours, a holiday and a make-up working
// day, a CSV import) and the SLA policies; bad input gets the server's message naming the
// field. Screenshots of both editors in both languages.
import { test, expect, type Page } from "@playwright/test";
import { hydrated, signIn, watchErrors } from "./helpers";

async function openCalendars(page: Page) {
  await page.goto("/admin/calendars?code=office");
  await hydrated(page);
  await expect(page.getByTestId("calendar-form")).toBeVisible();
}

test("an administrator edits the office calendar and imports holidays", async ({ page }) => {
  const problems = watchErrors(page, [/\/api\/desk\/save-calendar.* 422$/, /\/api\/desk\/import-holidays.* 422$/]);
  await signIn(page, "admin", "/admin");
  await openCalendars(page);
  await expect(page.locator('input[name="weekly-0"]')).toHaveValue("09:00-12:00 13:30-18:00");

  // An interval that ends before it starts is refused with the field named.
  await page.locator('input[name="weekly-1"]').fill("18:00-09:00");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByTestId("flash")).toContainText("weekly.tue[0]");
  await page.locator('input[name="weekly-1"]').fill("09:00-12:00 13:30-18:00");

  await page.getByRole("button", { name: "添加日期" }).click();
  await page.locator('input[name="date-0"]').fill("2026-11-30");
  await page.getByRole("button", { name: "添加日期" }).click();
  await page.locator('input[name="date-1"]').fill("2026-11-29");
  await page.locator('select[name="kind-1"]').selectOption("workday");
  await page.locator('input[name="intervals-1"]').fill("09:00-12:00 13:30-18:00");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByTestId("flash")).toContainText("已保存");

  const cal = await (await page.request.get("/api/v1/calendars/office")).json();
  expect(cal.overrides).toEqual([
    { date: "2026-11-29", kind: "workday", intervals: [["09:00", "12:00"], ["13:30", "18:00"]] },
    { date: "2026-11-30", kind: "holiday" },
  ]);

  // CSV import: a bad line is named, a good file merges.
  await page.locator('textarea[name="csv"]').fill("2026-10-01,holiday\n2026-13-01,holiday");
  await page.getByRole("button", { name: "导入" }).click();
  await expect(page.getByTestId("flash")).toContainText("第 2");
  await page.locator('textarea[name="csv"]').fill("date,kind,intervals\n2026-10-01,holiday\n2026-10-02,holiday\n2026-09-27,workday,09:00-12:00 13:30-18:00");
  await page.getByRole("button", { name: "导入" }).click();
  await expect(page.getByTestId("flash")).toContainText("已导入 3 个日期");
  await expect(page.getByTestId("overrides").locator("tbody tr")).toHaveCount(5);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "screenshots/admin-calendars-zh-CN.png", fullPage: true });
  expect(problems).toEqual([]);
});

test("an administrator changes an SLA policy", async ({ page }) => {
  await signIn(page, "admin", "/admin");
  await page.goto("/admin/sla");
  await hydrated(page);
  const rows = page.getByTestId("policies").locator("tbody tr");
  const before = await rows.count();
  expect(before).toBeGreaterThan(5);
  await page.locator('input[name="warn-0"]').fill("150");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByTestId("flash")).toContainText("1 到 100");
  await page.locator('input[name="warn-0"]').fill("80");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByTestId("flash")).toContainText("已保存");
  const policies = await (await page.request.get("/api/v1/sla/policies")).json();
  expect(policies[0].warn_percent).toBe(80);
  await page.screenshot({ path: "screenshots/admin-sla-zh-CN.png", fullPage: true });
  // English screenshots of both editors, then back to Chinese for the other tests.
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.screenshot({ path: "screenshots/admin-sla-en.png", fullPage: true });
  await openCalendars(page);
  await page.screenshot({ path: "screenshots/admin-calendars-en.png", fullPage: true });
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
});
