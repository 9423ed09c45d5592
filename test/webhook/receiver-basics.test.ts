import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALLBACK_PATHS, CALLBACK_TOKEN_HEADER } from "../../src/gateway/callbacks.js";
import { createLogger, silentLogger } from "../../src/logger.js";
import { createAppMetrics } from "../../src/metrics/index.js";
import { createWebhookServer, type WebhookServer } from "../../src/webhook/server.js";
import { CALLBACK_TOKEN, OWNER, startShop, type Shop } from "./shop-harness.js";
import { postCallback } from "./signed-callbacks.js";

let shop: Shop;
let server: WebhookServer;
let url: string;
const updates: unknown[] = [];

/** What every receiver in this file shares: the shop's store, its token and its owner. */
const shopReceiver = () => ({
  callbackToken: CALLBACK_TOKEN,
  store: shop.store,
  eventLog: shop.eventLog,
  outbox: shop.outbox,
  ownerIds: [OWNER.id],
  logger: silentLogger(),
});

beforeAll(async () => {
  shop = await startShop({ notifier: false });
  server = createWebhookServer({
    ...shopReceiver(),
    bodyLimitBytes: 2_048,
    telegram: {
      path: "/telegram/hook-for-tests",
      secretToken: "telegram-secret-0123456789",
      handleUpdate: async (update) => {
        updates.push(update);
      },
    },
  });
  url = await server.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(async () => {
  await server.close();
  await shop.close();
});

const post = (path: string, body: string, headers: Record<string, string>) => fetch(`${url}${path}`, { method: "POST", headers, body });

describe("the receiver's front door", () => {
  it("says it is healthy", async () => {
    const answer = await fetch(`${url}/healthz`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: "ok" });
  });

  it("names the field that is wrong, without echoing what was sent", async () => {
    const answer = await post(CALLBACK_PATHS.disbursement, JSON.stringify({ id: "d1", amount: "sepuluh ribu" }), {
      "content-type": "application/json",
      [CALLBACK_TOKEN_HEADER]: CALLBACK_TOKEN,
    });
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { error: string };
    expect(body.error).toMatch(/^external_id: /);
    expect(JSON.stringify(body)).not.toContain("sepuluh");
  });

  it("refuses bodies over its limit with 413 and other content types with 415", async () => {
    const headers = { "content-type": "application/json", [CALLBACK_TOKEN_HEADER]: CALLBACK_TOKEN };
    expect((await post(CALLBACK_PATHS.disbursement, JSON.stringify({ pad: "x".repeat(4_000) }), headers)).status).toBe(413);
    expect((await post(CALLBACK_PATHS.disbursement, "id=1", { ...headers, "content-type": "application/x-www-form-urlencoded" })).status).toBe(415);
  });

  it("passes Telegram's updates on only with Telegram's secret", async () => {
    const update = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "/start" } };
    const wrong = await post("/telegram/hook-for-tests", JSON.stringify(update), { "content-type": "application/json", "x-telegram-bot-api-secret-token": "nope" });
    expect(wrong.status).toBe(401);
    expect(updates).toHaveLength(0);
    const right = await post("/telegram/hook-for-tests", JSON.stringify(update), {
      "content-type": "application/json",
      "x-telegram-bot-api-secret-token": "telegram-secret-0123456789",
    });
    expect(right.status).toBe(200);
    expect(updates).toEqual([update]);
  });
});

