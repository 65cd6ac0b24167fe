// Every demo persona signs in through the page and lands on its own home.
import { test, expect } from "@playwright/test";
import { PERSONAS, hydrated, signIn, watchErrors } from "./helpers";

for (const p of PERSONAS) {
  test(`${p.login} signs in and sees the ${p.home} home`, async ({ page }) => {
    const problems = watchErrors(page);
    await signIn(page, p.login, p.home);
    await expect(page).toHaveURL(new RegExp(`${p.home}$`));
    await expect(page.locator(".area-title")).toHaveText(p.heading);
    await expect(page.locator(".user-name")).toHaveText(p.name);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await hydrated(page);
    // The side navigation marks the home as the current page.
    await expect(page.locator('.sidenav a[aria-current="page"]')).toHaveAttribute("href", p.home);
    expect(problems).toEqual([]);
  });
}

test("the admin home lists the four departments from the database", async ({ page }) => {
  await signIn(page, "admin", "/admin");
  const rows = page.locator("table.table tbody tr");
  await expect(rows).toHaveCount(4);
  await expect(page.locator("table.table")).toContainText("计费");
  await expect(page.locator("table.table")).toContainText("网络维护");
});

test("a wrong password shows a localized error and keeps the login name", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("用户名或手机号").fill("agent2");
  await page.locator('input[name="password"]').fill("wrong-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toHaveText("用户名(手机号)或密码错误。");
  await expect(page.getByLabel("用户名或手机号")).toHaveValue("agent2");
});

test("sign-out ends the session", async ({ page }) => {
  await signIn(page, "agent", "/agent");
  await page.getByRole("button", { name: "退出登录" }).click();
  await page.waitForURL("**/login");
  await page.goto("/agent");
  await expect(page).toHaveURL(/\/login\?next=%2Fagent$/);
});
