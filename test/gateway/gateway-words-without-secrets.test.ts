import { afterAll, describe, expect, it } from "vitest";
import { createGatewayClient } from "../../src/gateway/client.js";
import { createSecretList } from "../../src/logger.js";
import type { CreateDisbursementInput, CreateVirtualAccountInput } from "../../src/gateway/types.js";
import { startServer, type TestServer } from "../sandbox/support.js";
import { failure } from "./failure.js";

/**
 * A gateway (or a proxy in front of it) that echoes what it was sent back in its error text: the client
 * hands that text on to the chat, so it must never carry the merchant's API key or any credential.
 */

const KEY = "pallapi_secret_live_REVIEWKEY_0123456789abcdef";
const order: CreateVirtualAccountInput = { externalId: "order-echo", bankCode: "BCA", name: "Dewi Lestari", amount: 250_000, isSingleUse: true };
const transfer: CreateDisbursementInput = {
  externalId: "payout-echo",
  bankCode: "BCA",
  accountName: "Budi Santoso",
  accountNumber: "1234567890",
  description: "Gaji",
  amount: 100_000,
};

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** A gateway that answers every request with `status` and an error body quoting the request's Authorization. */
async function echoingGateway(status: number, say: (authorization: string) => { error_code: string; message: string }): Promise<TestServer> {
  const s = await startServer((req, res) => {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(say(String(req.headers.authorization ?? ""))));
  });
  servers.push(s);
  return s;
}

function everyWordOf(error: { message: string; details: object }): string {
  return `${error.message}\n${JSON.stringify(error.details)}`;
}

