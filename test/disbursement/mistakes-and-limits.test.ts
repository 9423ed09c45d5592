import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fillTransfer, OWNER, startShop, textOf, type Shop } from "./shop.js";

let shop: Shop;
beforeEach(async () => {
  shop = await startShop({ disburse: { disburseMaxAmount: 2_000_000, disburseDailyLimit: 3_000_000 } });
});
afterEach(async () => {
  await shop.close();
});

/** The owner types `input`; the bot must answer with `expected` and ask again (the flow moves on only with a good answer). */
async function refused(step: string, input: string, expected: string, table: string[][]): Promise<void> {
  const answer = textOf(await shop.say(OWNER, input));
  table.push([step, input, answer.replace(/\n/g, " ")]);
  expect(answer, `${step}: ${input}`).toContain(expected);
}

describe("a payee whose name holds a bank's word", () => {
  // The gateway refuses such words in the name a VA shows its payer; a payee's name is the bank's own record.
  it.each(["Dewi Permata", "CV Mandiri Jaya"])("%s is paid: the name goes to the gateway as typed", async (holder) => {
    const summary = await fillTransfer(shop, OWNER, { account: "1234567890", holder, amount: "150rb", description: "Bayar" });
    expect(textOf(summary)).toContain(holder);
    await shop.press(OWNER, summary, { text: "✅ Kirim Rp 150.000" });
    expect(shop.sandbox.objects().disbursements.map((d) => d.account_name)).toEqual([holder]);
  });
});

describe("mistakes are asked again and never reach the gateway", () => {
  it("refuses a bad account number, holder name, amount and e-mail, then takes the good ones", async () => {
    const table: string[][] = [];
    const askBank = await shop.say(OWNER, "/kirimdana");
    await shop.press(OWNER, askBank, { text: "BRI" });
    await refused("account number", "12345abcde12345", "hanya boleh berisi angka", table);
    await refused("account number", "BRI 1234", "hanya boleh berisi angka", table);
    await refused("account number", "1234567890", "harus 15 digit; yang Anda ketik 10 digit", table);
    await refused("account number", "1234567890123456", "harus 15 digit; yang Anda ketik 16 digit", table);
    expect(textOf(await shop.say(OWNER, "1234 5678 9012 345"))).toContain("nama pemilik rekening");

    await refused("holder name", "Budi 2", "tanpa angka atau simbol", table);
    await refused("holder name", "Budi <b>Santoso</b>", "tanpa angka atau simbol", table);
    await refused("holder name", "B".repeat(65), "terlalu panjang", table);
    expect(textOf(await shop.say(OWNER, "Budi Santoso"))).toContain("nominal");

    await refused("amount", "0", "minimal Rp 10.000 untuk BRI", table);
    await refused("amount", "-50000", "harus lebih dari nol", table);
    await refused("amount", "−50.000", "harus lebih dari nol", table);
    await refused("amount", "lima puluh ribu", "tidak terbaca", table);
    await refused("amount", "150.5", "tidak terbaca", table);
    await refused("amount", "150.000,50", "Ketik Rp 150.000 atau Rp 150.001", table);
    await refused("amount", "5000", "minimal Rp 10.000 untuk BRI", table);
    await refused("amount", "2,5jt", "melebihi batas per transfer (Rp 2.000.000)", table);
    await refused("amount", "200jt", "melebihi batas per transfer (Rp 2.000.000)", table);
    expect(textOf(await shop.say(OWNER, "150rb"))).toContain("keterangan");

    await refused("description", "x".repeat(256), "1 sampai 255 karakter (yang Anda ketik 256)", table);
    expect(textOf(await shop.say(OWNER, "Bayar supplier"))).toContain("e-mail");

    await refused("e-mail to", "budi@", "bukan alamat e-mail yang benar", table);
    await refused("e-mail to", "budi at beras.co.id", "bukan alamat e-mail yang benar", table);
    await refused("e-mail to", "budi@beras", "bukan alamat e-mail yang benar", table);
    expect(textOf(await shop.say(OWNER, "budi@beras.co.id"))).toContain("CC");
    await refused("e-mail cc", "a b@c.id", "bukan alamat e-mail yang benar", table);
    await refused("e-mail cc", "kasir@@toko.id", "bukan alamat e-mail yang benar", table);
    expect(textOf(await shop.say(OWNER, "kasir@toko.id"))).toContain("BCC");
    await refused("e-mail bcc", "arsip@toko..id", "bukan alamat e-mail yang benar", table);
    const summary = await shop.say(OWNER, "arsip@toko.id");

    expect(textOf(summary)).toContain("123456789012345");
    expect(textOf(summary)).toContain("Rp 150.000");
    expect(textOf(summary)).toContain("ke budi@beras.co.id, cc kasir@toko.id, bcc arsip@toko.id");
    expect(shop.gatewayCalls()).toBe(0);
    console.log(["| step | typed | the bot's answer |", "|---|---|---|", ...table.map((r) => `| ${r.join(" | ")} |`)].join("\n"));
  });
});

