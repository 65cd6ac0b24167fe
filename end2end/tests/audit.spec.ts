// The audit log page: a supervisor searches the log (newest first, filtered by action and
// subject), in both languages; administrators reach it from their area; agents may not.
import { test, expect, request } from "@playwright/test";
import { PASSWORD, hydrated, signIn, watchErrors } from "./helpers";

async function inLanguage(page: import("@playwright/test").Page, label: "中文" | "English") {
  await hydrated(page);
  const button = page.getByRole("button", { name: label });
  if ((await button.getAttribute("aria-pressed")) !== "true") {
    await button.click();
    await expect(button).toHaveAttribute("aria-pressed", "true");
  }
  await hydrated(page);
}

test("a supervisor searches the audit log by action and subject", async ({ page, baseURL }) => {
  const problems = watchErrors(page);
  // The agent signs in (through the API): an entry to find.
  const agent = await request.newContext({ baseURL });
  expect((await agent.post("/api/v1/session", { data: { username: "agent", password: PASSWORD } })).ok()).toBeTruthy();
  await agent.dispose();
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, "supervisor", "/supervisor");
  await inLanguage(page, "中文");
  await page.getByRole("link", { name: "审计日志" }).click();
  await expect(page).toHaveURL(/\/supervisor\/audit$/);
  await hydrated(page);
  const rows = page.getByTestId("audit-table").locator("tbody tr");
  // The supervisor's own sign-in is the newest entry.
  await expect(rows.first()).toContainText("登录成功");
  await expect(rows.first()).toContainText("u:supervisor");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "screenshots/supervisor-audit-zh-CN.png", fullPage: true });

  // Only the agent's sign-ins.
  await page.locator('select[name="action"]').selectOption("login_succeeded");
  await page.locator('input[name="subject"]').fill("u:agent");
  await page.getByRole("button", { name: "查询" }).click();
  await expect(rows.first()).toContainText("u:agent");
  const subjects = await rows.locator("td.subject").allTextContents();
  expect(new Set(subjects)).toEqual(new Set(["u:agent"]));
  await expect(page.getByTestId("audit-pages")).toContainText("共");

  // A subject nobody acted on: nothing found.
  await page.locator('input[name="subject"]').fill("u:nobody");
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByText("没有符合条件的记录")).toBeVisible();

  await inLanguage(page, "English");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await page.locator('input[name="subject"]').fill("");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(rows.first()).toContainText("Signed in");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "screenshots/supervisor-audit-en.png", fullPage: true });
  await inLanguage(page, "中文");
  expect(problems).toEqual([]);
});

test("administrators reach the audit log; agents may not", async ({ page, browser }) => {
  await signIn(page, "admin", "/admin");
  await page.goto("/admin/audit");
  await hydrated(page);
  await expect(page.getByTestId("audit-table")).toBeVisible();
  const other = await browser.newContext();
  const agent = await other.newPage();
  await signIn(agent, "agent", "/agent");
  for (const path of ["/supervisor/audit", "/admin/audit"]) {
    const r = await agent.goto(path);
    expect(r?.status(), path).toBe(403);
  }
  await other.close();
});
