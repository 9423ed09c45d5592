import type { Message } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { createI18n } from "../../src/i18n.js";
import { CASHIER, OWNER, startWorld, textOf, type World } from "./world.js";

/**
 * The shop's people use the bot at the same time: one cashier's create waiting on a slow payment service
 * must not hold up anyone else (long polling used to take one update after another), and one person's own
 * updates still go in order (in webhook mode Telegram delivers them in parallel), so a /cancel sent while
 * their create is in hand is answered after it, truthfully.
 */
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const i18n = createI18n();

async function cashierAtSummary(w: World): Promise<Message> {
  const askBank = await w.say(CASHIER, "/va");
  await w.press(CASHIER, askBank, { text: "BCA" });
  await w.say(CASHIER, "Siti Aminah");
  const askSingle = await w.say(CASHIER, "150rb");
  return w.press(CASHIER, askSingle, { text: "Sekali bayar" });
}

describe("several people at once", () => {
  it("answers the owner while a cashier's create waits on a slow payment service", async () => {
    world = await startWorld({ staff: [CASHIER] });
    const summary = await cashierAtSummary(world);
    world.sandbox.injectFault({ endpoint: "create-virtual-account", when: "before", delayMs: 3_000 });
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const w = world;
    const photo = w.telegram.waitFor((c) => c.method === "sendPhoto" && c.response.ok && (c.response.result as Message).chat.id === CASHIER.id, {
      timeoutMs: 20_000,
      description: "the cashier's VA photo",
    });

    world.telegram.sendText(OWNER, { id: OWNER.id, type: "private" }, "/pembayaran");
    const list = await world.telegram.waitForBotMessage(OWNER.id, { timeoutMs: 20_000 });
    // Answered while the cashier's VA was still being made, not after it.
    expect(world.sandbox.objects().virtual_accounts).toHaveLength(0);
    expect(textOf(list)).not.toBe("");
    await photo;
    expect(world.sandbox.objects().virtual_accounts).toHaveLength(1);
  });

  it("handles a person's /cancel after the create already in hand, and says nothing was running", async () => {
    world = await startWorld({ staff: [CASHIER], updates: "parallel" });
    const summary = await cashierAtSummary(world);
    world.sandbox.injectFault({ endpoint: "create-virtual-account", when: "before", delayMs: 1_500 });
    const mark = world.telegram.mark();
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    world.telegram.sendText(CASHIER, { id: CASHIER.id, type: "private" }, "/cancel");
    await world.telegram.waitForBotMessage(CASHIER.id, { text: i18n.t("id", "bot-cancel-nothing"), timeoutMs: 20_000, since: mark });

    const toCashier = world.telegram
      .callsTo("sendPhoto")
      .concat(world.telegram.callsTo("sendMessage"))
      .filter((c) => c.seq >= mark && c.response.ok && (c.response.result as Message).chat.id === CASHIER.id)
      .sort((a, b) => a.seq - b.seq)
      .map((c) => c.method);
    expect(toCashier[0]).toBe("sendPhoto");
    expect(world.telegram.messagesIn(CASHIER.id).map(textOf)).not.toContain(i18n.t("id", "bot-cancel-done"));
    expect(await world.store.payments.listRecent({ limit: 10 })).toHaveLength(1);
  });
});
