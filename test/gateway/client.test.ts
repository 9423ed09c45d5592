import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayClient } from "../../src/gateway/client.js";
import type { GatewayClient } from "../../src/gateway/types.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { API_KEY, startSandbox } from "../sandbox/support.js";
import { failure } from "./failure.js";

/** The bot's gateway client against the sandbox, over real HTTP: what a cashier's request turns into. */

let sandbox: Sandbox;
let client: GatewayClient;
beforeAll(async () => {
  sandbox = await startSandbox({ now: () => new Date("2026-11-25T03:00:00Z"), expiryMs: 24 * 3600_000 });
  client = createGatewayClient({ baseUrl: sandbox.apiBaseUrl, apiKey: API_KEY, timeoutMs: 2_000, backoffMs: 5 });
});
afterAll(async () => {
  await sandbox.close();
});

describe("creating payments through the gateway client", () => {
  it("gets a BCA virtual account for a cashier's customer, with the expiry in Jakarta time", async () => {
    const va = await client.createVirtualAccount({ externalId: "kasir-1", bankCode: "BCA", name: "  Siti   Aminah ", amount: 150_000, isSingleUse: true });
    expect(va).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      status: "pending",
      externalId: "kasir-1",
      bankCode: "BCA",
      accountName: "XDT-Siti Aminah",
      accountNumber: expect.stringMatching(/^\d{16}$/),
      amount: 150_000,
      isSingleUse: true,
      // Created 10:00 WIB, valid for a day: the answer says "2026-11-26 10:00:00", which is 03:00Z.
      expiresAt: new Date("2026-11-26T03:00:00Z"),
    });
    expect(sandbox.objects().virtual_accounts[0]).toMatchObject({ expiration_date: "2026-11-26 10:00:00", account_number: va.accountNumber });
  });

  it("gets an Alfamart payment code", async () => {
    const rp = await client.createRetailPayment({ externalId: "kasir-2", retailOutletName: "ALFAMART", name: "Budi", amount: 75_000 });
    expect(rp).toMatchObject({ externalId: "kasir-2", retailOutletName: "ALFAMART", name: "Budi", amount: 75_000, isSingleUse: false, status: "pending" });
    expect(rp.paymentCode).toMatch(/^TEST\d{6}$/);
    expect(rp.expiresAt).toBeInstanceOf(Date);
  });

  it("sends a disbursement with the optional emails", async () => {
    const d = await client.createDisbursement({
      externalId: "owner-d-1",
      bankCode: "BNI",
      accountName: "Dono Warkop",
      accountNumber: "0123456789",
      description: "Bayar supplier",
      amount: 2_500_000,
      emailTo: "dono@example.com",
      emailCc: "owner@example.com",
    });
    expect(d).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      status: "pending",
      externalId: "owner-d-1",
      bankCode: "BNI",
      accountName: "Dono Warkop",
      accountNumber: "0123456789",
      description: "Bayar supplier",
      amount: 2_500_000,
    });
  });
});

