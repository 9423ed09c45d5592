import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CALLBACK_PATHS,
  CALLBACK_SCHEMAS,
  CALLBACK_TOKEN_HEADER,
  type CallbackEvent,
  type DisbursementCallback,
  type RetailOutletPaidCallback,
  type VirtualAccountCreatedCallback,
  type VirtualAccountPaidCallback,
} from "../../src/gateway/callbacks.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { API_KEY, CALLBACK_TOKEN, startSandbox, startServer, type TestServer } from "./support.js";

/**
 * The shop's webhook hears about every payment: the sandbox delivers each event as JSON with the callback
 * token, retries a receiver that fails, and stops once it has an answer.
 */

const auth = { authorization: `Bearer ${API_KEY}` };
let sandbox: Sandbox;
let receiver: TestServer;

function urlsFor(server: TestServer): Record<CallbackEvent, string> {
  return Object.fromEntries(Object.entries(CALLBACK_PATHS).map(([event, path]) => [event, `${server.url}${path}`])) as Record<CallbackEvent, string>;
}
function received(event: CallbackEvent) {
  return receiver.requests.filter((r) => r.url === CALLBACK_PATHS[event]).map((r) => ({ headers: r.headers, payload: JSON.parse(r.body) as unknown }));
}
/**
 * The sandbox sends each event's payload in full, as DESIGN.md settles it (the receiver reads only part of
 * it): every documented field and no other, and the receiver's schema takes it.
 */
const DOCUMENTED_FIELDS = {
  "virtual-account-created": ["id", "owner_id", "external_id", "merchant_code", "account_number", "bank_code", "name", "is_closed", "is_single_use", "expiration_date", "status", "created", "updated"],
  "virtual-account-paid": ["id", "payment_id", "callback_virtual_account_id", "owner_id", "external_id", "account_number", "bank_code", "amount", "merchant_code", "transaction_timestamp", "created", "updated"],
  "retail-outlet-paid": ["id", "payment_id", "fixed_payment_code_id", "fixed_payment_code_payment_id", "owner_id", "external_id", "retail_outlet_name", "prefix", "payment_code", "name", "amount", "status", "transaction_timestamp"],
  disbursement: ["id", "user_id", "external_id", "amount", "bank_code", "account_holder_name", "disbursement_description", "status", "created", "updated"],
} satisfies Record<CallbackEvent, string[]>;
const OPTIONAL_FIELDS: Partial<Record<CallbackEvent, string[]>> = { "virtual-account-paid": ["sender_name"], disbursement: ["failure_code"] };
interface Documented {
  "virtual-account-created": VirtualAccountCreatedCallback;
  "virtual-account-paid": VirtualAccountPaidCallback;
  "retail-outlet-paid": RetailOutletPaidCallback;
  disbursement: DisbursementCallback;
}
function documented<E extends CallbackEvent>(event: E, payload: unknown): Documented[E] {
  const optional: readonly string[] = OPTIONAL_FIELDS[event] ?? [];
  const fields = Object.keys(payload as object).filter((f) => !optional.includes(f));
  expect(fields.sort()).toEqual([...DOCUMENTED_FIELDS[event]].sort());
  expect(CALLBACK_SCHEMAS[event].safeParse(payload).success).toBe(true);
  return payload as Documented[E];
}

