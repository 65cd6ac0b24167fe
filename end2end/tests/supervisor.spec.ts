// The supervisor's screens: the wallboard changes without a reload when a CTI event and a
// ticket action arrive; reports with charts and a CSV download; quality inspection (sample,
// score, the agent sees the result); staffing with a roster shift; agents are kept out.
import { test, expect, request, type APIRequestContext } from "@playwright/test";
import { PASSWORD, hydrated, signIn, watchErrors } from "./helpers";

async function api(baseURL: string | undefined, username: string): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL });
  const r = await ctx.post("/api/v1/session", { data: { username, password: PASSWORD } });
  expect(r.ok()).toBeTruthy();
  return ctx;
}

/** Other specs may leave the demo users in English: switch to Chinese. */
async function inChinese(page: import("@playwright/test").Page) {
  await hydrated(page);
  const zh = page.getByRole("button", { name: "中文" });
  if ((await zh.getAttribute("aria-pressed")) !== "true") {
    await zh.click();
    await expect(zh).toHaveAttribute("aria-pressed", "true");
  }
  await hydrated(page);
}

const figure = (page: import("@playwright/test").Page, id: string) =>
  page.getByTestId(id).locator(".tile-value");

test("the wallboard follows a CTI call and a ticket action without a reload", async ({ page, baseURL }) => {
  const problems = watchErrors(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, "supervisor", "/supervisor");
  await inChinese(page);
  await hydrated(page);
  await expect(page.getByTestId("live-badge")).toHaveAttribute("data-live", "open");
  // A marker that a reload would lose.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  const waiting = Number(await figure(page, "fig-waiting").innerText());
  const open = Number(await figure(page, "fig-open").innerText());

  const pbx = await api(baseURL, "admin");
  const callId = `wb-${Date.now()}`;
  const ring = await pbx.post("/api/v1/cti/events", {
    data: { event: "newCall", call_id: callId, direction: "in", from: "13800000001", to: "10086", queue: "vip" },
  });
  expect(ring.ok()).toBeTruthy();
  await expect(figure(page, "fig-waiting")).toHaveText(String(waiting + 1));

  // Answered by agent: no longer waiting, on the line, and the agent shows on call.
  const answer = await pbx.post("/api/v1/cti/events", {
    data: { event: "answer", call_id: callId, direction: "in", from: "13800000001", to: "10086", agent: "agent" },
  });
  expect(answer.ok()).toBeTruthy();
  await expect(figure(page, "fig-waiting")).toHaveText(String(waiting));
  await expect(page.getByTestId("agents").locator('tr[data-agent="王芳"] [data-state]')).toHaveAttribute("data-state", "on_call");

  // A ticket registered through the API: one more open ticket.
  const agent = await api(baseURL, "agent");
  const customers = await (await agent.get("/api/v1/customers?q=13800000001")).json();
  const created = await agent.post("/api/v1/tickets", {
    data: { kind: "inquiry", channel: "phone", customer: customers[0].id, subject: "大屏测试：查询套餐" },
  });
  expect(created.status()).toBe(201);
  await expect(figure(page, "fig-open")).toHaveText(String(open + 1));
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "screenshots/supervisor-wallboard-desktop.png", fullPage: true });

  // The wallboard's figures are the API's.
  const summary = await (await pbx.get("/api/v1/metrics/summary")).json();
  expect(summary.open).toBe(open + 1);
  await pbx.dispose();
  await agent.dispose();
  expect(problems).toEqual([]);
});

test("reports show figures, charts and download as CSV, in both languages", async ({ page }) => {
  const problems = watchErrors(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, "supervisor", "/supervisor");
  await inChinese(page);
  await page.goto("/supervisor/reports");
  await hydrated(page);
  await expect(page.getByTestId("total-tickets").locator(".tile-value")).not.toHaveText("0");
  for (const chart of ["by-day", "by-hour", "kind-channel", "sla"]) {
    await expect(page.getByTestId(`chart-${chart}`).locator("svg")).toHaveCount(1);
  }
  await expect(page.getByTestId("chart-kind-channel")).toContainText("投诉");
  await expect(page.getByTestId("sla-compliance").locator('tr[data-target="acknowledge"]')).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "screenshots/supervisor-reports-desktop.png", fullPage: true });

  // Filter to complaints: the kind table keeps only complaints.
  await page.locator('select[name="kind"]').selectOption("complaint");
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByTestId("by-kind").locator('tr[data-key="inquiry"] td.num')).toHaveText("0");

  const href = await page.getByTestId("report-csv").getAttribute("href");
  expect(href).toContain("kind=complaint");
  const csv = await page.request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-disposition"]).toContain("attachment");
  const text = await csv.text();
  expect(text).toContain("统计期间");
  expect(text).toContain("时限达标");

  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Reports" })).toBeVisible();
  await expect(page.getByTestId("chart-kind-channel")).toContainText("Complaint");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "screenshots/supervisor-reports-en.png", fullPage: true });
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.getByRole("heading", { name: "统计报表" })).toBeVisible();
  expect(problems).toEqual([]);
});

