import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { privateChat, type TelegramUser } from "../../src/telegram-local/index.js";
import { appPerTest } from "./support.js";

/**
 * Telegram goes out of reach while the bot runs. Long polling retries by itself, which is right, but it did
 * so without a word: the bot looked well while no cashier's message reached it. The operator must see it
 * in the log, and see it end.
 */

const OWNER: TelegramUser = { id: 7401, first_name: "Bu Sari" };
const start = appPerTest("telegram-goes-away", "toko_sari_bot");

async function until(test: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !test(); i++) await sleep(100);
  if (!test()) throw new Error(`timed out waiting for ${what}`);
}

describe("Telegram out of reach while the bot polls", () => {
  it("is logged as a warning (without the token), and its return as well; the message sent meanwhile is answered", async () => {
    const { telegram, logs } = await start({ OWNER_IDS: String(OWNER.id) });
    telegram.addChat(privateChat(OWNER));
    const said = (msg: string) => logs.lines.some((l) => (JSON.parse(l) as { msg?: string }).msg === msg);

    // The next polls get no answer at all; a message ends the poll in hand, so the next one meets the outage.
    telegram.failNext("getUpdates", 2, { dropConnection: true });
    telegram.sendText(OWNER, privateChat(OWNER), "/start");
    await until(() => said("Telegram not reachable: no updates come in; retrying"), "the warning");
    // Sent during the outage: the first poll that gets through brings it at once (an idle one would wait out
    // its 30 s long poll before saying Telegram is back).
    telegram.sendText(OWNER, privateChat(OWNER), "/help");
    await until(() => said("Telegram reachable again: updates come in"), "the line saying it is back");
    await telegram.waitForBotMessage(OWNER.id, { text: "Cara pakai", timeoutMs: 30_000 });

    const warnings = logs.lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.msg.startsWith("Telegram not reachable"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.level).toBe(40);
    expect(logs.lines.join("\n")).not.toContain(telegram.token);
  }, 60_000);
});