async function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${sandbox.url}${path}`, { method: "POST", headers: { ...auth, ...headers }, body: new URLSearchParams(fields) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  receiver = await startServer((_req, res) => res.writeHead(200).end("ok"));
  sandbox = await startSandbox({ callbackUrls: urlsFor(receiver) });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe("callbacks from the sandbox", () => {
  it("tells the shop a BCA virtual account was created, then that the customer paid it", async () => {
    const created = await post("/api/v2/create-virtual-account", {
      bank_code: "BCA",
      name: "Siti Aminah",
      is_single_use: "true",
      amount: "150000",
      external_id: "shop1-va-1",
    });
    expect(created.status).toBe(200);
    await sandbox.callbacksSettled();
    const [createdEvent] = received("virtual-account-created");
    expect(createdEvent?.headers[CALLBACK_TOKEN_HEADER]).toBe(CALLBACK_TOKEN);
    expect(createdEvent?.headers["content-type"]).toMatch(/^application\/json/);
    const createdPayload = documented("virtual-account-created", createdEvent?.payload);
    expect(createdPayload).toMatchObject({ external_id: "shop1-va-1", account_number: created.body.account_number, status: "ACTIVE", bank_code: "BCA" });

    const pay = await fetch(`${sandbox.url}/sandbox/simulate/virtual-accounts/shop1-va-1/pay`, { method: "POST", headers: auth });
    expect(pay.status).toBe(200);
    await sandbox.callbacksSettled();
    const [paid] = received("virtual-account-paid");
    expect(paid?.headers[CALLBACK_TOKEN_HEADER]).toBe(CALLBACK_TOKEN);
    const paidPayload = documented("virtual-account-paid", paid?.payload);
    expect(paidPayload).toMatchObject({ external_id: "shop1-va-1", amount: 150_000, callback_virtual_account_id: created.body.id });
  });

  it("lets a single-use virtual account be paid only once", async () => {
    const again = await fetch(`${sandbox.url}/sandbox/simulate/virtual-accounts/shop1-va-1/pay`, { method: "POST", headers: auth });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error_code: "VIRTUAL_ACCOUNT_ALREADY_PAID", message: expect.any(String) });
    expect(received("virtual-account-paid")).toHaveLength(1);
  });

  it("takes no payment once a VA or an Alfamart code has expired, and sends no callback", async () => {
    let clock = Date.now();
    const shop = await startServer((_req, res) => res.writeHead(200).end("ok"));
    const expiring = await startSandbox({ callbackUrls: urlsFor(shop), now: () => new Date(clock), expiryMs: 60 * 60_000 });
    const paidCallbacks = () => shop.requests.filter((r) => r.url === CALLBACK_PATHS["virtual-account-paid"] || r.url === CALLBACK_PATHS["retail-outlet-paid"]);
    try {
      const headers = { authorization: `Bearer ${API_KEY}` };
      const create = (path: string, fields: Record<string, string>) =>
        fetch(`${expiring.url}/api/v2/${path}`, { method: "POST", headers, body: new URLSearchParams(fields) });
      expect((await create("create-virtual-account", { bank_code: "BNI", name: "Siti", is_single_use: "true", amount: "150000", external_id: "late-va" })).status).toBe(200);
      expect((await create("create-retail-payment", { retail_outlet_name: "ALFAMART", name: "Siti", amount: "50000", external_id: "late-code" })).status).toBe(200);
      await expiring.callbacksSettled();

      clock += 60 * 60_000; // the hour is up
      const va = await fetch(`${expiring.url}/sandbox/simulate/virtual-accounts/late-va/pay`, { method: "POST", headers });
      expect(va.status).toBe(409);
      expect(await va.json()).toMatchObject({ error_code: "VIRTUAL_ACCOUNT_EXPIRED" });
      const code = await fetch(`${expiring.url}/sandbox/simulate/retail-payments/late-code/pay`, { method: "POST", headers });
      expect(code.status).toBe(409);
      expect(await code.json()).toMatchObject({ error_code: "PAYMENT_CODE_EXPIRED" });
      await expiring.callbacksSettled();
      expect(paidCallbacks()).toEqual([]);

      // A minute before the hour is up, both still take the customer's money.
      clock -= 2 * 60_000;
      expect((await fetch(`${expiring.url}/sandbox/simulate/virtual-accounts/late-va/pay`, { method: "POST", headers })).status).toBe(200);
      expect((await fetch(`${expiring.url}/sandbox/simulate/retail-payments/late-code/pay`, { method: "POST", headers })).status).toBe(200);
      await expiring.callbacksSettled();
      expect(paidCallbacks()).toHaveLength(2);
    } finally {
      await expiring.close();
      await shop.close();
    }
  });

  it("takes any number of payments on a reusable VA, with the amount the customer chose", async () => {
    await post("/api/v2/create-virtual-account", { bank_code: "BNI", name: "Toko Maju", is_single_use: "false", amount: "50000", external_id: "shop1-va-open" });
    sandbox.payVirtualAccount("shop1-va-open");
    sandbox.payVirtualAccount("shop1-va-open", 75_000, { senderName: "Budi" });
    await sandbox.callbacksSettled();
    const payloads = received("virtual-account-paid")
      .map((r) => CALLBACK_SCHEMAS["virtual-account-paid"].parse(r.payload))
      .filter((p) => p.external_id === "shop1-va-open");
    expect(payloads.map((p) => [p.amount, p.sender_name])).toEqual([
      [50_000, undefined],
      [75_000, "Budi"],
    ]);
    expect(new Set(payloads.map((p) => p.payment_id)).size).toBe(2);
  });

  it("tells the shop an Alfamart code was paid at the till", async () => {
    const rp = await post("/api/v2/create-retail-payment", { retail_outlet_name: "ALFAMART", name: "Siti Aminah", amount: "250000", external_id: "shop1-rp-1" });
    const pay = await fetch(`${sandbox.url}/sandbox/simulate/retail-payments/shop1-rp-1/pay`, { method: "POST", headers: auth });
    expect(pay.status).toBe(200);
    await sandbox.callbacksSettled();
    const [paid] = received("retail-outlet-paid");
    expect(documented("retail-outlet-paid", paid?.payload)).toMatchObject({
      external_id: "shop1-rp-1",
      payment_code: rp.body.payment_code,
      amount: 250_000,
      status: "COMPLETED",
      fixed_payment_code_id: rp.body.id,
    });
  });

  it("reports a disbursement completed, and another one failed with the bank's code", async () => {
    const fields = { bank_code: "BCA", account_name: "Dono Warkop", account_number: "1234567890", description: "Gaji", amount: "100000" };
    await post("/api/v2/create-disbursement", { ...fields, external_id: "shop1-d-ok" });
    await post("/api/v2/create-disbursement", { ...fields, external_id: "shop1-d-bad" });
    expect((await fetch(`${sandbox.url}/sandbox/simulate/disbursements/shop1-d-ok/complete`, { method: "POST", headers: auth })).status).toBe(200);
    const fail = await fetch(`${sandbox.url}/sandbox/simulate/disbursements/shop1-d-bad/fail`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ failure_code: "INVALID_DESTINATION" }),
    });
    expect(fail.status).toBe(200);
    // Settled once: a second outcome is refused.
    expect((await fetch(`${sandbox.url}/sandbox/simulate/disbursements/shop1-d-ok/fail`, { method: "POST", headers: auth })).status).toBe(409);
    await sandbox.callbacksSettled();
    const outcomes = received("disbursement").map((r) => documented("disbursement", r.payload));
    expect(outcomes.map((o) => [o.external_id, o.status, o.failure_code, o.amount])).toEqual([
      ["shop1-d-ok", "COMPLETED", undefined, 100_000],
      ["shop1-d-bad", "FAILED", "INVALID_DESTINATION", 100_000],
    ]);
  });

  it("lists every object and delivery on the read endpoints", async () => {
    const objects = (await (await fetch(`${sandbox.url}/sandbox/objects`, { headers: auth })).json()) as Record<string, { external_id: string }[]>;
    expect(objects.virtual_accounts?.map((v) => v.external_id)).toEqual(["shop1-va-1", "shop1-va-open"]);
    expect(objects.retail_payments?.map((v) => v.external_id)).toEqual(["shop1-rp-1"]);
    expect(objects.disbursements?.map((v) => v.external_id)).toEqual(["shop1-d-ok", "shop1-d-bad"]);
    const { deliveries } = (await (await fetch(`${sandbox.url}/sandbox/callbacks`, { headers: auth })).json()) as {
      deliveries: { event: string; state: string; attempts: { status?: number }[] }[];
    };
    expect(deliveries.length).toBe(receiver.requests.length);
    expect(deliveries.every((d) => d.state === "delivered" && d.attempts.length === 1 && d.attempts[0]?.status === 200)).toBe(true);
    expect((await fetch(`${sandbox.url}/sandbox/objects`)).status).toBe(401);
  });
});

describe("a receiver that fails", () => {
  it("gets the payment three times when it answers 500 twice then 200, and then no more", async () => {
    const flaky = await startServer((_req, res, index) => res.writeHead(index < 2 ? 500 : 200).end());
    const local = await startSandbox({ callbackRetry: { attempts: 5, baseDelayMs: 20 }, callbackUrls: { "virtual-account-paid": `${flaky.url}/callbacks/virtual-account-paid` } });
    try {
      await fetch(`${local.apiBaseUrl}/create-virtual-account`, {
        method: "POST",
        headers: auth,
        body: new URLSearchParams({ bank_code: "BNI", name: "Siti Aminah", is_single_use: "true", amount: "20000", external_id: "flaky-1" }),
      });
      const payment = local.payVirtualAccount("flaky-1");
      await local.callbacksSettled();
      expect(flaky.requests).toHaveLength(3);
      for (const r of flaky.requests) {
        expect(r.headers[CALLBACK_TOKEN_HEADER]).toBe(CALLBACK_TOKEN);
        expect(JSON.parse(r.body)).toEqual(payment);
      }
      // Well past the next backoff step (20, 40, then 80 ms): nothing more arrives.
      await new Promise((r) => setTimeout(r, 400));
      expect(flaky.requests).toHaveLength(3);
      const [delivery] = local.deliveries().filter((d) => d.event === "virtual-account-paid");
      expect(delivery?.state).toBe("delivered");
      expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    } finally {
      await local.close();
      await flaky.close();
    }
  });

  it("gives up after the configured attempts on a receiver that never succeeds, or is not there", async () => {
    const broken = await startServer((_req, res) => res.writeHead(503).end());
    const local = await startSandbox({
      callbackRetry: { attempts: 3, baseDelayMs: 10 },
      callbackUrls: { "virtual-account-created": `${broken.url}/callbacks/virtual-account-created`, "virtual-account-paid": "http://127.0.0.1:1/callbacks/virtual-account-paid" },
    });
    try {
      const res = await fetch(`${local.apiBaseUrl}/create-virtual-account`, {
        method: "POST",
        headers: auth,
        body: new URLSearchParams({ bank_code: "BNI", name: "Siti Aminah", is_single_use: "true", amount: "20000", external_id: "broken-1" }),
      });
      // The API answer does not wait for the receiver.
      expect(res.status).toBe(200);
      expect(local.deliveries()[0]?.state).toBe("pending");
      local.payVirtualAccount("broken-1");
      await local.callbacksSettled();
      expect(broken.requests).toHaveLength(3);
      const [created, paid] = local.deliveries();
      expect(created).toMatchObject({ state: "failed", attempts: [{ status: 503 }, { status: 503 }, { status: 503 }] });
      expect(paid?.state).toBe("failed");
      expect(paid?.attempts).toHaveLength(3);
      expect(paid?.attempts.every((a) => a.status === undefined && typeof a.error === "string")).toBe(true);
    } finally {
      await local.close();
      await broken.close();
    }
  });
});

describe("X-Idempotency-Key", () => {
  it("answers the same key with the same object, created once", async () => {
    const fields = { retail_outlet_name: "ALFAMART", name: "Siti Aminah", amount: "30000", external_id: "idem-1" };
    const first = await post("/api/v2/create-retail-payment", fields, { "x-idempotency-key": "pallabot-idem-1" });
    const second = await post("/api/v2/create-retail-payment", fields, { "x-idempotency-key": "pallabot-idem-1" });
    expect(first.status).toBe(200);
    expect(second).toEqual(first);
    expect(sandbox.objects().retail_payments.filter((r) => r.external_id === "idem-1")).toHaveLength(1);
    // Without the key, the same external_id is a duplicate.
    expect((await post("/api/v2/create-retail-payment", fields)).status).toBe(409);
    // The same key with other fields is refused rather than silently answered with the old object.
    const other = await post("/api/v2/create-retail-payment", { ...fields, amount: "40000" }, { "x-idempotency-key": "pallabot-idem-1" });
    expect(other).toEqual({ status: 400, body: { error_code: "IDEMPOTENCY_KEY_REUSED", message: expect.any(String) } });
  });
});
