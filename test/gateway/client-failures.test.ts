import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayClient } from "../../src/gateway/client.js";
import type { CreateVirtualAccountInput } from "../../src/gateway/types.js";
import { closedPort, startServer, type TestServer } from "../sandbox/support.js";
import { failure } from "./failure.js";

/**
 * What the client does when the other end is not a healthy Palladium: hand-rolled node:http servers
 * play a proxy's HTML page, a gateway that hangs, one that drifted from the docs, and one that just counts.
 */

const KEY = "pallapi_secret_development_ffffeeeeddddccccbbbbaaaa99998888";
const order: CreateVirtualAccountInput = { externalId: "order-77", bankCode: "BNI", name: "Siti Aminah", amount: 100_000, isSingleUse: true };
const goodAnswer = {
  id: "d718b709b87a83e0950eca8803a123f9",
  status: "pending",
  external_id: "order-77",
  bank_code: "BNI",
  account_name: "XDT-Siti Aminah",
  account_number: "8808999986203536",
  amount: 100000,
  is_single_use: true,
  expiration_date: "2052-12-23 00:00:00",
};

const servers: TestServer[] = [];
async function server(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const s = await startServer(...args);
  servers.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe("what the client sends", () => {
  let gateway: TestServer;
  beforeAll(async () => {
    gateway = await server((_req, res, index) => {
      if (index === 0) return void res.writeHead(503, { "content-type": "text/html" }).end("<html>maintenance</html>");
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(goodAnswer));
    });
  });

  it("sends the documented form with the Bearer key, and the same idempotency key on the retry", async () => {
    const client = createGatewayClient({ baseUrl: `${gateway.url}/api/v2/`, apiKey: KEY, backoffMs: 1 });
    const va = await client.createVirtualAccount(order);
    expect(va.expiresAt).toEqual(new Date("2052-12-22T17:00:00Z"));
    expect(gateway.requests).toHaveLength(2);
    for (const r of gateway.requests) {
      expect(r.method).toBe("POST");
      expect(r.url).toBe("/api/v2/create-virtual-account");
      expect(r.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(r.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      expect(r.headers["x-idempotency-key"]).toBe("pallabot-order-77");
      expect(Object.fromEntries(new URLSearchParams(r.body))).toEqual({
        bank_code: "BNI",
        name: "Siti Aminah",
        is_single_use: "true",
        amount: "100000",
        external_id: "order-77",
      });
    }
  });
});

describe("answers that are not the documented JSON", () => {
  it.each([
    ["an HTML page with 200", 200, "text/html", "<html><body>Welcome to nginx!</body></html>"],
    ["JSON of the wrong shape", 200, "application/json", JSON.stringify({ ok: true, data: goodAnswer })],
    ["an amount as a decimal", 200, "application/json", JSON.stringify({ ...goodAnswer, amount: 100000.5 })],
    ["an answer for another external_id", 200, "application/json", JSON.stringify({ ...goodAnswer, external_id: "order-78" })],
    ["a 400 with an HTML body", 400, "text/html", "<html>Bad Request</html>"],
    ["a 403 from a firewall page", 403, "text/html", "<html>Access denied</html>"],
    ["a redirect", 302, "text/html", ""],
  ])("UNEXPECTED_RESPONSE for %s, and no retry", async (_name, status, contentType, body) => {
    const gateway = await server((_req, res) => res.writeHead(status, { "content-type": contentType, location: "/elsewhere" }).end(body));
    const client = createGatewayClient({ baseUrl: gateway.url, apiKey: KEY, backoffMs: 1 });
    const error = await failure(client.createVirtualAccount(order));
    expect(error.code).toBe("UNEXPECTED_RESPONSE");
    expect(error.details.httpStatus).toBe(status);
    expect(gateway.requests).toHaveLength(1);
  });

  it("reads an expiry written another way, and hands out a VA whose expiry cannot be read without one (it exists at the gateway by now)", async () => {
    const expiries = ["2052-12-22T17:00:00.000Z", "2052-12-23 00:00:00+07:00", 2_503_242_000, "23/12/2052", "0000-00-00 00:00:00", null, undefined];
    const gateway = await server((_req, res, index) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ...goodAnswer, expiration_date: expiries[index] })),
    );
    const client = createGatewayClient({ baseUrl: gateway.url, apiKey: KEY });
    const read: Array<string | undefined> = [];
    for (let i = 0; i < expiries.length; i++) read.push((await client.createVirtualAccount(order)).expiresAt?.toISOString());
    expect(read).toEqual(["2052-12-22T17:00:00.000Z", "2052-12-22T17:00:00.000Z", "2049-04-28T17:00:00.000Z", undefined, undefined, undefined, undefined]);
    expect(gateway.requests).toHaveLength(expiries.length);
  });

  it("reads digit-string amounts and string flags, as a drifting gateway might send them", async () => {
    const gateway = await server((_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ...goodAnswer, amount: "100000", is_single_use: "true" })),
    );
    const va = await createGatewayClient({ baseUrl: gateway.url, apiKey: KEY }).createVirtualAccount(order);
    expect(va).toMatchObject({ amount: 100_000, isSingleUse: true });
  });
});

