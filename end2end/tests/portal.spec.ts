// The customer's side of the closed loop in the browser: a new customer signs up with a
// texted code, submits a complaint with a photo, sees it acknowledged after an agent acts,
// gets the answer, rejects it (the ticket reopens), later confirms satisfied (archived) —
// with screenshots of the journey at 1280×800 and 390×844, in Chinese and English.
import * as fs from "node:fs";
import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { hydrated, PASSWORD, watchErrors } from "./helpers";

const SPOOL = "../target/e2e-sms.jsonl";
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

function lastCode(phone: string): string {
  const lines = fs.existsSync(SPOOL) ? fs.readFileSync(SPOOL, "utf8").trim().split("\n") : [];
  for (const line of lines.reverse()) {
    const m = JSON.parse(line);
    if (m.to?.to === phone && m.purpose === "verification_code") {
      const code = /(\d{6})/.exec(m.text);
      if (code) return code[1];
    }
  }
  throw new Error(`no code texted to ${phone}`);
}

async function staffAct(api: APIRequestContext, id: string, body: Record<string, unknown>) {
  const t = await (await api.get(`/api/v1/tickets/${id}`)).json();
  const r = await api.post(`/api/v1/tickets/${id}/actions`, { data: { ...body, expected_version: t.version } });
  expect(r.status(), await r.text()).toBe(200);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/portal-${name}.png`, fullPage: true });
}

test("a customer signs up, complains with a photo, rejects the answer and later confirms it", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const problems = watchErrors(page, [/portal\/register 422/]);
  await page.setViewportSize({ width: 1280, height: 800 });
  const phone = `137${String(Date.now()).slice(-8)}`;

  // Sign up from the login page.
  await page.goto("/login");
  await hydrated(page);
  await page.getByTestId("register-link").click();
  await page.waitForURL("**/register");
  await hydrated(page);
  await page.locator("input[name=phone]").fill(phone);
  await page.getByTestId("send-code").click();
  await expect(page.getByTestId("code-sent")).toContainText("验证码已发送");
  await page.locator("input[name=code]").fill("000000" === lastCode(phone) ? "111111" : "000000");
  await page.locator("input[name=name]").fill("周晓");
  await page.locator("input[name=password]").fill("zhou2026x");
  await shot(page, "register-desktop");
  await page.getByRole("button", { name: "注册并登录" }).click();
  await expect(page.getByRole("alert")).toHaveText("验证码不正确");
  await page.locator("input[name=code]").fill(lastCode(phone));
  await page.getByRole("button", { name: "注册并登录" }).click();
  await page.waitForURL("**/portal");
  await hydrated(page);
  await expect(page.locator("h1")).toContainText("周晓");

  // Submit a complaint with a photo.
  await page.getByTestId("new-request").click();
  await page.waitForURL("**/portal/requests/new");
  await hydrated(page);
  const form = page.getByTestId("submit-form");
  await form.getByLabel("诉求类型").selectOption("complaint");
  await form.getByLabel("问题描述").fill("家里宽带每晚九点后频繁断线\n已经持续一周，影响孩子上网课。");
  await form.getByTestId("files").setInputFiles({ name: "光猫指示灯.png", mimeType: "image/png", buffer: PNG });
  await shot(page, "submit-desktop");
  await form.getByRole("button", { name: "提交" }).click();
  await page.waitForURL(/\/portal\/requests\/[0-9a-f-]{36}$/);
  await hydrated(page);
  const id = page.url().split("/").pop()!;
  await expect(page.getByTestId("request-state")).toHaveText("已提交");
  await expect(page.getByTestId("promise")).toContainText("我们将在");
  await expect(page.getByTestId("attachments")).toContainText("光猫指示灯.png");

  // An agent acknowledges it; the customer sees it and is notified.
  const staff = await browser.newContext();
  const api = staff.request;
  expect((await api.post("/api/v1/session", { data: { username: "agent", password: PASSWORD } })).status()).toBe(200);
  const staffView = await (await api.get(`/api/v1/tickets/${id}`)).json();
  expect(staffView.channel.code).toBe("portal");
  // Staff see the photo on the ticket page.
  const staffPage = await staff.newPage();
  await staffPage.goto(`/agent/tickets/${id}`);
  await expect(staffPage.getByTestId("ticket-attachments")).toContainText("光猫指示灯.png");
  await staffAct(api, id, { action: "acknowledge" });
  await staffAct(api, id, { action: "comment", text: "内部：该片区光缆割接", visibility: "internal" });
  await page.goto("/portal");
  await hydrated(page);
  await expect(page.getByTestId("unread")).toBeVisible();
  await expect(page.getByTestId("requests")).toContainText("已受理");
  await expect(page.getByTestId("requests").getByTestId("promise")).toContainText("我们将在");
  await shot(page, "home-desktop");
  await page.goto(`/portal/requests/${id}`);
  await hydrated(page);
  await expect(page.getByTestId("timeline")).toContainText("状态更新为：已受理");
  await expect(page.getByTestId("timeline")).not.toContainText("光缆割接");

  // The answer comes; the customer is not satisfied: the ticket reopens.
  await staffAct(api, id, { action: "reply", resolution: "已远程重启光猫并优化线路参数，请观察两天。", cause_category: "network" });
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("request-state")).toHaveText("已答复，待确认");
  await shot(page, "answered-desktop");
  const confirm = page.getByTestId("confirm-form");
  await confirm.getByTestId("unsatisfied").check();
  await confirm.getByTestId("rating").getByRole("button", { name: "2" }).click();
  await confirm.getByTestId("confirm-comment").fill("昨晚还是断了三次");
  await confirm.getByRole("button", { name: "提交评价" }).click();
  await expect(page.getByTestId("request-state")).toHaveText("处理中");
  await expect(page.getByTestId("timeline")).toContainText("表示不满意，评分 2/5");
  const reopened = await (await api.get(`/api/v1/tickets/${id}`)).json();
  expect(reopened.reopen_count).toBe(1);

  // Answered again; satisfied this time: archived.
  await staffAct(api, id, { action: "reply", resolution: "已上门更换入户光纤，连续三晚测试无断线。", cause_category: "line" });
  await page.reload();
  await hydrated(page);
  await confirm.getByTestId("satisfied").check();
  await confirm.getByTestId("rating").getByRole("button", { name: "5" }).click();
  await confirm.getByRole("button", { name: "提交评价" }).click();
  await expect(page.getByTestId("request-state")).toHaveText("已办结");
  await expect(page.getByTestId("confirm-form")).toHaveCount(0);
  await expect(page.getByTestId("reply-form")).toHaveCount(0);
  await shot(page, "closed-desktop");
  const closed = await (await api.get(`/api/v1/tickets/${id}`)).json();
  expect(closed.state.code).toBe("closed");

  // The same pages on a phone, then in English.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/portal");
  await hydrated(page);
  await shot(page, "home-phone");
  await page.goto(`/portal/requests/${id}`);
  await hydrated(page);
  await shot(page, "request-phone");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await page.goto("/portal/requests/new");
  await hydrated(page);
  await shot(page, "submit-phone");
  await page.goto("/portal/bills");
  await hydrated(page);
  await shot(page, "bills-phone");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole("button", { name: "English" }).click();
  await page.goto(`/portal/requests/${id}`);
  await hydrated(page);
  await expect(page.getByTestId("request-state")).toHaveText("Closed");
  await expect(page.getByTestId("timeline")).toContainText("Not satisfied, rated 2/5");
  await shot(page, "closed-en");
  await page.goto("/portal");
  await hydrated(page);
  await shot(page, "home-en");
  await staff.close();
  expect(problems).toEqual([]);
});

test("孙丽 activates the record staff created, sees her bills and downloads one as CSV", async ({ page }) => {
  const problems = watchErrors(page);
  // The reset page answers the same whether or not the number has an account.
  await page.goto("/forgot");
  await hydrated(page);
  await page.locator("input[name=phone]").fill("13600000004");
  await page.getByTestId("send-code").click();
  await expect(page.getByTestId("code-sent")).toContainText("136****0004");
  await shot(page, "reset-desktop");
  // Activation: no name is asked, the record's name is used.
  await page.goto("/register");
  await hydrated(page);
  await page.locator("input[name=phone]").fill("13700000003");
  await page.getByTestId("send-code").click();
  await expect(page.getByText("我们找到了该号码的客户资料")).toBeVisible();
  await expect(page.locator("input[name=name]")).toHaveCount(0);
  await page.locator("input[name=code]").fill(lastCode("13700000003"));
  await page.locator("input[name=password]").fill("sunli2026x");
  await page.getByRole("button", { name: "注册并登录" }).click();
  await page.waitForURL("**/portal");
  await hydrated(page);
  await expect(page.locator("h1")).toContainText("孙丽");
  await page.goto("/portal/bills");
  await hydrated(page);
  const links = page.getByTestId("bill-csv");
  expect(await links.count()).toBeGreaterThan(0);
  const [download] = await Promise.all([page.waitForEvent("download"), links.first().click()]);
  const csv = fs.readFileSync(await download.path(), "utf8");
  expect(csv).toContain("项目");
  expect(csv).toContain("合计");
  await shot(page, "bills-desktop");
  expect(problems).toEqual([]);
});
