// Playwright runs the freshly built server on a fresh SQLite file and drives Debian's
// chromium (never a downloaded browser).
import { defineConfig } from "@playwright/test";

const port = process.env.E2E_PORT ?? "3000";
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? "list" : [["list"]],
  use: {
    baseURL,
    browserName: "chromium",
    locale: "zh-CN",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: process.env.E2E_EXTERNAL_SERVER
    ? undefined
    : {
        command: process.env.E2E_SERVER_CMD ?? "./target/debug/server --demo",
        cwd: "..",
        url: `${baseURL}/healthz`,
        reuseExistingServer: false,
        timeout: 60_000,
        stdout: "ignore",
        stderr: "pipe",
        env: {
          DATABASE_URL: process.env.DATABASE_URL ?? "sqlite://target/e2e.db?mode=rwc",
          LOOPDESK_ADDR: `127.0.0.1:${port}`,
          RUST_LOG: "warn",
          // Texts (verification codes) go to a spool file the portal spec reads.
          LOOPDESK_SMS_SPOOL: process.env.LOOPDESK_SMS_SPOOL ?? "target/e2e-sms.jsonl",
        },
      },
});