describe("a gateway that is not there", () => {
  it("UNAVAILABLE after the bounded attempts when the connection is refused", async () => {
    const port = await closedPort();
    const waits: number[] = [];
    const client = createGatewayClient({
      baseUrl: `http://127.0.0.1:${port}/api/v2`,
      apiKey: KEY,
      maxAttempts: 4,
      backoffMs: 100,
      random: () => 0.5,
      sleep: async (ms) => void waits.push(ms),
    });
    const error = await failure(client.createVirtualAccount(order));
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.details.attempts).toBe(4);
    expect(error.message).toContain("ECONNREFUSED");
    // Exponential with jitter: 100, 200, 400 ms steps, each between half and all of its step.
    expect(waits).toEqual([75, 150, 300]);
  });

  it("UNAVAILABLE when the gateway never answers, after one timeout per attempt", async () => {
    const silent = await server(() => undefined);
    const client = createGatewayClient({ baseUrl: silent.url, apiKey: KEY, timeoutMs: 150, maxAttempts: 2, backoffMs: 1 });
    const error = await failure(client.createRetailPayment({ externalId: "hang-1", retailOutletName: "ALFAMART", name: "Budi", amount: 20_000 }));
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toContain("no answer within 150 ms");
    expect(silent.requests).toHaveLength(2);
  });

  it("UNAVAILABLE when the connection is dropped mid-request", async () => {
    const dropper = await server((_req, res) => res.socket?.destroy());
    const client = createGatewayClient({ baseUrl: dropper.url, apiKey: KEY, maxAttempts: 2, backoffMs: 1 });
    const error = await failure(client.createVirtualAccount(order));
    expect(error.code).toBe("UNAVAILABLE");
    expect(dropper.requests).toHaveLength(2);
  });

  it("tells a 409 after a retry apart: the first attempt may have created it", async () => {
    const gateway = await server((_req, res, index) =>
      index === 0
        ? res.writeHead(504).end()
        : res.writeHead(409, { "content-type": "application/json" }).end(JSON.stringify({ error_code: "DUPLICATE_EXTERNAL_ID", message: "used" })),
    );
    const error = await failure(createGatewayClient({ baseUrl: gateway.url, apiKey: KEY, backoffMs: 1 }).createVirtualAccount(order));
    expect(error.code).toBe("DUPLICATE_EXTERNAL_ID");
    expect(error.details.attempts).toBe(2);
  });
});

describe("input refused before it is sent", () => {
  let counting: TestServer;
  beforeAll(async () => {
    counting = await server((_req, res) => res.writeHead(500).end());
  });

  it.each([
    ["an amount under the minimum", { ...order, amount: 9_999 }, "amount_too_small", "amount"],
    ["an amount over BCA's maximum", { ...order, bankCode: "BCA" as const, amount: 50_000_001 }, "amount_too_large", "amount"],
    ["an amount with sen", { ...order, amount: 10_000.5 }, "amount_not_integer", "amount"],
    ["a name with digits", { ...order, name: "Siti 2" }, "name_bad_characters", "name"],
    ["a name with a bank in it", { ...order, name: "BCA Siti" }, "name_institution", "name"],
    ["an empty name", { ...order, name: "  " }, "name_empty", "name"],
    ["an unknown bank", { ...order, bankCode: "BRI" as never }, "unknown_bank", "bank_code"],
    ["a long external_id", { ...order, externalId: "x".repeat(65) }, "external_id_invalid", "external_id"],
    ["a missing flag", { ...order, isSingleUse: undefined as never }, "is_single_use_invalid", "is_single_use"],
  ])("INVALID_INPUT for %s", async (_name, input, reason, field) => {
    const client = createGatewayClient({ baseUrl: counting.url, apiKey: KEY });
    const error = await failure(client.createVirtualAccount(input));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.details).toMatchObject({ reason, field });
  });

  it("INVALID_INPUT for Alfamart and disbursement inputs too", async () => {
    const client = createGatewayClient({ baseUrl: counting.url, apiKey: KEY });
    const retail = await failure(client.createRetailPayment({ externalId: "r-1", retailOutletName: "ALFAMART", name: "Budi", amount: 5_000_001 }));
    expect(retail.details).toMatchObject({ reason: "amount_too_large", field: "amount" });
    const base = { externalId: "d-1", bankCode: "BCA" as const, accountName: "Dono", accountNumber: "1234567890", description: "Gaji", amount: 50_000 };
    const cases = [
      [{ ...base, accountNumber: "12345678" }, "account_number_length"],
      [{ ...base, accountNumber: "12345abcde" }, "account_number_not_digits"],
      [{ ...base, description: "" }, "description_invalid"],
      [{ ...base, emailTo: "not-an-email" }, "email_invalid"],
      [{ ...base, amount: 100_000_001 }, "amount_too_large"],
    ] as const;
    for (const [input, reason] of cases) {
      const error = await failure(client.createDisbursement(input));
      expect(error.code).toBe("INVALID_INPUT");
      expect(error.details.reason).toBe(reason);
    }
  });

  it("sent nothing to the network for any of them", () => {
    expect(counting.requests).toHaveLength(0);
  });
});

describe("logs", () => {
  it("never carry the API key, even while retrying", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const gateway = await server((_req, res) => res.writeHead(500).end("boom"));
    const client = createGatewayClient({ baseUrl: gateway.url, apiKey: KEY, backoffMs: 1, logger: pino({ level: "trace" }, sink) });
    const error = await failure(client.createVirtualAccount(order));
    expect(error.code).toBe("UNAVAILABLE");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.join("\n")).not.toContain(KEY);
    expect(JSON.stringify(error)).not.toContain(KEY);
  });
});

describe("numbers the bank reads digit by digit", () => {
  it("an account number answered as a JSON number is not read (its leading 0 is gone), not taken for another account", async () => {
    const gateway = await server((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ...goodAnswer, account_number: 8808123456789 })));
    const error = await failure(createGatewayClient({ baseUrl: gateway.url, apiKey: KEY, backoffMs: 1 }).createVirtualAccount(order));
    expect(error.code).toBe("UNEXPECTED_RESPONSE");
  });
});