describe("the gateway's refusals, as codes the bot can act on", () => {
  it("BAD_KEY when the key is wrong, without the key in the error", async () => {
    const wrongKey = "pallapi_secret_development_wrong_wrong_wrong";
    const bad = createGatewayClient({ baseUrl: sandbox.apiBaseUrl, apiKey: wrongKey, backoffMs: 5 });
    const error = await failure(bad.createRetailPayment({ externalId: "k-1", retailOutletName: "ALFAMART", name: "Budi", amount: 20_000 }));
    expect(error.code).toBe("BAD_KEY");
    expect(error.details).toMatchObject({ httpStatus: 401, gatewayErrorCode: "INVALID_API_KEY", attempts: 1 });
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(wrongKey);
  });

  it("DUPLICATE_EXTERNAL_ID when the external_id was used by another request", async () => {
    // A different key (another integration, or an older bot) made it first: the idempotency key differs.
    await fetch(`${sandbox.apiBaseUrl}/create-virtual-account`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}` },
      body: new URLSearchParams({ bank_code: "BNI", name: "Siti", is_single_use: "true", amount: "20000", external_id: "taken-1" }),
    });
    const error = await failure(client.createVirtualAccount({ externalId: "taken-1", bankCode: "BNI", name: "Siti", amount: 20_000, isSingleUse: true }));
    expect(error.code).toBe("DUPLICATE_EXTERNAL_ID");
    expect(error.details).toMatchObject({ httpStatus: 409, gatewayErrorCode: "DUPLICATE_EXTERNAL_ID", attempts: 1 });
  });

  it("VALIDATION with the gateway's message when the gateway refuses a field our table allowed", async () => {
    // The sandbox checks account numbers loosely, the client per bank: a 10-digit BRI number passes
    // neither, so the client refuses first. Here the gateway is the one to refuse, through a fault.
    sandbox.injectFault({
      endpoint: "create-disbursement",
      when: "before",
      status: 400,
      body: JSON.stringify({ error_code: "API_VALIDATION_ERROR", message: "account_number is not registered at the bank" }),
      contentType: "application/json",
    });
    const error = await failure(
      client.createDisbursement({ externalId: "owner-d-2", bankCode: "BCA", accountName: "Dono", accountNumber: "1234567890", description: "Gaji", amount: 50_000 }),
    );
    expect(error.code).toBe("VALIDATION");
    expect(error.details).toMatchObject({ httpStatus: 400, gatewayErrorCode: "API_VALIDATION_ERROR", gatewayMessage: "account_number is not registered at the bank" });
  });

  it("the gateway's message for the chat is its lines without a stack trace, 200 characters at most; the error's own message keeps it all", async () => {
    // Found by a review of gateway faults: a gateway in trouble pasted its stack (and two thousand
    // characters of JSON) into `message`, and all of it reached the owner's chat.
    const stack = "Validation failed: {\"account_number\":[\"invalid\"]}\n    at validate (/srv/pallapi/app/disbursement.js:120:11)\n    at next (/srv/pallapi/node_modules/express/lib/router/route.js:149:13)";
    const oneLine = "amount must be at least 10000 at check (/srv/pallapi/app/limits.js:7:3) at run (node:internal/process:1:1)";
    const long = `${"account_number ".repeat(40)}end`;
    const cases: Array<[string, string]> = [
      [stack, 'Validation failed: {"account_number":["invalid"]}'],
      [oneLine, "amount must be at least 10000"],
      ["\n\n  Saldo   tidak cukup  \n", "Saldo tidak cukup"],
      ["at 10:00 the bank at the corner was closed", "at 10:00 the bank at the corner was closed"],
      // A heading and its reason on the next line; a sentence naming a path is not a stack frame.
      ["Request validation failed:\naccount_number: not registered at BCA", "Request validation failed: account_number: not registered at BCA"],
      ["amount 5000 is below the minimum of 10000 at /v2/disbursements for BCA", "amount 5000 is below the minimum of 10000 at /v2/disbursements for BCA"],
    ];
    for (const [message, shown] of cases) {
      sandbox.injectFault({ endpoint: "create-disbursement", when: "before", status: 400, body: JSON.stringify({ error_code: "API_VALIDATION_ERROR", message }), contentType: "application/json" });
      const error = await failure(
        client.createDisbursement({ externalId: "owner-d-3", bankCode: "BCA", accountName: "Dono", accountNumber: "1234567890", description: "Gaji", amount: 50_000 }),
      );
      expect(error.details.gatewayMessage).toBe(shown);
      expect(error.message).toContain(message.trim().split("\n")[0]);
    }
    sandbox.injectFault({ endpoint: "create-disbursement", when: "before", status: 400, body: JSON.stringify({ error_code: "API_VALIDATION_ERROR", message: long }), contentType: "application/json" });
    const error = await failure(
      client.createDisbursement({ externalId: "owner-d-4", bankCode: "BCA", accountName: "Dono", accountNumber: "1234567890", description: "Gaji", amount: 50_000 }),
    );
    expect(Array.from(error.details.gatewayMessage ?? "")).toHaveLength(200);
    expect(error.details.gatewayMessage?.endsWith("…")).toBe(true);
    expect(error.message).toContain(`${long}`);
  });

  it("VALIDATION from the sandbox's own rules, for a caller that skips the client's checks", async () => {
    const res = await fetch(`${sandbox.apiBaseUrl}/create-retail-payment`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}` },
      body: new URLSearchParams({ retail_outlet_name: "ALFAMART", name: "Budi", amount: "9000", external_id: "too-small" }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error_code: "API_VALIDATION_ERROR", message: "amount must be at least 10000" });
  });

  it("UNAVAILABLE when every attempt gets a 5xx, after exactly maxAttempts requests", async () => {
    const before = sandbox.stats().createRequests["create-retail-payment"];
    sandbox.injectFault({ endpoint: "create-retail-payment", when: "before", status: 502, body: "<html>Bad Gateway</html>", times: 3 });
    const error = await failure(client.createRetailPayment({ externalId: "down-1", retailOutletName: "ALFAMART", name: "Budi", amount: 20_000 }));
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.details).toMatchObject({ httpStatus: 502, attempts: 3 });
    expect(sandbox.stats().createRequests["create-retail-payment"] - before).toBe(3);
    expect(sandbox.objects().retail_payments.some((r) => r.external_id === "down-1")).toBe(false);
  });
});

