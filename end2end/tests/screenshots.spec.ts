// Renders each home page in both languages, desktop and phone, and saves screenshots to
// end2end/screenshots/ (git-ignored) for people to look at. Asserts the pages rendered.
import { test, expect } from "@playwright/test";
import { PERSONAS, hydrated, signIn } from "./helpers";

const sizes = [
  { tag: "desktop", width: 1366, height: 820 },
  { tag: "phone", width: 390, height: 844 },
];

for (const size of sizes) {
  test(`screenshots (${size.tag})`, async ({ page }) => {
    // Eighteen pages signed in and out in one test: the default 30 s per test was about
    // spent (27–31 s on these machines), so this one gets its own budget.
    test.setTimeout(120_000);
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const lang of ["zh-CN", "en"]) {
      await page.goto("/login");
      await page.getByRole("button", { name: lang === "en" ? "English" : "中文" }).click();
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      await hydrated(page);
      await page.screenshot({ path: `screenshots/login-${lang}-${size.tag}.png`, fullPage: true });
      for (const login of ["agent", "supervisor", "admin", "13800000001"]) {
        const p = PERSONAS.find((x) => x.login === login)!;
        await signIn(page, p.login, p.home);
        await expect(page.locator("html")).toHaveAttribute("lang", lang);
        await expect(page.locator("main.content")).toBeVisible();
        await page.screenshot({ path: `screenshots/${p.home.slice(1)}-${lang}-${size.tag}.png`, fullPage: true });
        if (login === "13800000001") {
          await page.goto("/agent");
          await page.screenshot({ path: `screenshots/403-${lang}-${size.tag}.png` });
        }
        await page.goto(p.home);
        await page.locator('form[action="/auth/logout"] button').click();
        await page.waitForURL("**/login");
      }
    }
  });
}
