// The agent console beyond the screen pop: the customer 360 with a logged reveal and the
// billing lookup, the agent's state driven by the call (on call → wrap-up → disposition →
// available), a missed call worked from the callback list, the administrators' billing
// import with row-level problems — and screenshots of those screens in both languages.
import { test, expect, request, type APIRequestContext, type Page } from "@playwright/test";
import { PASSWORD, hydrated, signIn, watchErrors } from "./helpers";

async function pbx(baseURL: string | undefined): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL });
  expect((await ctx.post("/api/v1/session", { data: { username: "admin", password: PASSWORD } })).ok()).toBeTruthy();
  return ctx;
}

async function cti(ctx: APIRequestContext, data: Record<string, unknown>) {
  const r = await ctx.post("/api/v1/cti/events", { data: { direction: "in", to: "10000", ...data } });
  expect(r.ok()).toBeTruthy();
  return r.json();
}

async function restoreChinese(page: Page) {
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
}

test("the customer 360 reveals the ID number on request and looks up billing", async ({ page }) => {
  const problems = watchErrors(page);
  await signIn(page, "agent", "/agent");
  await page.goto("/agent/customers?q=A10000001");
  await hydrated(page);
  await page.getByTestId("customer-results").getByText("张明").click();
  await page.waitForURL(/\/agent\/customers\/[0-9a-f-]{36}$/);
  const c360 = page.getByTestId("customer-360");
  await expect(c360.getByTestId("accounts")).toContainText("A10000001");
  await expect(c360.getByTestId("accounts")).toContainText("¥36.50");
  await expect(page.getByTestId("masked-id_number-0")).toHaveText("110***********002X");
  await c360.getByRole("button", { name: "显示" }).nth(1).click();
  await expect(page.getByTestId("masked-id_number-0")).toHaveText("11010519491231002X");
  await page.getByTestId("show-billing").click();
  const billing = page.getByTestId("billing");
  await expect(billing).toContainText("2026-10");
  await expect(billing).toContainText("月基本费");
  await expect(page.getByTestId("usage")).toContainText("流量");
  // On a phone the page fits the screen: wide tables scroll inside their panels.
  await page.setViewportSize({ width: 393, height: 851 });
  await page.reload();
  await hydrated(page);
  await page.getByTestId("show-billing").click();
  await expect(page.getByTestId("billing")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(393);
  expect(problems).toEqual([]);
});

test("a call puts the agent on call, then in wrap-up until the disposition", async ({ page, baseURL }) => {
  const problems = watchErrors(page);
  await signIn(page, "agent2", "/agent");
  await hydrated(page);
  const state = page.getByTestId("agent-state");
  await page.getByTestId("go-available").click();
  await expect(state).toHaveAttribute("data-state", "available");
  const ctx = await pbx(baseURL);
  const id = `e2e-wrap-${Date.now()}`;
  await expect
    .poll(async () => (await cti(ctx, { event: "newCall", call_id: id, from: "13800000001", agent: "agent2" })).popped)
    .toBe(1);
  await expect(page.getByTestId("pop-billing")).toContainText("¥36.50");
  await expect(page.getByTestId("phrases")).toContainText("张先生,您好");
  await cti(ctx, { event: "answer", call_id: id, from: "13800000001", agent: "agent2" });
  await expect(state).toHaveAttribute("data-state", "on_call");
  await cti(ctx, { event: "hangup", call_id: id, from: "13800000001", cause: "normalClearing" });
  await expect(state).toHaveAttribute("data-state", "wrap_up");
  const wrap = page.getByTestId("wrap-up");
  await wrap.locator("select").selectOption("resolved");
  await wrap.locator("textarea").fill("已解释本月账单");
  await wrap.getByRole("button", { name: "提交" }).click();
  await expect(state).toHaveAttribute("data-state", "available");
  const call = await (await ctx.get(`/api/v1/calls/${id}`)).json();
  expect(call.disposition).toBe("resolved");
  await ctx.dispose();
  expect(problems).toEqual([]);
});

test("a missed call is taken from the callback list and closed with its outcome", async ({ page, baseURL }) => {
  const problems = watchErrors(page);
  const ctx = await pbx(baseURL);
  const id = `e2e-missed-${Date.now()}`;
  await cti(ctx, { event: "newCall", call_id: id, from: "13600000004" });
  await cti(ctx, { event: "hangup", call_id: id, from: "13600000004", cause: "abandoned" });
  await ctx.dispose();
  await signIn(page, "agent", "/agent");
  await page.goto("/agent/callbacks");
  await hydrated(page);
  const row = page.locator(`tr:has-text("${id}")`);
  await expect(row).toContainText("周杰");
  await row.getByRole("button", { name: "领取" }).click();
  await expect(row.locator("select")).toBeVisible();
  await row.locator("select").selectOption("reached");
  await row.locator('input[type="text"]').fill("已回电");
  await row.getByRole("button", { name: "记录结果" }).click();
  await expect(page.locator(`tr:has-text("${id}")`)).toHaveCount(0);
  await page.goto("/agent/callbacks?scope=all");
  await expect(page.locator(`tr:has-text("${id}")`)).toContainText("已联系");
  expect(problems).toEqual([]);
});

test("a billing import lists every bad row and imports nothing until it is fixed", async ({ page }) => {
  const problems = watchErrors(page);
  await signIn(page, "admin", "/admin");
  await page.goto("/admin/billing");
  await hydrated(page);
  const form = page.getByTestId("billing-import");
  await form.locator("select").first().selectOption("csv");
  await form.locator("textarea").fill(
    "number,customer_phone,plan,status,balance_fen\nA20000001,13600000004,乐享 59,frozen,12.5\n",
  );
  await form.getByRole("button", { name: "导入" }).click();
  const bad = page.getByTestId("import-problems");
  await expect(bad).toContainText("第 2 行，status");
  await expect(bad).toContainText("第 2 行，balance_fen");
  await form.locator("textarea").fill(
    "number,customer_phone,plan,status,balance_fen\nA20000001,13600000004,乐享 59,active,1250\n",
  );
  await form.getByRole("button", { name: "导入" }).click();
  await expect(page.getByTestId("import-done")).toContainText("新增 1");
  await form.getByRole("button", { name: "导入" }).click();
  await expect(page.getByTestId("import-done")).toContainText("未变 1");
  expect(problems).toEqual([]);
});

for (const lang of ["zh-CN", "en"]) {
  test(`console screens (${lang})`, async ({ page, baseURL }) => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto("/login");
    await page.getByRole("button", { name: lang === "en" ? "English" : "中文" }).click();
    await signIn(page, "agent", "/agent");
    await hydrated(page);
    const ctx = await pbx(baseURL);
    const id = `e2e-shot-${lang}-${Date.now()}`;
    await expect
      .poll(async () => (await cti(ctx, { event: "newCall", call_id: id, from: "13800000001", queue: "vip", agent: "agent" })).popped)
      .toBe(1);
    await expect(page.getByTestId("pop-billing")).toBeVisible();
    await page.screenshot({ path: `screenshots/console-screen-pop-${lang}.png`, fullPage: true });
    await page.getByTestId("open-360").click();
    await page.waitForURL(/\/agent\/customers\//);
    await hydrated(page);
    await page.getByTestId("show-billing").click();
    await expect(page.getByTestId("billing")).toBeVisible();
    await page.screenshot({ path: `screenshots/console-customer-360-${lang}.png`, fullPage: true });
    await cti(ctx, { event: "hangup", call_id: id, from: "13800000001", cause: "abandoned" });
    await ctx.dispose();
    await page.goto("/agent/outbound");
    await expect(page.getByTestId("task-table")).toBeVisible();
    await page.screenshot({ path: `screenshots/console-tasks-${lang}.png`, fullPage: true });
    await restoreChinese(page);
    await page.locator('form[action="/auth/logout"] button').click();
    await page.goto("/login");
    await page.getByRole("button", { name: lang === "en" ? "English" : "中文" }).click();
    await signIn(page, "admin", "/admin");
    await page.goto("/admin/phrases");
    await expect(page.getByTestId("phrase-table")).toContainText("无声电话");
    await page.screenshot({ path: `screenshots/console-phrases-admin-${lang}.png`, fullPage: true });
    await page.goto("/admin/tokens");
    await hydrated(page);
    const tokenForm = page.getByTestId("token-form");
    await tokenForm.locator('input[type="text"]').first().fill(`PBX ${lang}`);
    await tokenForm.locator('button[type="submit"]').click();
    await expect(page.getByTestId("token-secret")).toContainText("ldk_");
    await expect(page.getByTestId("token-table")).toContainText(`PBX ${lang}`);
    await page.screenshot({ path: `screenshots/console-tokens-${lang}.png`, fullPage: true });
    await page.goto("/admin/billing");
    await expect(page.getByTestId("billing-import")).toBeVisible();
    await page.screenshot({ path: `screenshots/console-billing-import-${lang}.png`, fullPage: true });
    await restoreChinese(page);
    await page.locator('form[action="/auth/logout"] button').click();
  });
}
