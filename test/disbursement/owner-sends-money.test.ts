import { describe, expect, it } from "vitest";
import { releaseDisbursementAllowance } from "../../src/disbursement/index.js";
import { callText, CASHIER, fillTransfer, OWNER, SHOP_GROUP, shopPerTest, SUPPLIER, textOf } from "./shop.js";

const shop = shopPerTest();


describe("the owner pays a supplier from the chat", () => {
  it("sends Rp 1.500.000 to a BCA account from the menu; the bank completes it and the owner and the shop group hear", async () => {
    const menu = await shop().say(OWNER, "/start");
    const askBank = await shop().press(OWNER, menu, { text: "💸 Kirim dana" });
    expect(textOf(askBank)).toContain("Pilih bank tujuan");
    const askAccount = await shop().press(OWNER, askBank, { text: "BCA" });
    expect(textOf(askAccount)).toContain("10 digit");
    expect(textOf(await shop().say(OWNER, "123-456-7890"))).toContain("nama pemilik rekening");
    expect(textOf(await shop().say(OWNER, "Budi Santoso"))).toContain("sisa batas hari ini Rp 3.000.000");
    expect(textOf(await shop().say(OWNER, "Rp 1.500.000"))).toContain("keterangan");
    await shop().say(OWNER, "Bayar supplier beras");
    const askCc = await shop().say(OWNER, "budi@beras.co.id");
    expect(textOf(askCc)).toContain("CC");
    expect(textOf(await shop().press(OWNER, askCc, { text: "⏭ Lewati" }))).toContain("BCC");
    const summary = await shop().say(OWNER, "arsip@tokowati.id");

    const text = textOf(summary);
    for (const part of ["BCA", "1234567890", "Budi Santoso", "Rp 1.500.000", "Bayar supplier beras", "ke budi@beras.co.id, bcc arsip@tokowati.id"]) {
      expect(text).toContain(part);
    }
    expect(text).toContain("Sisa batas hari ini: Rp 3.000.000 (setelah transfer ini Rp 1.500.000; batas harian Rp 3.000.000)");
    expect(text).toContain("berlaku 5 menit");
    expect(shop().gatewayCalls()).toBe(0);

    const sent = await shop().press(OWNER, summary, { text: "✅ Kirim Rp 1.500.000" });
    expect(textOf(sent)).toContain("sedang diproses bank");
    // Taken by the gateway is not yet money in the supplier's account: no ✅ until the bank's result.
    // (In sandbox mode, as this shop runs, under the line that says the money is make-believe.)
    expect(textOf(sent)).toMatch(/^🧪 Mode sandbox: semua transaksi di sini simulasi, tidak ada uang sungguhan\.\n\n⏳ /);
    expect(textOf(sent)).toContain("jangan dulu bilang ke penerima bahwa uangnya sudah masuk");
    expect(textOf(sent)).toContain("Anda dan grup toko akan diberi tahu hasilnya.");
    expect(textOf(sent)).toContain("Sisa batas hari ini: Rp 1.500.000");
    // The summary now says it was used, and keeps no button.
    const used = shop().telegram.messagesIn(OWNER.id).find((m) => m.message_id === summary.message_id);
    expect(used && "text" in used ? used.text : "").toMatch(/\n\n➡️ Tombol sudah dipakai: jawabannya di bawah\.$/);
    expect(used?.reply_markup?.inline_keyboard ?? []).toHaveLength(0);
    const [disbursement] = shop().sandbox.objects().disbursements;
    expect(shop().sandbox.objects().disbursements).toHaveLength(1);
    expect(disbursement).toMatchObject({ bank_code: "BCA", account_number: "1234567890", account_name: "Budi Santoso", amount: 1_500_000 });
    const externalId = disbursement?.external_id ?? "";
    expect(await shop().store.payments.get(externalId)).toMatchObject({
      gatewayId: disbursement?.id,
      kind: "disbursement",
      status: "pending",
      amount: 1_500_000,
      bankCode: "BCA",
      accountNumber: "1234567890",
      customerName: "Budi Santoso",
      description: "Bayar supplier beras",
      createdBy: OWNER.id,
      chatId: OWNER.id,
      messageId: summary.message_id,
      locale: "id",
    });

    const list = await shop().say(OWNER, "/payments");
    expect(textOf(list)).toContain("↗️ Keluar BCA 1234567890");
    expect(textOf(list)).toContain("⏳ Menunggu");
    const cashierList = await shop().say(CASHIER, "/payments");
    expect(textOf(cashierList)).not.toContain("Keluar");
    expect(textOf(cashierList)).not.toContain("Budi Santoso");

    shop().sandbox.completeDisbursement(externalId);
    await shop().settle();
    expect((await shop().store.payments.get(externalId))?.status).toBe("completed");
    const toOwner = shop().messagesTo(OWNER.id).map(callText).find((t) => t.includes("Transfer terkirim"));
    const toGroup = shop().messagesTo(SHOP_GROUP.id).map(callText).find((t) => t.includes("Transfer terkirim"));
    expect(toOwner).toContain("Rp 1.500.000");
    expect(toGroup).toContain("Budi Santoso");
    expect(textOf(await shop().say(OWNER, "/payments"))).toContain("✅ Selesai ↗️ Keluar BCA");
  });

  it("hears why the bank failed a transfer, and the failed amount is given back to today's allowance once", async () => {
    const summary = await fillTransfer(shop(), OWNER, { ...SUPPLIER, bank: "Mandiri", account: "1234567890123" });
    await shop().press(OWNER, summary, { text: "✅ Kirim Rp 1.500.000" });
    const externalId = shop().sandbox.objects().disbursements[0]?.external_id ?? "";

    shop().sandbox.failDisbursement(externalId, "INVALID_DESTINATION");
    await shop().settle();
    expect(await shop().store.payments.get(externalId)).toMatchObject({ status: "failed", failureCode: "INVALID_DESTINATION" });
    const toOwner = shop().messagesTo(OWNER.id).map(callText).find((t) => t.includes("Transfer gagal"));
    const toGroup = shop().messagesTo(SHOP_GROUP.id).map(callText).find((t) => t.includes("Transfer gagal"));
    expect(toOwner).toContain("nomor rekening tujuan tidak ditemukan");
    expect(toGroup).toContain("Rp 1.500.000");

    // The FAILED callback already gave the amount back (the money never left): a second give-back finds nothing.
    expect(await releaseDisbursementAllowance(shop().store, externalId)).toBeUndefined();
    const askBank = await shop().say(OWNER, "/kirimdana");
    await shop().press(OWNER, askBank, { text: "BCA" });
    await shop().say(OWNER, "1234567890");
    expect(textOf(await shop().say(OWNER, "Budi Santoso"))).toContain("sisa batas hari ini Rp 3.000.000");
  });

  it("gives the allowance back when the gateway refuses, and retries an unclear answer without paying twice", async () => {
    shop().sandbox.injectFault({ endpoint: "create-disbursement", when: "before", status: 400 });
    const refusedSummary = await fillTransfer(shop(), OWNER, SUPPLIER);
    const refused = await shop().press(OWNER, refusedSummary, { text: "✅ Kirim Rp 1.500.000" });
    expect(textOf(refused)).toContain("Tidak dikirim");
    expect(textOf(refused)).toContain("Jumlahnya tidak dihitung dalam batas harian");
    expect(shop().sandbox.objects().disbursements).toHaveLength(0);

    // The gateway makes it, then both answers are lost (the client tries twice): nobody knows yet.
    shop().sandbox.injectFault({ endpoint: "create-disbursement", when: "after", status: 503, times: 2 });
    const summary = await fillTransfer(shop(), OWNER, SUPPLIER);
    expect(textOf(summary)).toContain("Sisa batas hari ini: Rp 3.000.000");
    const unclear = await shop().press(OWNER, summary, { text: "✅ Kirim Rp 1.500.000" });
    expect(textOf(unclear)).toContain("belum pasti");
    expect(shop().sandbox.objects().disbursements).toHaveLength(1);
    const sent = await shop().press(OWNER, unclear, { text: "🔁 Coba lagi (aman, tidak dobel)" });
    expect(textOf(sent)).toContain("sedang diproses bank");
    expect(textOf(sent)).toContain("Sisa batas hari ini: Rp 1.500.000");
    expect(shop().sandbox.objects().disbursements).toHaveLength(1);
    const externalId = shop().sandbox.objects().disbursements[0]?.external_id ?? "";
    expect((await shop().store.payments.get(externalId))?.gatewayId).toBe(shop().sandbox.objects().disbursements[0]?.id);
    expect(shop().gatewayCalls()).toBe(4); // refused once, unclear twice (client retry), the safe retry once
  });

  it("a gateway that turns the first request away with 429 made nothing: 'not sent', and the allowance is given back at once", async () => {
    shop().sandbox.injectFault({ endpoint: "create-disbursement", when: "before", status: 429, body: JSON.stringify({ error_code: "RATE_LIMITED", message: "slow down" }), contentType: "application/json" });
    const summary = await fillTransfer(shop(), OWNER, SUPPLIER);
    const refused = await shop().press(OWNER, summary, { text: "✅ Kirim Rp 1.500.000" });
    expect(textOf(refused)).toContain("Tidak ada uang yang keluar");
    expect(textOf(refused)).not.toContain("belum pasti");
    expect(shop().sandbox.objects().disbursements).toHaveLength(0);
    expect(textOf(await fillTransfer(shop(), OWNER, SUPPLIER))).toContain("Sisa batas hari ini: Rp 3.000.000");
  });

  it("a transfer made and then answered with a redirect ('303 See Other') is not told 'not sent': it is unclear, and its amount stays counted", async () => {
    shop().sandbox.injectFault({ endpoint: "create-disbursement", when: "after", status: 303, body: "", contentType: "text/html" });
    const summary = await fillTransfer(shop(), OWNER, SUPPLIER);
    const unclear = await shop().press(OWNER, summary, { text: "✅ Kirim Rp 1.500.000" });
    expect(textOf(unclear)).toContain("belum pasti");
    expect(textOf(unclear)).not.toContain("Tidak ada uang yang keluar");
    expect(shop().sandbox.objects().disbursements).toHaveLength(1);
    expect(textOf(await fillTransfer(shop(), OWNER, SUPPLIER))).toContain("Sisa batas hari ini: Rp 1.500.000");
  });

  it("a transfer the gateway answers for another account number is not reported sent: the owner is told to stop it, and the amount stays counted", async () => {
    shop().sandbox.injectFault({ endpoint: "create-disbursement", answerChanges: { account_number: "9999999999" } });
    const summary = await fillTransfer(shop(), OWNER, SUPPLIER);
    const answer = await shop().press(OWNER, summary, { text: "✅ Kirim Rp 1.500.000" });
    expect(textOf(answer)).toContain("nomor rekeningnya berbeda dari yang Anda konfirmasi");
    expect(textOf(answer)).toContain("hentikan transfer itu");
    expect(textOf(answer)).not.toContain("sedang diproses bank");
    expect(textOf(await fillTransfer(shop(), OWNER, SUPPLIER))).toContain("Sisa batas hari ini: Rp 1.500.000");
  });

  it("after an unclear answer, a bank's FAILED callback makes 'Coba lagi' say it was refused, not sent", async () => {
    shop().sandbox.injectFault({ endpoint: "create-disbursement", when: "after", status: 503, times: 2 });
    const summary = await fillTransfer(shop(), OWNER, SUPPLIER);
    const unclear = await shop().press(OWNER, summary, { text: "✅ Kirim Rp 1.500.000" });
    expect(textOf(unclear)).toContain("belum pasti");
    const externalId = shop().sandbox.objects().disbursements[0]?.external_id ?? "";
    shop().sandbox.failDisbursement(externalId, "INVALID_DESTINATION");
    await shop().settle();

    const press = shop().telegram.pressButton(OWNER, unclear, { text: "🔁 Coba lagi (aman, tidak dobel)" }).callback_query?.id;
    const answer = await shop().telegram.waitFor((c) => c.method === "answerCallbackQuery" && c.payload.callback_query_id === press);
    expect(String(answer.payload.text)).toContain("sudah ditolak");
    expect(String(answer.payload.text)).not.toContain("sudah dikirim");
    expect(shop().gatewayCalls()).toBe(2);
  });
});

describe("the owner's list of recent payments", () => {
  it("names a transfer's bank as the owner chose it (CIMB Niaga, not the gateway's code)", async () => {
    const summary = await fillTransfer(shop(), OWNER, { bank: "CIMB Niaga", account: "1234567890123", holder: "Dewi Lestari", amount: "250rb", description: "Sewa kios" });
    await shop().press(OWNER, summary, { text: "✅ Kirim Rp 250.000" });
    const list = textOf(await shop().say(OWNER, "/payments"));
    expect(list).toContain("↗️ Keluar CIMB Niaga 1234567890123");
  });
});