describe("GET /metrics with METRICS_TOKEN set", () => {
  it("answers only a scraper that brings the token, in constant time, and says nothing else to others", async () => {
    const metrics = createAppMetrics({ defaultMetrics: false });
    const guarded = createWebhookServer({
      ...shopReceiver(),
      metrics,
      metricsToken: "scrape-token-0123456789",
    });
    const base = await guarded.listen({ port: 0, host: "127.0.0.1" });
    try {
      const scrape = (authorization?: string) => fetch(`${base}/metrics`, { headers: authorization === undefined ? {} : { authorization } });
      for (const refused of [undefined, "Bearer wrong-token", "Basic scrape-token-0123456789", "scrape-token-0123456789", "Bearer "]) {
        const answer = await scrape(refused);
        expect(answer.status, String(refused)).toBe(401);
        const body = await answer.text();
        expect(body).not.toContain("pallabot_");
      }
      const answer = await scrape("Bearer scrape-token-0123456789");
      expect(answer.status).toBe(200);
      expect(await answer.text()).toContain("pallabot_callbacks_received_total");
      // The scheme in any case, as HTTP has it (curl users write "bearer").
      expect((await scrape("bearer scrape-token-0123456789")).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});

describe("what a rejected request leaves in the log", () => {
  it("a long path is cut to its first 100 characters: anyone may send one, and each rejection is a line", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (line: string) => void lines.push(line) } });
    const receiver = createWebhookServer({ ...shopReceiver(), logger });
    const at = await receiver.listen({ port: 0, host: "127.0.0.1" });
    try {
      const long = `/callbacks/${"x".repeat(8_000)}`;
      expect((await fetch(`${at}${long}`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } })).status).toBe(404);
      const rejected = lines.map((l) => JSON.parse(l) as { msg: string; path?: string }).filter((l) => l.msg === "request rejected");
      expect(rejected).toHaveLength(1);
      expect(rejected[0]?.path).toBe(`${long.slice(0, 100)}…(${long.length} chars)`);
    } finally {
      await receiver.close();
    }
  });

  it("a flood of wrong tokens is logged twenty at a time each minute, and the rest as one line with their count", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (line: string) => void lines.push(line) } });
    let clock = Date.parse("2026-11-26T05:00:00Z");
    const receiver = createWebhookServer({ ...shopReceiver(), logger, now: () => new Date(clock) });
    const at = await receiver.listen({ port: 0, host: "127.0.0.1" });
    const logged = () => lines.map((l) => JSON.parse(l) as { msg: string; more?: number; statusCode?: number });
    const wrongToken = () =>
      fetch(`${at}${CALLBACK_PATHS["virtual-account-paid"]}`, { method: "POST", body: "{}", headers: { "content-type": "application/json", [CALLBACK_TOKEN_HEADER]: "wrong" } });
    try {
      for (let i = 0; i < 50; i++) expect((await wrongToken()).status).toBe(401);
      expect(logged().filter((l) => l.msg === "request rejected")).toHaveLength(20);
      clock += 60_000;
      expect((await wrongToken()).status).toBe(401);
      const summary = logged().filter((l) => l.msg.startsWith("more requests rejected like this one"));
      expect(summary).toHaveLength(1);
      expect(summary[0]).toMatchObject({ more: 30, statusCode: 401 });
      // A new minute logs again.
      expect(logged().filter((l) => l.msg === "request rejected")).toHaveLength(21);
    } finally {
      await receiver.close();
    }
  });

  it("names the client behind a trusted proxy (TRUST_PROXY), and the connection's own address otherwise", async () => {
    const ipsLogged = async (trustProxy: string | undefined) => {
      const lines: string[] = [];
      const logger = createLogger({ level: "info", destination: { write: (line: string) => void lines.push(line) } });
      const receiver = createWebhookServer({ ...shopReceiver(), logger, trustProxy });
      const at = await receiver.listen({ port: 0, host: "127.0.0.1" });
      try {
        const headers = { "content-type": "application/json", [CALLBACK_TOKEN_HEADER]: "wrong", "x-forwarded-for": "203.0.113.7" };
        expect((await fetch(`${at}${CALLBACK_PATHS["virtual-account-paid"]}`, { method: "POST", body: "{}", headers })).status).toBe(401);
        return lines.map((l) => JSON.parse(l) as { msg: string; ip?: string }).filter((l) => l.msg === "request rejected").map((l) => l.ip);
      } finally {
        await receiver.close();
      }
    };
    expect(await ipsLogged("127.0.0.1")).toEqual(["203.0.113.7"]);
    expect(await ipsLogged(undefined)).toEqual(["127.0.0.1"]);
  });
});

describe("a VA's later states posted to the VA-created endpoint", () => {
  it("are taken (200), as Xendit posts PENDING and INACTIVE there too, and change nothing", async () => {
    const body = { id: "va-state-1", owner_id: "owner", external_id: "va-states", merchant_code: "8808", account_number: "8808123456789", bank_code: "BCA", name: "Siti", is_closed: true, expected_amount: 100_000, is_single_use: true, status: "INACTIVE", created: new Date().toISOString(), updated: new Date().toISOString() };
    expect((await postCallback(shop.webhookUrl, "virtual-account-created", body)).status).toBe(200);
    expect(await shop.store.payments.get("va-states")).toBeUndefined();
  });
});
