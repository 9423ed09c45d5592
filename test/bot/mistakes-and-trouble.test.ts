import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Transformer } from "grammy";
import type { Message } from "grammy/types";
import { CASHIER, decodeQr, startWorld, textOf, type World } from "./world.js";

let world: World;
beforeEach(async () => {
  world = await startWorld({ staff: [CASHIER] });
});
afterEach(async () => {
  await world.close();
});

const vaCreates = () => world.sandbox.stats().createRequests["create-virtual-account"];

/** Starts a BCA virtual account for "Siti Aminah" and returns the amount question. */
async function upToAmount(): Promise<Message> {
  const askBank = await world.say(CASHIER, "/va");
  await world.press(CASHIER, askBank, { text: "BCA" });
  return world.say(CASHIER, "Siti Aminah");
}

/** An Alfamart code up to its summary, with the gateway set to refuse it clearly (nothing made). */
async function alfamartSummaryRefusedWith(status: number, errorCode: string, message: string): Promise<Message> {
  world.sandbox.injectFault({
    endpoint: "create-retail-payment",
    when: "before",
    status,
    body: JSON.stringify({ error_code: errorCode, message }),
    contentType: "application/json",
  });
  await world.say(CASHIER, "/alfamart");
  await world.say(CASHIER, "Budi Santoso");
  return world.say(CASHIER, "20000");
}

/** A VA the gateway makes while both of the client's attempts lose the answer: left at "Coba lagi". */
async function upToUnansweredCreate(): Promise<void> {
  world.sandbox.injectFault({ endpoint: "create-virtual-account", when: "after", status: 503, times: 2 });
  await upToAmount();
  const askSingle = await world.say(CASHIER, "150rb");
  const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
  expect(textOf(await world.press(CASHIER, summary, { text: "✅ Buat sekarang" }))).toContain("tidak menjawab");
}

describe("mistakes are re-asked, never sent to the gateway", () => {
  // [typed, what the cashier is told]: each one is re-asked with an example.
  const refused: Array<[string, string]> = [
    ["abc", 'Nominal "abc" tidak terbaca. Ketik angka rupiah, contoh: 150.000, 150rb atau 1,5jt'],
    ["5rb", "Nominal minimal Rp 10.000. Contoh: 150.000"],
    ["60jt", "Nominal maksimal Rp 50.000.000. Contoh: 1,5jt"],
    ["150.5", 'Nominal "150.5" tidak terbaca'],
    ["-5000", "Nominal harus lebih dari nol"],
    ["0", "Nominal minimal Rp 10.000"],
    ["9.999", "Nominal minimal Rp 10.000"],
    ["50.000.001", "Nominal maksimal Rp 50.000.000"],
    ["999999999999999999999", "Nominal maksimal Rp 50.000.000"],
    ["1,5", 'Nominal "1,5" tidak terbaca'],
    ["seratus ribu", 'Nominal "seratus ribu" tidak terbaca'],
    ["<b>1</b>", 'Nominal "&lt;b&gt;1&lt;/b&gt;" tidak terbaca'],
    ["1,2345678jt", 'Nominal "1,2345678jt" tidak terbaca'],
    // Quoted back cut at 40 characters, between characters: the emoji whole, not half of it.
    [`${"x".repeat(39)}😀 rupiah`, `Nominal "${"x".repeat(39)}😀" tidak terbaca`],
  ];

  it("re-asks a mistyped BCA amount with an example, then takes '1,5jt'", async () => {
    const askAmount = await upToAmount();
    expect(textOf(askAmount)).toContain("nominal");
    for (const [typed, told] of refused) {
      world.telegram.sendText(CASHIER, { id: CASHIER.id, type: "private" }, typed);
      const answer = await world.telegram.waitFor((c) => c.method === "sendMessage", { description: `the answer to ${typed}` });
      expect(String(answer.payload.text)).toContain(told);
    }
    const askSingle = await world.say(CASHIER, "1,5jt");
    expect(textOf(askSingle)).toContain("sekali bayar");
    const summary = await world.press(CASHIER, askSingle, { text: "Bisa berulang" });
    expect(textOf(summary)).toContain("Rp 1.500.000");
    expect(vaCreates()).toBe(0);
  });

  it("re-asks a customer name a bank would refuse", async () => {
    const askBank = await world.say(CASHIER, "/va");
    await world.press(CASHIER, askBank, { text: "BNI" });
    expect(textOf(await world.say(CASHIER, "Budi123"))).toContain("hanya boleh berisi huruf");
    expect(textOf(await world.say(CASHIER, "."))).toContain("Nama hanya boleh berisi huruf");
    expect(textOf(await world.say(CASHIER, "Bank Budi"))).toContain('memuat "BANK"');
    expect(textOf(await world.say(CASHIER, "A".repeat(65)))).toContain("maksimal 64");
    expect(textOf(await world.say(CASHIER, "Siti Aminah"))).toContain("nominal");
    expect(vaCreates()).toBe(0);
  });
});