test("a supervisor samples and scores a call; the agent sees the result", async ({ page, browser }) => {
  // Both refusals below are on purpose.
  const problems = watchErrors(page, [/supervision\/review 422/, /supervision\/scorecard 422/]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, "supervisor", "/supervisor");
  await inChinese(page);
  await page.goto("/supervisor/quality");
  await hydrated(page);
  await page.locator('input[name="days"]').fill("30");
  await page.locator('input[name="per_agent"]').fill("2");
  await expect(async () => {
    await page.getByRole("button", { name: "随机抽取" }).click();
    await expect(page.getByTestId("sample").locator("li").first()).toBeVisible({ timeout: 1000 });
  }).toPass();
  // At most two per agent, both demo agents present (other specs may add work).
  const owners = await page.getByTestId("sample").locator("li .muted").allInnerTexts();
  const per = new Map<string, number>();
  for (const o of owners) per.set(o.split(" · ")[0], (per.get(o.split(" · ")[0]) ?? 0) + 1);
  expect(per.get("王芳")).toBe(2);
  expect(per.get("李强")).toBe(2);
  expect([...per.values()].every((n) => n <= 2)).toBeTruthy();
  // Score the first call of the sample: accuracy 20 of 30.
  const firstCall = page.getByTestId("sample").locator("li", { hasText: "通话" }).first();
  await firstCall.getByRole("button", { name: "评分" }).click();
  await expect(page.locator('select[name="kind"]')).toHaveValue("call");
  await page.locator('input[name="score-accuracy"]').fill("20");
  await page.locator('textarea[name="comment"]').fill("业务解释不够准确");
  await page.getByRole("button", { name: "提交评分" }).click();
  await expect(page.getByRole("status")).toContainText("90");
  await expect(page.getByTestId("reviews")).toContainText("业务解释不够准确");
  // The same call again: refused, with the reason.
  await page.getByRole("button", { name: "提交评分" }).click();
  await expect(page.locator(".alert-error")).toContainText("已用此评分表质检过");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "screenshots/supervisor-quality-desktop.png", fullPage: true });

  // The scorecard editor refuses weights that do not add up to 100.
  const editor = page.getByTestId("new-scorecard");
  await editor.locator('input[name="name"]').fill("投诉处理质检表");
  await editor.getByRole("button", { name: "保存" }).click();
  await expect(editor.locator(".alert-error")).toContainText("评分项");

  const agentContext = await browser.newContext();
  const agentPage = await agentContext.newPage();
  await signIn(agentPage, "agent", "/agent");
  await inChinese(agentPage);
  await agentPage.goto("/agent/quality");
  await hydrated(agentPage);
  await expect(agentPage.getByTestId("reviews")).toBeVisible();
  await expect(agentPage.getByTestId("my-mean")).toBeVisible();
  await agentPage.setViewportSize({ width: 390, height: 844 });
  await agentPage.evaluate(() => window.scrollTo(0, 0));
  await agentPage.screenshot({ path: "screenshots/agent-quality-phone.png", fullPage: true });
  await agentContext.close();
  expect(problems).toEqual([]);
});

test("staffing forecasts next week, needs agents by Erlang C and compares the roster", async ({ page }) => {
  const problems = watchErrors(page, [/supervision\/shift 422/]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, "supervisor", "/supervisor");
  await inChinese(page);
  await page.goto("/supervisor/staffing");
  await hydrated(page);
  await expect(page.getByTestId("chart-staffing").locator("svg")).toHaveCount(1);
  await expect(page.getByTestId("plan").locator("tbody tr").first()).toBeVisible();
  const before = Number(await page.getByTestId("rostered-hours").locator(".tile-value").innerText());
  expect(before).toBeGreaterThan(0);
  // A shift that does not end after it starts is refused; a good one adds 4 agent-hours.
  const form = page.getByTestId("shift-form");
  await form.locator('input[name="agent"]').fill("agent3");
  await form.locator('input[name="start"]').fill("12:00");
  await form.locator('input[name="end"]').fill("10:00");
  await form.getByRole("button", { name: "添加班次" }).click();
  await expect(form.locator(".alert-error")).toContainText("结束时间须晚于开始时间");
  await form.locator('input[name="end"]').fill("16:00");
  await form.getByRole("button", { name: "添加班次" }).click();
  await expect(page.getByTestId("rostered-hours").locator(".tile-value")).toHaveText((before + 4).toFixed(1));
  await expect(page.getByTestId("shifts")).toContainText("agent3");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "screenshots/supervisor-staffing-desktop.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/supervisor");
  await hydrated(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "screenshots/supervisor-wallboard-phone.png", fullPage: true });
  expect(problems).toEqual([]);
});

test("agents cannot open the supervisor's pages or figures", async ({ page, baseURL }) => {
  await signIn(page, "agent", "/agent");
  for (const path of ["/supervisor", "/supervisor/reports", "/supervisor/quality", "/supervisor/staffing"]) {
    const r = await page.goto(path);
    expect(r?.status(), path).toBe(403);
  }
  const agent = await api(baseURL, "agent");
  for (const path of ["/api/v1/metrics/summary", "/api/v1/reports", "/api/v1/reports/csv", "/api/v1/wallboard/live"]) {
    expect((await agent.get(path)).status(), path).toBe(403);
  }
  await agent.dispose();
});
