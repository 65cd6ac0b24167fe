// Shared steps: watch a page for errors, wait for hydration, sign in through the form.
import { expect, type Page } from "@playwright/test";

export const PASSWORD = "loopdesk-demo";

export const PERSONAS = [
  { login: "agent", home: "/agent", name: "王芳", heading: "坐席工作台" },
  { login: "agent2", home: "/agent", name: "李强", heading: "坐席工作台" },
  { login: "handler", home: "/agent", name: "赵敏", heading: "坐席工作台" },
  { login: "supervisor", home: "/supervisor", name: "陈静", heading: "班长监控台" },
  { login: "admin", home: "/admin", name: "系统管理员", heading: "系统管理" },
  { login: "13800000001", home: "/portal", name: "张明", heading: "自助服务" },
] as const;

/** Collects page errors, console errors and failed sub-resource requests; `expected`
 * lists `URL STATUS` patterns a test provokes on purpose. */
export function watchErrors(page: Page, expected: RegExp[] = []): string[] {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    // A 403/404 document is expected where tests ask for one; chromium logs it as an error.
    if (m.type() === "error" && !/status of 40[349]|status of 422/.test(m.text())) {
      problems.push(`console: ${m.text()}`);
    }
  });
  page.on("response", (r) => {
    const seen = `${r.url()} ${r.status()}`;
    if (r.status() >= 400 && r.request().resourceType() !== "document" && !expected.some((e) => e.test(seen))) {
      problems.push(`HTTP ${r.status()} ${r.url()}`);
    }
  });
  return problems;
}

/** Waits until the wasm has hydrated the page (the app marks <html data-hydrated>). */
export async function hydrated(page: Page) {
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1);
}

/** Signs in through the login form and waits for the role's home page. */
export async function signIn(page: Page, login: string, home: string) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel(/用户名或手机号|Username or mobile number/).fill(login);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
  await page.waitForURL(`**${home}`);
}