describe("trouble on the way", () => {
  it("tells the cashier the gateway is down, and the retry makes exactly one account", async () => {
    // The first create is made but its answer is lost, twice (the client's own retry included).
    world.sandbox.injectFault({ endpoint: "create-virtual-account", when: "after", status: 503, times: 2 });
    const askAmount = await upToAmount();
    expect(textOf(askAmount)).toContain("nominal");
    const askSingle = await world.say(CASHIER, "250rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    const down = await world.press(CASHIER, summary, { text: "✅ Buat sekarang" });
    expect(textOf(down)).toContain("tidak menjawab");
    expect(await world.store.payments.listRecent({ limit: 10 })).toEqual([]);

    world.telegram.pressButton(CASHIER, down, { text: "🔁 Coba lagi" });
    const photo = await world.nextPhoto(CASHIER.id);
    const accounts = world.sandbox.objects().virtual_accounts;
    expect(accounts).toHaveLength(1);
    expect(decodeQr(photo)).toBe(accounts[0]?.account_number);
    await world.telegram.waitForBotMessage(CASHIER.id, { text: "diteruskan ke pelanggan" });
    const recorded = await world.store.payments.listRecent({ limit: 10 });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.externalId).toBe(accounts[0]?.external_id);
  });

  it("cancelling after a lost answer does not claim nothing was made", async () => {
    // The gateway makes the VA, but both of the client's attempts lose the answer.
    world.sandbox.injectFault({ endpoint: "create-virtual-account", when: "after", status: 503, times: 2 });
    await upToAmount();
    const askSingle = await world.say(CASHIER, "150rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    const down = await world.press(CASHIER, summary, { text: "✅ Buat sekarang" });
    expect(textOf(down)).toContain("tidak menjawab");
    expect(textOf(down)).not.toContain("Belum ada yang dibuat");
    expect(textOf(down)).toContain("aman");
    const bye = await world.press(CASHIER, down, { text: "✖ Batal" });
    expect(textOf(bye)).toContain("Dibatalkan");
    expect(textOf(bye)).not.toContain("Tidak ada yang dibuat");
    expect(textOf(bye)).toContain("tidak tercatat");
    expect(textOf(bye)).toContain("kedaluwarsa tanpa dibayar");
    // What the cashier was told matches the gateway: one account, in no list of ours.
    expect(world.sandbox.objects().virtual_accounts).toHaveLength(1);
    expect(await world.store.payments.listRecent({ limit: 10 })).toEqual([]);
  });

  it("a /cancel typed at that question says the same, and the next flow's /cancel is plain again", async () => {
    await upToUnansweredCreate();
    const bye = await world.say(CASHIER, "/cancel");
    expect(textOf(bye)).toContain("tidak tercatat");
    expect(textOf(bye)).not.toContain("Tidak ada yang dibuat");
    await upToAmount();
    expect(textOf(await world.say(CASHIER, "/cancel"))).toBe("Dibatalkan. Tidak ada yang dibuat.");
  });

  it("a flow left at that question for another one does not make the new flow's /cancel doubtful", async () => {
    await upToUnansweredCreate();
    // Left while the VA may have been made: said so, as /cancel there says it.
    expect(textOf(await world.say(CASHIER, "/alfamart"))).toBe("Dibatalkan. Kalau tadi sempat dibuat, pembayaran itu tidak tercatat di sini dan akan kedaluwarsa tanpa dibayar.");
    await world.telegram.waitForBotMessage(CASHIER.id, { text: "nama pelanggan" });
    expect(textOf(await world.say(CASHIER, "/cancel"))).toBe("Dibatalkan. Tidak ada yang dibuat.");
  });

  it("/start at that question says once that it may have been made: a /cancel after it finds nothing running", async () => {
    await upToUnansweredCreate();
    const maybeMade = "Dibatalkan. Kalau tadi sempat dibuat, pembayaran itu tidak tercatat di sini dan akan kedaluwarsa tanpa dibayar.";
    expect(textOf(await world.say(CASHIER, "/start"))).toBe(maybeMade);
    await world.telegram.waitForBotMessage(CASHIER.id, { text: "Mau buat apa?" });
    expect(textOf(await world.say(CASHIER, "/cancel"))).toBe("Tidak ada yang sedang berjalan.");
  });

  it("a connection dropped after the Alfamart code was made gets the same honest words", async () => {
    world.sandbox.injectFault({ endpoint: "create-retail-payment", when: "after", status: 0, times: 2 });
    await world.say(CASHIER, "/alfamart");
    await world.say(CASHIER, "Budi Santoso");
    const summary = await world.say(CASHIER, "20000");
    const down = await world.press(CASHIER, summary, { text: "✅ Buat sekarang" });
    expect(textOf(down)).toContain("tidak menjawab");
    const bye = await world.press(CASHIER, down, { text: "✖ Batal" });
    expect(textOf(bye)).toContain("tidak tercatat");
    expect(world.sandbox.objects().retail_payments).toHaveLength(1);
  });

  it("after a clear refusal, cancelling still says nothing was made", async () => {
    const summary = await alfamartSummaryRefusedWith(401, "INVALID_API_KEY", "invalid api key");
    const refused = await world.press(CASHIER, summary, { text: "✅ Buat sekarang" });
    expect(textOf(refused)).toContain("Kunci API");
    const bye = await world.press(CASHIER, refused, { text: "✖ Batal" });
    expect(textOf(bye)).toBe("Dibatalkan. Tidak ada yang dibuat.");
  });

  it("offers no retry when the gateway refuses the data, and stores nothing", async () => {
    const summary = await alfamartSummaryRefusedWith(400, "API_VALIDATION_ERROR", "name is not allowed");
    const refused = await world.press(CASHIER, summary, { text: "✅ Buat sekarang" });
    expect(textOf(refused)).toContain("menolak data ini: name is not allowed");
    const buttons = (refused.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);
    expect(buttons).not.toContain("🔁 Coba lagi");
    expect(await world.store.payments.listRecent({ limit: 10 })).toEqual([]);
  });

  it("a VA the gateway made for another amount than the one confirmed is never shown: a customer paying it would read as paid in full", async () => {
    world.sandbox.injectFault({ endpoint: "create-virtual-account", answerChanges: { amount: 15_000 } });
    await upToAmount();
    const askSingle = await world.say(CASHIER, "150rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    const refused = await world.press(CASHIER, summary, { text: "✅ Buat sekarang" });
    expect(textOf(refused)).toContain("nominalnya berbeda dari yang Anda konfirmasi");
    expect(textOf(refused)).toContain("jangan dipakai");
    // Trying again would only get the same answer for the same external_id: no retry offered.
    expect((refused.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text)).toEqual(["✖ Batal"]);
    expect(world.telegram.callsTo("sendPhoto")).toHaveLength(0);
    expect(await world.store.payments.listRecent({ limit: 10 })).toEqual([]);
    const bye = await world.press(CASHIER, refused, { text: "✖ Batal" });
    expect(textOf(bye)).toContain("tidak tercatat");
  });

  it("an Alfamart code the gateway made for a larger amount is not shown either (the customer would be asked too much)", async () => {
    world.sandbox.injectFault({ endpoint: "create-retail-payment", answerChanges: { amount: 200_000 } });
    await world.say(CASHIER, "/alfamart");
    await world.say(CASHIER, "Budi Santoso");
    const summary = await world.say(CASHIER, "20000");
    const refused = await world.press(CASHIER, summary, { text: "✅ Buat sekarang" });
    expect(textOf(refused)).toContain("nominalnya berbeda");
    expect(world.telegram.callsTo("sendPhoto")).toHaveLength(0);
    expect(await world.store.payments.listRecent({ limit: 10 })).toEqual([]);
  });

  it("an answer written another way (spaced number, lower-case bank, '150000.00', a numeric id, no status, no expiry) is read: the VA is shown, not refused", async () => {
    world.sandbox.injectFault({
      endpoint: "create-virtual-account",
      answerChanges: { account_number: "8808 1234-5678 9012", bank_code: "bca", amount: "150000.00", id: 77001, status: undefined, account_name: undefined, expiration_date: undefined },
    });
    await upToAmount();
    const askSingle = await world.say(CASHIER, "150rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const photo = await world.nextPhoto(CASHIER.id);
    expect(decodeQr(photo)).toBe("8808123456789012");
    // The customer asks until when: said in words, not a bare "-".
    expect(String(photo.payload.caption)).toContain("Berlaku sampai: tidak disebutkan oleh Palladium");
    const [recorded] = await world.store.payments.listRecent({ limit: 10 });
    expect(recorded).toMatchObject({ accountNumber: "8808123456789012", bankCode: "BCA", amount: 150_000, gatewayId: "77001" });
  });

  it("an answer it cannot read after the VA may have been made does not say nothing was made", async () => {
    world.sandbox.injectFault({ endpoint: "create-virtual-account", answerChanges: { account_number: "nomor rahasia" } });
    await upToAmount();
    const askSingle = await world.say(CASHIER, "150rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    const unclear = await world.press(CASHIER, summary, { text: "✅ Buat sekarang" });
    expect(textOf(unclear)).toContain("belum pasti pembayaran ini sudah dibuat");
    // The retry replays the same external_id: the gateway answers the one VA it made, now readable.
    world.telegram.pressButton(CASHIER, unclear, { text: "🔁 Coba lagi" });
    const photo = await world.nextPhoto(CASHIER.id);
    expect(decodeQr(photo)).toBe(world.sandbox.objects().virtual_accounts[0]?.account_number);
    expect(world.sandbox.objects().virtual_accounts).toHaveLength(1);
  });

  it("continues a flow where it was after the process restarts", async () => {
    await upToAmount();
    await world.restart();
    const askSingle = await world.say(CASHIER, "2 juta");
    expect(textOf(askSingle)).toContain("sekali bayar");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    expect(textOf(summary)).toContain("Siti Aminah");
    expect(textOf(summary)).toContain("Rp 2.000.000");
    await world.restart();
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const photo = await world.nextPhoto(CASHIER.id);
    expect(decodeQr(photo)).toBe(world.sandbox.objects().virtual_accounts[0]?.account_number);
    expect(vaCreates()).toBe(1);
  });

  it("when Telegram refuses the payment's photo, the cashier still gets the account number, as text", async () => {
    await upToAmount();
    const askSingle = await world.say(CASHIER, "150rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    world.telegram.failNext("sendPhoto", 1, { error_code: 400, description: "Bad Request: IMAGE_PROCESS_FAILED" });
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const va = await world.telegram.waitForBotMessage(CASHIER.id, { text: "Rp 150.000" });
    const accountNumber = world.sandbox.objects().virtual_accounts[0]?.account_number ?? "";
    expect(textOf(va)).toContain(accountNumber);
    await world.telegram.waitForBotMessage(CASHIER.id, { text: "diteruskan ke pelanggan" });
    // The message the notifier will mark PAID is this one.
    expect((await world.store.payments.listRecent({ limit: 1 }))[0]).toMatchObject({ accountNumber, messageId: va.message_id });
  });

  it("/cancel leaves a flow at once and nothing is created", async () => {
    await upToAmount();
    const cancelled = await world.say(CASHIER, "/cancel");
    expect(textOf(cancelled)).toContain("Dibatalkan");
    // The amount typed after it belongs to no flow: the cashier is told where to go instead.
    expect(textOf(await world.say(CASHIER, "150000"))).toContain("saya tidak mengerti");
    const list = await world.say(CASHIER, "/payments");
    expect(textOf(list)).toContain("Belum ada pembayaran");
    expect(vaCreates()).toBe(0);
  });

  it("/batal, or 'batal' typed at a question, stops the flow as /cancel does; it never becomes the customer's name", async () => {
    await world.press(CASHIER, await world.say(CASHIER, "/va"), { text: "BCA" });
    expect(textOf(await world.say(CASHIER, "batal"))).toContain("Dibatalkan");
    expect(textOf(await world.say(CASHIER, "Siti Aminah"))).toContain("saya tidak mengerti");
    await upToAmount();
    expect(textOf(await world.say(CASHIER, "/batal"))).toContain("Dibatalkan");
    expect(textOf(await world.say(CASHIER, "150000"))).toContain("saya tidak mengerti");
    expect(vaCreates()).toBe(0);
  });

  it("a mistyped command mid-flow is answered, and the flow still takes the next answer", async () => {
    await world.press(CASHIER, await world.say(CASHIER, "/va"), { text: "BCA" });
    expect(textOf(await world.say(CASHIER, "/foo"))).toBe("Saya tidak kenal perintah itu. Jawab pertanyaan terakhir di atas, atau ketik /batal untuk berhenti.");
    expect(textOf(await world.say(CASHIER, "Siti Aminah"))).toContain("nominal");
  });

  it("a main-menu button in the middle of a flow starts the chosen one instead", async () => {
    const menu = await world.say(CASHIER, "/start");
    await upToAmount();
    const left = await world.press(CASHIER, menu, { text: "🏪 Kode Alfamart" });
    expect(textOf(left)).toBe("↩️ Pembuatan tagihan tadi dibatalkan. Tidak ada yang dibuat.");
    await world.telegram.waitForBotMessage(CASHIER.id, { text: "nama pelanggan" });
    expect(textOf(await world.say(CASHIER, "Budi Santoso"))).toContain("Rp 5.000.000");
  });

  it("looking up recent payments or help at the summary keeps the flow: its button still makes the VA", async () => {
    await upToAmount();
    const askSingle = await world.say(CASHIER, "150rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    expect(textOf(await world.say(CASHIER, "/pembayaran"))).not.toBe("");
    expect(textOf(await world.say(CASHIER, "/help"))).toContain("/pembayaran");
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    await world.nextPhoto(CASHIER.id);
    expect(vaCreates()).toBe(1);
  });
});

describe("a restart in the middle of making a payment", () => {
  it("the cashier presses 'create' again after it: the same VA is made and shown once, nothing twice", async () => {
    await upToAmount();
    const askSingle = await world.say(CASHIER, "150rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    // The gateway makes the VA but is slow to say so; the bot is stopped meanwhile (a deploy).
    world.sandbox.injectFault({ endpoint: "create-virtual-account", when: "after", delayMs: 2_000, times: 1 });
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const deadline = Date.now() + 5_000;
    while (vaCreates() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await world.restart({ graceMs: 100 });

    // Nothing came, so the cashier presses again: before, "this button no longer works", and the VA was lost.
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const photo = await world.telegram.waitFor((c) => c.method === "sendPhoto" && c.response.ok, { timeoutMs: 20_000, description: "the VA's photo" });
    const [va] = world.sandbox.objects().virtual_accounts;
    expect(decodeQr(photo)).toBe(va?.account_number);
    expect(world.sandbox.objects().virtual_accounts).toHaveLength(1);
    expect(await world.store.payments.listRecent({ limit: 10 })).toMatchObject([{ externalId: va?.external_id }]);
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // room for the cut-off press's late answer to show a second one
    expect(world.telegram.callsTo("sendPhoto").filter((c) => c.response.ok)).toHaveLength(1);
  });

  it("a press cut off while the photo was on its way does not keep the next press from showing it", async () => {
    let held = false;
    // The first photo never leaves: the process is gone mid-call.
    const holdFirstPhoto: Transformer = async (prev, method, payload, signal) => {
      if (method === "sendPhoto" && !held) {
        held = true;
        return new Promise(() => undefined) as never;
      }
      return prev(method, payload, signal);
    };
    await world.close();
    world = await startWorld({ staff: [CASHIER], botDeps: { apiTransformers: [holdFirstPhoto], paymentShowLeaseMs: 3_000 } });
    await upToAmount();
    const askSingle = await world.say(CASHIER, "150rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const deadline = Date.now() + 5_000;
    while (!held && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await world.restart({ graceMs: 100 });

    // At once, while the cut-off press's hold lasts (as after a real restart, which takes less than the
    // hold): before, this press got no answer and ended the flow, and every press after it was "no longer valid".
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const photo = await world.telegram.waitFor((c) => c.method === "sendPhoto" && c.response.ok, { timeoutMs: 10_000, description: "the VA's photo" });
    expect(decodeQr(photo)).toBe(world.sandbox.objects().virtual_accounts[0]?.account_number);
    expect(world.sandbox.objects().virtual_accounts).toHaveLength(1);
    await world.telegram.waitForBotMessage(CASHIER.id, { text: "diteruskan ke pelanggan", timeoutMs: 10_000 });
    const shownId = (photo.response as { result: Message }).result.message_id;
    expect((await world.store.payments.listRecent({ limit: 10 })).map((p) => p.messageId)).toEqual([shownId]);
  });
});

describe("what is pasted or sent besides text", () => {
  it("invisible marks pasted with a name or an amount are not part of it", async () => {
    const askBank = await world.say(CASHIER, "/va");
    await world.press(CASHIER, askBank, { text: "BCA" });
    const askAmount = await world.say(CASHIER, "\u200fSiti Aminah\u200b");
    expect(textOf(askAmount)).toContain("nominal");
    const askSingle = await world.say(CASHIER, "\u200e50.000\u200b");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    expect(textOf(summary)).toContain("Nama pelanggan: Siti Aminah\n");
    expect(textOf(summary)).toContain("Rp 50.000");
  });

  it("an amount corrected by editing the refused message is told it was not read, and the amount sent anew is taken", async () => {
    await upToAmount();
    const chat = { id: CASHIER.id, type: "private" as const, first_name: CASHIER.first_name };
    const typed = world.telegram.sendText(CASHIER, chat, "50.00").message!;
    expect(textOf(await world.telegram.waitForBotMessage(CASHIER.id))).toContain("tidak terbaca");
    world.telegram.editText(CASHIER, chat, typed.message_id, "50.000");
    const told = await world.telegram.waitForBotMessage(CASHIER.id);
    expect(textOf(told)).toContain("Pesan yang diedit tidak dibaca");
    const askSingle = await world.say(CASHIER, "50.000");
    expect(textOf(askSingle)).toContain("sekali bayar");
  });

  it("a photo or a sticker sent out of any flow is answered, not met with silence", async () => {
    world.telegram.postAs(CASHIER, { id: CASHIER.id, type: "private", first_name: CASHIER.first_name }, {
      photo: [{ file_id: "p1", file_unique_id: "p1", width: 10, height: 10 }],
    });
    expect(textOf(await world.telegram.waitForBotMessage(CASHIER.id))).toContain("saya tidak mengerti");
    world.telegram.postAs(CASHIER, { id: CASHIER.id, type: "private", first_name: CASHIER.first_name }, {
      sticker: { file_id: "s1", file_unique_id: "s1", type: "regular", width: 10, height: 10, is_animated: false, is_video: false },
    });
    expect(textOf(await world.telegram.waitForBotMessage(CASHIER.id))).toContain("saya tidak mengerti");
  });
});
