import { afterEach, expect, it } from "vitest";
import type { Message } from "grammy/types";
import { CASHIER, startWorld, textOf, type World } from "./world.js";

/**
 * The gateway made the VA but answered slowly, and a restart cut the press off; the cashier presses again, and
 * the gateway answers 409 under a code of its own ("EXTERNAL_ID_ALREADY_USED", not DUPLICATE_EXTERNAL_ID).
 * The external_id was the cut-off press's, so the 409 is its VA: not "refused, nothing made". Found by the
 * review of the change that reads a 409 as a duplicate only when its code says so.
 */

let world: World;
afterEach(async () => {
  await world?.close();
});

it("after a restart cut off a create, the press again gets 'external_id used' 409 under another code: the cashier is not told nothing was made", async () => {
  world = await startWorld({ staff: [CASHIER] });
  const vaCreates = () => world.sandbox.stats().createRequests["create-virtual-account"];
  const askBank = await world.say(CASHIER, "/va");
  await world.press(CASHIER, askBank, { text: "BCA" });
  await world.say(CASHIER, "Siti Aminah");
  const askSingle = await world.say(CASHIER, "150rb");
  const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
  // The gateway makes the VA but is slow to say so; the bot is stopped meanwhile (a deploy).
  world.sandbox.injectFault({ endpoint: "create-virtual-account", when: "after", delayMs: 4_000, times: 1 });
  world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
  const deadline = Date.now() + 5_000;
  while (vaCreates() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await world.restart({ graceMs: 100 });
  // A gateway that names its duplicate otherwise (not "DUPLICATE"), and keeps no idempotency replay.
  world.sandbox.injectFault({
    endpoint: "create-virtual-account",
    when: "before",
    status: 409,
    body: JSON.stringify({ error_code: "EXTERNAL_ID_ALREADY_USED", message: "external_id is already used" }),
    contentType: "application/json",
  });
  world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
  const answer = await world.telegram.waitFor((c) => c.method === "sendMessage" && c.response.ok && /Layanan pembayaran|Jawaban layanan/.test(textOf((c.response as { result: Message }).result)), { timeoutMs: 3_500, description: "the answer to the press" });
  const said = textOf((answer.response as { result: Message }).result);
  expect(world.sandbox.objects().virtual_accounts).toHaveLength(1);
  expect(said).not.toContain("menolak data ini");
});