describe("a sandbox that hangs", () => {
  it("is UNAVAILABLE after one timeout per attempt, and nothing was created", async () => {
    sandbox.injectFault({ endpoint: "create-virtual-account", when: "before", hang: true, times: 2 });
    const impatient = createGatewayClient({ baseUrl: sandbox.apiBaseUrl, apiKey: API_KEY, timeoutMs: 150, maxAttempts: 2, backoffMs: 1 });
    const error = await failure(impatient.createVirtualAccount({ externalId: "hang-1", bankCode: "BNI", name: "Siti", amount: 20_000, isSingleUse: true }));
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.details.attempts).toBe(2);
    expect(sandbox.objects().virtual_accounts.some((v) => v.external_id === "hang-1")).toBe(false);
  });
});

describe("retries that never create a second object", () => {
  it("finds the original VA when the first answer was lost after the gateway created it", async () => {
    const before = sandbox.stats().createRequests["create-virtual-account"];
    sandbox.injectFault({ endpoint: "create-virtual-account", when: "after", status: 503 });
    const va = await client.createVirtualAccount({ externalId: "retry-1", bankCode: "BNI", name: "Siti Aminah", amount: 500_000, isSingleUse: true });
    expect(sandbox.stats().createRequests["create-virtual-account"] - before).toBe(2);
    const mine = sandbox.objects().virtual_accounts.filter((v) => v.external_id === "retry-1");
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: va.id, account_number: va.accountNumber });
    // One "created" callback, not two.
    expect(sandbox.deliveries().filter((d) => d.event === "virtual-account-created" && d.payload.external_id === "retry-1")).toHaveLength(1);
  });

  it("finds the original after a connection reset, and after a slow answer that timed out", async () => {
    sandbox.injectFault({ endpoint: "create-retail-payment", when: "after", status: 0 });
    const reset = await client.createRetailPayment({ externalId: "retry-2", retailOutletName: "ALFAMART", name: "Budi", amount: 20_000 });
    const slowClient = createGatewayClient({ baseUrl: sandbox.apiBaseUrl, apiKey: API_KEY, timeoutMs: 200, backoffMs: 5 });
    sandbox.injectFault({ endpoint: "create-retail-payment", when: "after", delayMs: 1_000 });
    const slow = await slowClient.createRetailPayment({ externalId: "retry-3", retailOutletName: "ALFAMART", name: "Budi", amount: 20_000 });
    const codes = sandbox.objects().retail_payments.filter((r) => r.external_id === "retry-2" || r.external_id === "retry-3");
    expect(codes.map((c) => [c.external_id, c.payment_code])).toEqual([
      ["retry-2", reset.paymentCode],
      ["retry-3", slow.paymentCode],
    ]);
  });

  it("creates it on the retry when the first attempt failed before the gateway did anything", async () => {
    sandbox.injectFault({ endpoint: "create-disbursement", when: "before", status: 500 });
    const d = await client.createDisbursement({ externalId: "retry-4", bankCode: "BCA", accountName: "Dono", accountNumber: "1234567890", description: "Gaji", amount: 50_000 });
    expect(sandbox.objects().disbursements.filter((x) => x.external_id === "retry-4").map((x) => x.id)).toEqual([d.id]);
  });
});
