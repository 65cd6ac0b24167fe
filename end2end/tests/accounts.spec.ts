// Staff accounts: an administrator resets a password (a temporary one, shown once), the
// owner must choose a new one at sign-in under the staff rule, then works; the
// administrator disables the account (the open page loses its session) and enables it.
// Uses the demo's `trainee`, which no other spec signs in as.
import { test, expect } from "@playwright/test";
import { hydrated, signIn, watchErrors } from "./helpers";

test("an administrator resets a password and the owner chooses a new one", async ({ page, browser }) => {
  const problems = watchErrors(page);
  await page.setViewportSize({ width: 1360, height: 820 });
  await signIn(page, "admin", "/admin");
  await page.getByRole("link", { name: "用户" }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await hydrated(page);
  const table = page.getByTestId("users-table");
  const trainee = table.getByTestId("user-trainee");
  await expect(trainee).toContainText("周婷");
  await expect(trainee).toContainText("正常");
  await expect(table.getByTestId("user-admin")).toContainText("（本人）");
  await expect(table.getByTestId("user-admin").locator("button")).toHaveCount(0);

  await trainee.getByRole("button", { name: "重置密码" }).click();
  const secret = page.getByTestId("temporary-password");
  await expect(secret).toContainText("周婷 的临时密码");
  const temporary = (await secret.locator("code").textContent())!.trim();
  expect(temporary.length).toBeGreaterThanOrEqual(12);
  await expect(trainee).toContainText("须设置新密码");
  await page.screenshot({ path: "screenshots/admin-users-zh-CN.png", fullPage: true });

  // The trainee signs in with the temporary password and is sent to choose a new one.
  const ctx = await browser.newContext({ locale: "zh-CN" });
  const own = await ctx.newPage();
  const ownProblems = watchErrors(own, [/\/api\/account\/password 422$/]);
  await own.setViewportSize({ width: 1200, height: 800 });
  await own.goto("/login");
  await hydrated(own);
  await own.getByLabel("用户名或手机号").fill("trainee");
  await own.locator('input[name="password"]').fill(temporary);
  await own.getByRole("button", { name: "登录" }).click();
  await own.waitForURL(/\/password\?/);
  await hydrated(own);
  await expect(own.getByRole("heading", { name: "设置新密码" })).toBeVisible();
  await expect(own.getByText("密码由管理员重置")).toBeVisible();
  await expect(own.locator('input[name="username"]')).toHaveValue("trainee");
  await own.locator('input[name="current"]').fill(temporary);
  await own.locator('input[name="new"]').fill("trainee2026");
  await own.locator('input[name="confirm"]').fill("trainee2026");
  await own.getByRole("button", { name: "保存并登录" }).click();
  await expect(own.getByRole("alert")).toContainText("至少三种");
  await own.screenshot({ path: "screenshots/password-change-zh-CN.png", fullPage: true });
  await own.locator('input[name="new"]').fill("Spring-Tide-2026");
  await own.locator('input[name="confirm"]').fill("Spring-Tide-2027");
  await own.getByRole("button", { name: "保存并登录" }).click();
  await expect(own.getByRole("alert")).toContainText("不一致");
  await own.locator('input[name="confirm"]').fill("Spring-Tide-2026");
  await own.getByRole("button", { name: "保存并登录" }).click();
  await own.waitForURL("**/agent");
  await hydrated(own);
  await expect(own.getByTestId("change-password")).toBeVisible();

  // Disabled: the trainee's next page load is the sign-in page; enabled again: back in.
  await page.reload();
  await hydrated(page);
  await expect(trainee).toContainText("正常");
  await trainee.getByRole("button", { name: "停用" }).click();
  await expect(page.getByTestId("account-done")).toContainText("停用 周婷");
  await expect(trainee).toContainText("已停用（管理员）");
  await own.goto("/agent/tickets");
  await own.waitForURL(/\/login/);
  await trainee.getByRole("button", { name: "启用" }).click();
  await expect(trainee).toContainText("正常");

  await page.getByRole("button", { name: "English" }).click();
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Staff accounts" })).toBeVisible();
  await expect(page.getByTestId("user-trainee")).toContainText("Active");
  await page.screenshot({ path: "screenshots/admin-users-en.png", fullPage: true });
  await page.getByRole("button", { name: "中文" }).click();
  await hydrated(page);
  await ctx.close();
  expect(problems).toEqual([]);
  expect(ownProblems).toEqual([]);
});
