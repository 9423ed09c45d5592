import { describe, expect, it } from "vitest";
import { createGatewayClient } from "../../src/gateway/client.js";
import { GatewayError } from "../../src/gateway/types.js";
import { createAppMetrics } from "../../src/metrics/index.js";
import { createSandbox } from "../../src/sandbox/index.js";
import type { TelegramUser } from "../../src/telegram-local/index.js";
import { ownerChatApp, postCallback, sample, vaPaidCallback } from "./support.js";

/**
 * The operator's view of one sale: the owner makes a BCA virtual account in the bot, the customer pays,
 * the owner hears it, and GET /metrics has counted every step with the labels an alert would use.
 */

const OWNER: TelegramUser = { id: 5101, first_name: "Bu Ani" };
const CALLBACK_TOKEN = "callback-token-metrics-0123456789abcdef";

const shop = ownerChatApp("metrics", OWNER, "toko_ani_bot", { PALLAPI_CALLBACK_TOKEN: CALLBACK_TOKEN });
const { say, press } = shop;

const scrape = async () => {
  const response = await fetch(`${shop.app.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
};

describe("GET /metrics after a paid virtual account", () => {
  it("counts the callback by event and result, the notification, Telegram's 429, the gateway call and its error", async () => {
    const sandbox = shop.app.sandbox;
    if (sandbox === undefined) throw new Error("the app runs on its sandbox here");
    // The gateway stumbles once (a 503), the client retries: an error by code, then a success.
    sandbox.injectFault({ endpoint: "create-virtual-account", when: "before", status: 503 });

    const menu = await say("/start");
    const askBank = await press(menu, "🏦 Buat Virtual Account");
    const askName = await press(askBank, "BCA");
    expect(askName).toBeDefined();
    await say("Siti Aminah");
    const askSingle = await say("Rp 150.000");
    const summary = await press(askSingle, "Sekali bayar");
    shop.telegram.pressButton(OWNER, summary, { text: "✅ Buat sekarang" });
    await shop.telegram.waitForBotMessage(OWNER.id, { text: "diteruskan ke pelanggan", timeoutMs: 5_000 });
    const [va] = sandbox.objects().virtual_accounts;
    if (va === undefined) throw new Error("no virtual account was created");

    // Telegram's flood control answers the notifier's first send with a 429; it waits and sends again.
    shop.telegram.failNext("sendMessage", 1, { error_code: 429, parameters: { retry_after: 1 } });
    const paid = sandbox.payVirtualAccount(va.external_id);
    const heard = await shop.telegram.waitFor(
      (c) => c.method === "sendMessage" && c.response.ok && c.payload.chat_id === OWNER.id && String(c.payload.text).includes("Pembayaran diterima"),
      { timeoutMs: 6_000, description: "the owner hears of the payment" },
    );
    expect(String(heard.payload.text)).toContain("Siti Aminah");
    await shop.telegram.waitFor((c) => c.method === "editMessageCaption" && c.response.ok, { timeoutMs: 3_000, description: "the VA photo reads PAID" });

    // Palladium retries the same event, and someone without the token tries too.
    expect((await postCallback(shop.app.url, CALLBACK_TOKEN, paid)).status).toBe(200);
    expect((await postCallback(shop.app.url, "not-the-token", paid)).status).toBe(401);
    expect((await postCallback(shop.app.url, CALLBACK_TOKEN, { ...paid, amount: "lots" })).status).toBe(400);

    const text = await scrape();
    const event = "virtual-account-paid";
    expect(sample(text, "pallabot_callbacks_received_total", { event, result: "recorded" })).toBe(1);
    expect(sample(text, "pallabot_callbacks_received_total", { event, result: "duplicate" })).toBe(1);
    expect(sample(text, "pallabot_callbacks_received_total", { event, result: "unauthorized" })).toBe(1);
    expect(sample(text, "pallabot_callbacks_received_total", { event, result: "invalid" })).toBe(1);

    expect(sample(text, "pallabot_notifications_sent_total", { type: "payment-received" })).toBe(1);
    expect(sample(text, "pallabot_notifications_edited_total", { result: "edited", type: "mark-paid" })).toBe(1);
    expect(sample(text, "pallabot_notifications_failed_total", { reason: "rate_limited" })).toBe(1);
    expect(sample(text, "pallabot_notifications_retried_total")).toBe(1);
    expect(sample(text, "pallabot_telegram_rate_limited_total", { source: "notifier" })).toBe(1);
    expect(sample(text, "pallabot_telegram_requests_total", { source: "notifier", method: "sendMessage", result: "429" })).toBe(1);
    expect(sample(text, "pallabot_telegram_requests_total", { source: "notifier", method: "sendMessage", result: "ok" })).toBe(1);
    // The bot's own calls: the menu (outside conversations) and the VA photo (sent from inside one).
    expect(sample(text, "pallabot_telegram_requests_total", { source: "bot", method: "sendMessage", result: "ok" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "pallabot_telegram_requests_total", { source: "bot", method: "sendPhoto", result: "ok" })).toBe(1);

    expect(sample(text, "pallabot_payments_created_total", { kind: "virtual_account" })).toBe(1);
    const endpoint = "create-virtual-account";
    expect(sample(text, "pallabot_gateway_request_duration_seconds_count", { endpoint, result: "ok" })).toBe(1);
    expect(sample(text, "pallabot_gateway_request_duration_seconds_count", { endpoint, result: "error" })).toBe(1);
    expect(sample(text, "pallabot_gateway_errors_total", { endpoint, code: "UNAVAILABLE" })).toBe(1);

    // Everything delivered: the outbox is empty, read at scrape time.
    expect(sample(text, "pallabot_outbox_depth")).toBe(0);
    expect(sample(text, "pallabot_outbox_oldest_age_seconds")).toBe(0);
    // And the process's own figures are there for the usual dashboards.
    expect(sample(text, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(text).toContain("# TYPE nodejs_eventloop_lag_seconds gauge");
  });

  it("shows notifications waiting in the outbox, and how old the oldest is", async () => {
    // Telegram is down for this chat for a while: the notification waits in the outbox.
    shop.telegram.failNext("sendMessage", 50, { error_code: 502 });
    const record = await shop.app.store.payments.get(shop.app.sandbox?.objects().virtual_accounts[0]?.external_id ?? "");
    if (record === undefined) throw new Error("the first story's payment is missing");
    expect((await postCallback(shop.app.url, CALLBACK_TOKEN, vaPaidCallback(record, "second-payment"))).status).toBe(200);
    // The notifier counts the failure once Telegram's answer is back; scrape until it shows (bounded).
    let text = "";
    for (let i = 0; i < 50 && sample(text, "pallabot_notifications_failed_total", { reason: "transient" }) === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      text = await scrape();
    }
    expect(sample(text, "pallabot_notifications_failed_total", { reason: "transient" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "pallabot_outbox_depth")).toBeGreaterThanOrEqual(1);
    expect(sample(text, "pallabot_outbox_oldest_age_seconds")).toBeGreaterThan(0);
    shop.telegram.clearFaults();
  });
});

describe("metrics per app", () => {
  it("keeps two apps' counts apart in one process (no global registry)", () => {
    const shopA = createAppMetrics({ defaultMetrics: true });
    const shopB = createAppMetrics({ defaultMetrics: true });
    shopA.callbackReceived("virtual-account-paid", "recorded");
    shopA.callbackReceived("virtual-account-paid", "recorded");
    return Promise.all([shopA.render(), shopB.render()]).then(([a, b]) => {
      expect(sample(a, "pallabot_callbacks_received_total", { event: "virtual-account-paid", result: "recorded" })).toBe(2);
      expect(sample(b, "pallabot_callbacks_received_total", { event: "virtual-account-paid", result: "recorded" })).toBeUndefined();
    });
  });

  it("counts a refused API key as a gateway error with its code", async () => {
    const sandbox = createSandbox({ apiKey: "the-real-key-0123456789", callbackToken: "cb-token-0123456789" });
    await sandbox.listen();
    try {
      const metrics = createAppMetrics({ defaultMetrics: false });
      const gateway = createGatewayClient({ baseUrl: sandbox.apiBaseUrl, apiKey: "a-wrong-key-0123456789", onRequest: metrics.gatewayRequest });
      const refused = await gateway
        .createRetailPayment({ externalId: "metrics-bad-key-1", retailOutletName: "ALFAMART", name: "Budi", amount: 50_000 })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(GatewayError);
      const text = await metrics.render();
      expect(sample(text, "pallabot_gateway_errors_total", { endpoint: "create-retail-payment", code: "BAD_KEY" })).toBe(1);
      expect(sample(text, "pallabot_gateway_request_duration_seconds_count", { endpoint: "create-retail-payment", result: "error" })).toBe(1);
    } finally {
      await sandbox.close();
    }
  });
});
