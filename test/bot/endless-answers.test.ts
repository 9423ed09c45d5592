import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { CASHIER, OWNER, SHOP_GROUP, startWorld, textOf, type World } from "./world.js";

/**
 * A flow keeps every answer in its stored replay log and replays all of it on each update, so a question
 * must not be answerable wrongly without end, nor a flow left waiting for good.
 */

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function askedForName(w: World) {
  const askBank = await w.say(CASHIER, "/va");
  const askName = await w.press(CASHIER, askBank, { text: "BCA" });
  expect(textOf(askName)).toContain("nama pelanggan");
}

describe("a question answered wrongly again and again", () => {
  it("ends the flow at the twentieth wrong answer in a row, saying so; the next message is no longer taken as an answer", async () => {
    world = await startWorld({ staff: [CASHIER] });
    await askedForName(world);
    for (let i = 1; i < 20; i++) expect(textOf(await world.say(CASHIER, `Siti ${i}`))).toContain("Nama hanya boleh berisi huruf");
    expect(textOf(await world.say(CASHIER, "Siti 20"))).toContain("Sudah 20 kali jawabannya belum bisa dipakai");
    expect(textOf(await world.say(CASHIER, "Siti Aminah"))).not.toContain("nominal");
    expect(world.sandbox.stats().createRequests["create-virtual-account"]).toBe(0);
  });
});

describe("a question nobody answers", () => {
  it("is dropped after the flow's idle time: a late answer is told the question has closed, not 'not understood'", async () => {
    world = await startWorld({ staff: [CASHIER], botDeps: { flowIdleMs: 300 } });
    await askedForName(world);
    await sleep(600);
    const late = await world.say(CASHIER, "Siti Aminah");
    expect(textOf(late)).toContain("Pertanyaan tadi sudah ditutup karena lama tidak dijawab");
    expect(textOf(late)).not.toContain("tidak mengerti");
    // Only the late answer hears it: the next message out of a flow is "not understood" as ever.
    expect(textOf(await world.say(CASHIER, "halo"))).toContain("tidak mengerti");
    // A fresh flow works as ever.
    await askedForName(world);
    expect(textOf(await world.say(CASHIER, "Siti Aminah"))).toContain("nominal");
  });

  it("in the shop group, a late reply to the question hears it has closed; the group's own chat before it draws nothing", async () => {
    world = await startWorld({ staff: [CASHIER], botDeps: { flowIdleMs: 300 } });
    // An admin, the bot reads the group's own chat too: that must neither answer nor end the question.
    world.telegram.addBotToGroup(SHOP_GROUP, OWNER, { asAdmin: true });
    const askBank = await world.say(CASHIER, "/va", SHOP_GROUP);
    const askName = await world.press(CASHIER, askBank, { text: "BCA" });
    await sleep(600);
    const mark = world.telegram.mark();
    world.telegram.sendText(CASHIER, SHOP_GROUP, "Oke bu, sebentar");
    world.telegram.sendText(CASHIER, SHOP_GROUP, "Siti Aminah", { replyToMessageId: askName.message_id });
    const late = await world.telegram.waitForBotMessage(SHOP_GROUP.id, { since: mark });
    expect(textOf(late)).toContain("Pertanyaan tadi sudah ditutup");
    expect(late.reply_to_message?.text).toBe("Siti Aminah");
  });
});

describe("what the limits leave alone, and what they also count", () => {
  it("'Coba lagi' after an outage still works past the idle time: the bot promised it was safe", async () => {
    world = await startWorld({ staff: [CASHIER], botDeps: { flowIdleMs: 300 } });
    await askedForName(world);
    await world.say(CASHIER, "Siti Aminah");
    const askSingle = await world.say(CASHIER, "150rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    world.sandbox.injectFault({ endpoint: "create-virtual-account", when: "after", status: 503, times: 2 });
    const down = await world.press(CASHIER, summary, { text: "✅ Buat sekarang" });
    expect(textOf(down)).toContain("Coba lagi");
    await sleep(600);
    world.telegram.pressButton(CASHIER, down, { text: "🔁 Coba lagi" });
    await world.telegram.waitForBotMessage(CASHIER.id, { text: "diteruskan ke pelanggan", timeoutMs: 5_000 });
    expect((await world.store.payments.listRecent({ limit: 5 })).map((p) => p.customerName)).toEqual(["Siti Aminah"]);
  });

  it("presses of the flow's own old buttons count as wrong answers too", async () => {
    world = await startWorld({ staff: [CASHIER] });
    const askBank = await world.say(CASHIER, "/va");
    await world.press(CASHIER, askBank, { text: "BCA" });
    for (let i = 1; i <= 20; i++) {
      const mark = world.telegram.mark();
      world.telegram.pressButton(CASHIER, askBank, { text: "BCA" });
      await world.telegram.waitFor((c) => c.method === "answerCallbackQuery", { since: mark });
    }
    await world.telegram.waitForBotMessage(CASHIER.id, { text: "Sudah 20 kali", since: 0 });
    expect(textOf(await world.say(CASHIER, "Siti Aminah"))).not.toContain("nominal");
  });
});
