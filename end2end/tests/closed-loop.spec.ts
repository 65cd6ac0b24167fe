// The closed loop in a real browser: an agent registers a general complaint from a call,
// dispatches it to billing; the billing handler accepts it from the department inbox and
// replies; the agent records a satisfied follow-up and the ticket is archived. The SLA
// panel shows the due times the server computed. A stale second tab gets the conflict
// message and the fresh ticket.
import { test, expect, type Page } from "@playwright/test";
import { hydrated, signIn, watchErrors } from "./helpers";

function shanghai(iso: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

async function signOut(page: Page) {
  await page.locator('form[action="/auth/logout"] button').click();
  await page.waitForURL("**/login");
}

async function act(page: Page, action: string, fill?: (form: ReturnType<Page["locator"]>) => Promise<void>) {
  await page.getByTestId("actions").locator(`button[data-action="${action}"]`).click();
  const form = page.locator(`form[data-form="${action}"]`);
  if (fill) await fill(form);
  await form.getByRole("button", { name: /^(提交|Submit)$/ }).click();
}

test("a complaint goes round the closed loop and is archived", async ({ page, context }) => {
  // The refused reply below is an expected 422 from the action endpoint.
  const problems = watchErrors(page, [/\/api\/desk\/act.* 422$/]);
  await signIn(page, "agent", "/agent");
  await page.goto("/agent/tickets?new=1");
  await hydrated(page);
  await page.locator('input[name="customer_search"]').fill("13800000001");
  await page.locator(".pick", { hasText: "张明" }).click();
  await expect(page.getByTestId("chosen-customer")).toContainText("张明");
  await page.locator('select[name="kind"]').selectOption("complaint");
  await page.locator('select[name="complexity"]').selectOption("general");
  await page.locator('input[name="subject"]').fill("本月流量费用异常");
  await page.locator('textarea[name="description"]').fill("客户称未使用的流量被计费");
  await expect(page.locator('input[name="on_call"]')).toBeChecked();
  await page.getByRole("button", { name: "登记" }).click();
  await page.waitForURL(/\/agent\/tickets\/[0-9a-f-]{36}$/);
  await hydrated(page);
  const id = page.url().split("/").pop()!;

  // Acknowledged at registration (on the call); SLA panel = the server's computation.
  await expect(page.locator('[data-state="acknowledged"]').first()).toBeVisible();
  const api = await (await page.request.get(`/api/v1/tickets/${id}`)).json();
  const resolve = api.sla.find((t: { target: { code: string } }) => t.target.code === "resolve");
  await expect(page.locator('[data-target="resolve"] [data-testid="due"]')).toHaveText(shanghai(resolve.due_at));
  await expect(page.locator('[data-target="resolve"] [data-testid="hard"]')).toHaveText(shanghai(resolve.hard_due_at));
  await expect(page.locator('[data-target="acknowledge"]')).toContainText("已达标");
  await expect(page.locator('[data-target="resolve"] .countdown')).toContainText("剩余");

  // A stale tab: opened now, used after the dispatch below.
  const stale = await context.newPage();
  await stale.goto(`/agent/tickets/${id}`);
  await hydrated(stale);

  await act(page, "dispatch", async (f) => {
    await f.locator('select[name="department"]').selectOption({ label: "计费" });
    await f.locator('textarea[name="note"]').fill("请核查流量计费");
  });
  await expect(page.locator('[data-state="dispatched"]').first()).toBeVisible();
  await expect(page.locator('[data-target="dispatch_acceptance"]')).toBeVisible();

  await act(stale, "escalate", async (f) => {
    await f.locator('textarea[name="reason"]').fill("客户情绪激动");
  });
  await expect(stale.getByTestId("action-message")).toContainText("已被他人更新");
  await expect(stale.locator('[data-state="dispatched"]').first()).toBeVisible();
  await stale.close();
  await signOut(page);

  // The billing handler finds it in the department inbox.
  await signIn(page, "handler", "/agent");
  await page.goto("/agent/tickets?queue=inbox");
  await hydrated(page);
  await page.getByTestId("ticket-table").getByRole("link", { name: "本月流量费用异常" }).click();
  await page.waitForURL(`**/agent/tickets/${id}`);
  await hydrated(page);
  await act(page, "accept");
  await expect(page.locator('[data-state="in_progress"]').first()).toBeVisible();
  // The reply needs its cause category: the server's message is shown.
  await act(page, "reply", async (f) => {
    await f.locator('textarea[name="resolution"]').fill("已核实为计费错误，退还 30 元");
  });
  await expect(page.getByTestId("action-message")).toContainText("原因分类");
  await page.locator('form[data-form="reply"] input[name="cause_category"]').fill("billing/overcharge");
  await page.locator('form[data-form="reply"]').getByRole("button", { name: "提交" }).click();
  await expect(page.locator('[data-state="resolved"]').first()).toBeVisible();
  await signOut(page);

  // The agent's follow-up closes the loop.
  await signIn(page, "agent", "/agent");
  await page.goto(`/agent/tickets/${id}`);
  await hydrated(page);
  // Complaints are archived only through a follow-up outcome: no plain "close" offered.
  await expect(page.getByTestId("actions").locator('button[data-action="close"]')).toHaveCount(0);
  await act(page, "revisit", async (f) => {
    await f.locator('select[name="outcome"]').selectOption("satisfied");
    await f.locator('select[name="rating"]').selectOption("5");
    await f.locator('textarea[name="note"]').fill("客户表示满意");
  });
  await expect(page.locator('[data-state="closed"]').first()).toBeVisible();
  await expect(page.getByTestId("timeline").locator("li")).toHaveCount(5);
  await expect(page.getByText("记录链校验通过")).toBeVisible();
  expect(problems).toEqual([]);
});
