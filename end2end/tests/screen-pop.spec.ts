// A call rings for the demo agent: the open console pops the caller's card without a
// reload, and the agent registers a ticket from the call for that customer.
import { test, expect, request } from "@playwright/test";
import { PASSWORD, hydrated, signIn, watchErrors } from "./helpers";

test("a ringing call pops the caller's card and a ticket is registered from it", async ({ page, baseURL }) => {
  const problems = watchErrors(page);
  await signIn(page, "agent", "/agent");
  await hydrated(page);
  await expect(page.getByTestId("screen-pop")).toHaveCount(0);

  // The PBX (here: an administrator's API session) reports a call ringing at "agent".
  const pbx = await request.newContext({ baseURL });
  expect((await pbx.post("/api/v1/session", { data: { username: "admin", password: PASSWORD } })).ok()).toBeTruthy();
  const callId = `e2e-${Date.now()}`;
  // The console's event stream may still be connecting: repeat the (idempotent) event
  // until it reports the pop delivered.
  await expect
    .poll(async () => {
      const r = await pbx.post("/api/v1/cti/events", {
        data: { event: "newCall", call_id: callId, direction: "in", from: "+86 138 0000 0001", to: "10000", queue: "vip", agent: "agent" },
      });
      return (await r.json()).popped;
    })
    .toBe(1);
  await expect(page.getByTestId("pop-customer")).toContainText("张明");
  await expect(page.getByTestId("pop-customer")).toContainText("金卡");
  await expect(page.getByTestId("screen-pop")).toContainText("138****0001");
  await page.screenshot({ path: "screenshots/screen-pop-zh-CN.png", fullPage: true });

  await page.getByTestId("register-from-call").click();
  await expect(page.getByTestId("chosen-customer")).toContainText("张明");
  await page.locator('select[name="kind"]').selectOption("query");
  await page.locator('input[name="subject"]').fill("查询本月话费");
  await page.getByRole("button", { name: "登记" }).click();
  await page.waitForURL(/\/agent\/tickets\/[0-9a-f-]{36}$/);
  await expect(page.locator('[data-state="acknowledged"]').first()).toBeVisible();
  await expect(page.getByTestId("customer-card")).toContainText("张明");
  await pbx.dispose();
  expect(problems).toEqual([]);
});