describe("the gateway's own words reach the cashier without the merchant's secrets", () => {
  it("a 400 quoting the Authorization header: the message and gatewayMessage keep the words but not the key", async () => {
    const gateway = await echoingGateway(400, (auth) => ({ error_code: "API_VALIDATION_ERROR", message: `Invalid request. headers: Authorization=${auth}` }));
    const client = createGatewayClient({ baseUrl: `${gateway.url}/api/v2`, apiKey: KEY });
    const error = await failure(client.createVirtualAccount(order));
    // The server really was sent the key (so the echo did carry it).
    expect(gateway.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(error.code).toBe("VALIDATION");
    expect(error.details.gatewayMessage).toContain("Invalid request. headers: Authorization=");
    expect(everyWordOf(error)).not.toContain(KEY);
    expect(everyWordOf(error)).not.toContain("REVIEWKEY");
    expect(error.details.gatewayMessage).toBe("Invalid request. headers: Authorization=Bearer [REDACTED]");
  });

  it("a 400 quoting the bot's other secrets (the bot token, the callback token): none of them reaches the words", async () => {
    const botToken = "987654321:AAHqVbotTokenForReview0123456789abc";
    const callbackToken = "cbTOKENvalue_7777abcdef";
    const gateway = await echoingGateway(400, () => ({ error_code: "API_VALIDATION_ERROR", message: `bad: callback ${callbackToken} bot ${botToken} ${encodeURIComponent(botToken)}` }));
    const client = createGatewayClient({ baseUrl: `${gateway.url}/api/v2`, apiKey: KEY, otherSecrets: createSecretList([botToken, callbackToken]) });
    const error = await failure(client.createVirtualAccount(order));
    expect(everyWordOf(error)).not.toContain(botToken);
    expect(everyWordOf(error)).not.toContain(encodeURIComponent(botToken));
    expect(everyWordOf(error)).not.toContain(callbackToken);
    expect(error.details.gatewayMessage).toContain("bad: callback ");
  });

  it("a 401 naming the refused key: BAD_KEY, and the key is not in its words", async () => {
    const gateway = await echoingGateway(401, (auth) => ({ error_code: "INVALID_API_KEY", message: `API key ${auth.replace("Bearer ", "")} is invalid` }));
    const client = createGatewayClient({ baseUrl: `${gateway.url}/api/v2`, apiKey: KEY });
    const error = await failure(client.createVirtualAccount(order));
    expect(error.code).toBe("BAD_KEY");
    expect(everyWordOf(error)).not.toContain(KEY);
    expect(error.details.gatewayMessage).toBe("API key [REDACTED] is invalid");
  });

  it("a 400 on a transfer quoting the key URL-encoded and in the error code: none of it is passed on", async () => {
    const gateway = await echoingGateway(400, () => ({
      error_code: `BAD_${KEY}`,
      message: `see https://pallapi.com/debug?key=${encodeURIComponent(KEY)}`,
    }));
    const client = createGatewayClient({ baseUrl: `${gateway.url}/api/v2`, apiKey: KEY });
    const error = await failure(client.createDisbursement(transfer));
    expect(error.code).toBe("VALIDATION");
    expect(everyWordOf(error)).not.toContain(KEY);
    expect(everyWordOf(error)).not.toContain(encodeURIComponent(KEY));
  });

  it("credentials that are not our key, as a proxy might echo them (Bearer or Basic), are hidden too", async () => {
    const gateway = await echoingGateway(409, () => ({
      error_code: "DUPLICATE_EXTERNAL_ID",
      message: "upstream said: authorization: Basic dXNlcjpwYXNzd29yZA== and bearer eyJhbGciOiJIUzI1NiJ9.e30.abc-_ then stopped",
    }));
    const client = createGatewayClient({ baseUrl: `${gateway.url}/api/v2`, apiKey: KEY });
    const error = await failure(client.createVirtualAccount(order));
    expect(error.code).toBe("DUPLICATE_EXTERNAL_ID");
    expect(everyWordOf(error)).not.toContain("dXNlcjpwYXNzd29yZA==");
    expect(everyWordOf(error)).not.toContain("eyJhbGciOiJIUzI1NiJ9");
    expect(error.details.gatewayMessage).toBe("upstream said: authorization: Basic [REDACTED] and bearer [REDACTED] then stopped");
  });

  it("part of the key, or the header base64-encoded, is hidden as the whole key is; the order's own words stay", async () => {
    const gateway = await echoingGateway(400, (auth) => ({
      error_code: "API_VALIDATION_ERROR",
      message: `key ${KEY.slice(0, 30)}... invalid for order-echo; auth was ${Buffer.from(auth).toString("base64")}; tail ${KEY.slice(-10).toUpperCase()}`,
    }));
    const client = createGatewayClient({ baseUrl: `${gateway.url}/api/v2`, apiKey: KEY });
    const error = await failure(client.createVirtualAccount(order));
    expect(error.code).toBe("VALIDATION");
    expect(everyWordOf(error)).not.toContain("REVIEWKEY");
    expect(everyWordOf(error)).not.toContain(Buffer.from(`Bearer ${KEY}`).toString("base64").slice(0, 12));
    expect(everyWordOf(error).toLowerCase()).not.toContain(KEY.slice(-10).toLowerCase());
    expect(error.details.gatewayMessage).toBe("key [REDACTED] invalid for order-echo; auth was [REDACTED]; tail [REDACTED]");
  });

  const base64Echoes: [string, (auth: string) => string][] = [
    ["ending a sentence", (auth) => `Invalid Authorization header ${Buffer.from(auth).toString("base64")}.`],
    ["cut short with '...'", (auth) => `auth ${Buffer.from(auth).toString("base64").slice(0, 64)}... rejected`],
    ["after 'auth='", (auth) => `rejected auth=${Buffer.from(auth).toString("base64")}`],
    ["run on from a word", (auth) => `rejected header${Buffer.from(auth).toString("base64")}`],
  ];
  for (const [where, say] of base64Echoes) {
    it(`the header base64-encoded ${where} is hidden: nothing in the words decodes to the key`, async () => {
      const gateway = await echoingGateway(400, (auth) => ({ error_code: "API_VALIDATION_ERROR", message: say(auth) }));
      const client = createGatewayClient({ baseUrl: `${gateway.url}/api/v2`, apiKey: KEY });
      const error = await failure(client.createVirtualAccount(order));
      const words = String(error.details.gatewayMessage);
      expect(words).toContain("[REDACTED]");
      for (const b64 of words.match(/[A-Za-z0-9+/]{12,}/g) ?? []) {
        for (let offset = 0; offset < 4; offset++) expect(Buffer.from(b64.slice(offset), "base64").toString("latin1")).not.toContain("REVIEWKEY");
      }
    });
  }

  it("the words every key of its kind opens with (development, production, secret) are not taken for the key", async () => {
    const words = "pallapi_secret_development keys are refused in production; use sandbox_mode";
    const gateway = await echoingGateway(400, () => ({ error_code: "API_VALIDATION_ERROR", message: words }));
    for (const apiKey of ["pallapi_secret_development_90f9c69a09ee36d31a1b734d75d8fa74", "pallapi_secret_production_0a1b2c3d4e5f60718293a4b5c6d7e8f9"]) {
      const client = createGatewayClient({ baseUrl: `${gateway.url}/api/v2`, apiKey });
      const error = await failure(client.createVirtualAccount(order));
      expect(error.details.gatewayMessage).toBe(words);
    }
  });

  it("ordinary words after Basic or Bearer are left as the gateway wrote them", async () => {
    const words = "Basic information required; Bearer token missing";
    const gateway = await echoingGateway(400, () => ({ error_code: "API_VALIDATION_ERROR", message: words }));
    const client = createGatewayClient({ baseUrl: `${gateway.url}/api/v2`, apiKey: KEY });
    const error = await failure(client.createVirtualAccount(order));
    expect(error.details.gatewayMessage).toBe(words);
  });
});
