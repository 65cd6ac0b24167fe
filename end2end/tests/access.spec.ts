// Other roles' pages give a localized 403; anonymous visitors are sent to sign in.
import { test, expect } from "@playwright/test";
import { signIn } from "./helpers";

test("a customer opening the agent console gets a localized 403 page", async ({ page }) => {
  await signIn(page, "13800000001", "/portal");
  const response = await page.goto("/agent");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("无权访问");
  await page.getByRole("link", { name: "返回我的首页" }).click();
  await expect(page).toHaveURL(/\/portal$/);
});

test("an agent opening the admin pages gets a 403 page in English when English is chosen", async ({ page }) => {
  await signIn(page, "agent", "/agent");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator(".area-title")).toHaveText("Agent console");
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Access denied");
  // Put the language back for the other tests of this persona.
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("无权访问");
});

test("an anonymous visitor is sent to the sign-in page and back after signing in", async ({ page }) => {
  await page.goto("/supervisor/reports");
  await expect(page).toHaveURL(/\/login\?next=%2Fsupervisor%2Freports$/);
  await page.getByLabel("用户名或手机号").fill("supervisor");
  await page.locator('input[name="password"]').fill("loopdesk-demo");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL("**/supervisor/reports");
  await expect(page.locator('.sidenav a[aria-current="page"]')).toHaveText("报表");
});
