import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGatewayClient } from "../../src/gateway/client.js";
import { startServer, type TestServer } from "../sandbox/support.js";
import { CASHIER, startWorld, textOf, type World } from "./world.js";

/**
 * A gateway that quotes the request's Authorization header back in its refusal: the cashier reads the
 * refusal in the chat, and it must not hand the merchant's live API key to everyone in that chat.
 */

const LIVE_KEY = "pallapi_secret_live_CHATKEY_0123456789abcdef";

let world: World;
let echoing: TestServer;
beforeEach(async () => {
  echoing = await startServer((req, res) => {
    res.writeHead(400, { "content-type": "application/json" }).end(
      JSON.stringify({ error_code: "API_VALIDATION_ERROR", message: `Invalid request. headers: Authorization=${String(req.headers.authorization)}` }),
    );
  });
  const gateway = createGatewayClient({ baseUrl: `${echoing.url}/api/v2`, apiKey: LIVE_KEY, maxAttempts: 1 });
  world = await startWorld({ staff: [CASHIER], botDeps: { gateway } });
});
afterEach(async () => {
  await world.close();
  await echoing.close();
});

describe("the gateway's refusal in the chat", () => {
  it("the cashier reads why the gateway refused a BCA virtual account, without the merchant's API key", async () => {
    const askBank = await world.say(CASHIER, "/va");
    await world.press(CASHIER, askBank, { text: "BCA" });
    await world.say(CASHIER, "Dewi Lestari");
    const askSingle = await world.say(CASHIER, "250rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    const refused = await world.press(CASHIER, summary, { text: "✅ Buat sekarang" });

    // The gateway was sent the key, and quoted it back.
    expect(echoing.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${LIVE_KEY}`]);
    expect(textOf(refused)).toContain("menolak data ini: Invalid request. headers: Authorization=Bearer [REDACTED]");
    const everythingSent = world.telegram.calls.map((c) => JSON.stringify(c.payload)).join("\n");
    expect(everythingSent).toContain("Invalid request");
    expect(everythingSent).not.toContain(LIVE_KEY);
    expect(everythingSent).not.toContain("CHATKEY");
  });
});