describe("what the owner pastes", () => {
  it("keeps emoji whole in a description (their joiners are no invisible mark), and drops a zero-width space from the account number", async () => {
    const description = "Uang saku 👨‍👩‍👧 dan 🏳️‍🌈";
    const summary = await fillTransfer(shop, OWNER, { account: "1234\u200b567890", holder: "Budi Santoso", amount: "150rb", description });
    expect(textOf(summary)).toContain(`Keterangan: ${description}`);
    expect(textOf(summary)).toContain("1234567890");
  });
});

describe("the daily limit is kept in the store", () => {
  it("holds across a restart: a new bot on the same SQLite file refuses what would go over, before the gateway", async () => {
    // Two summaries: one for later (1.5 jt), and 2 jt that is confirmed now.
    const later = await fillTransfer(shop, OWNER, { account: "1234567890", holder: "Budi Santoso", amount: "1,5jt", description: "Bayar supplier" });
    const now = await fillTransfer(shop, OWNER, { account: "1234567890", holder: "Sari Dewi", amount: "2jt", description: "Sewa kios" });
    expect(textOf(await shop.press(OWNER, now, { text: "✅ Kirim Rp 2.000.000" }))).toContain("Sisa batas hari ini: Rp 1.000.000");
    expect(shop.gatewayCalls()).toBe(1);

    await shop.restart();

    // The summary made before the restart still answers, and the allowance in the store refuses it.
    const refusedAtConfirm = await shop.press(OWNER, later, { text: "✅ Kirim Rp 1.500.000" });
    expect(textOf(refusedAtConfirm)).toContain("melebihi sisa batas hari ini (Rp 1.000.000)");
    expect(shop.gatewayCalls()).toBe(1);

    // A new flow after the restart knows what is left and re-asks an amount above it.
    const askBank = await shop.say(OWNER, "/kirimdana");
    await shop.press(OWNER, askBank, { text: "BNI" });
    await shop.say(OWNER, "0987654321");
    expect(textOf(await shop.say(OWNER, "Sari Dewi"))).toContain("sisa batas hari ini Rp 1.000.000");
    expect(textOf(await shop.say(OWNER, "1.500.000"))).toContain("melebihi sisa batas hari ini (Rp 1.000.000)");
    expect(textOf(await shop.say(OWNER, "1.000.000"))).toContain("keterangan");
    const askEmail = await shop.say(OWNER, "Sewa kios");
    const summary = await shop.press(OWNER, askEmail, { text: "⏭ Lewati" });
    expect(textOf(summary)).toContain("Sisa batas hari ini: Rp 1.000.000 (setelah transfer ini Rp 0");
    expect(textOf(await shop.press(OWNER, summary, { text: "✅ Kirim Rp 1.000.000" }))).toContain("Sisa batas hari ini: Rp 0");
    expect(shop.gatewayCalls()).toBe(2);
  });

  it("says the allowance is used up before asking anything when nothing is left today", async () => {
    const summary = await fillTransfer(shop, OWNER, { account: "1234567890", holder: "Budi Santoso", amount: "2jt", description: "Bayar" });
    await shop.press(OWNER, summary, { text: "✅ Kirim Rp 2.000.000" });
    const second = await fillTransfer(shop, OWNER, { account: "1234567890", holder: "Budi Santoso", amount: "1jt", description: "Bayar" });
    await shop.press(OWNER, second, { text: "✅ Kirim Rp 1.000.000" });
    const usedUp = await shop.say(OWNER, "/kirimdana");
    expect(textOf(usedUp)).toContain("sudah terpakai; sisa Rp 0");
    expect(shop.gatewayCalls()).toBe(2);
  });
});
