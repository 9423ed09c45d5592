import { afterEach, describe, expect, it } from "vitest";
import { fillTransfer, OWNER, startShop, textOf, type Shop } from "./shop.js";

let shop: Shop | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

/** The owner, in English, walks a CIMB Niaga transfer up to its amount question and returns it. */
async function upToCimbAmount(s: Shop, english = true): Promise<string> {
  if (english) {
    const chooser = await s.say(OWNER, "/language");
    await s.press(OWNER, chooser, "lang:en");
  }
  const askBank = await s.say(OWNER, english ? "/disburse" : "/kirimdana");
  await s.press(OWNER, askBank, { text: "CIMB Niaga" });
  await s.say(OWNER, "1234567890123");
  return textOf(await s.say(OWNER, "Budi Santoso"));
}

describe("an amount above what the question said is refused with that same maximum, at once", () => {
  it("with the default limits, '200jt' to CIMB Niaga is told the Rp 25.000.000 per transfer the question named, not the bank's Rp 100.000.000", async () => {
    shop = await startShop();
    const question = await upToCimbAmount(shop);
    expect(question).toContain("between Rp 10.000 and Rp 25.000.000");

    const told = textOf(await shop.say(OWNER, "200jt"));
    expect(told).toContain("above the limit per transfer (Rp 25.000.000)");
    expect(told).not.toContain("100.000.000");
    // The same answer as for an amount just above it: one refusal, not one per limit in turn.
    expect(textOf(await shop.say(OWNER, "30jt"))).toBe(told);
    expect(textOf(await shop.say(OWNER, "25jt"))).toContain("description");
    expect(shop.gatewayCalls()).toBe(0);
  });

  it("when less is left today than one transfer may send, '200jt' is told what is left today, as the question said", async () => {
    shop = await startShop({ disburse: { disburseMaxAmount: 25_000_000, disburseDailyLimit: 30_000_000 } });
    const first = await fillTransfer(shop, OWNER, { account: "1234567890", holder: "Sari Dewi", amount: "10jt", description: "Sewa kios" });
    await shop.press(OWNER, first, { text: "✅ Kirim Rp 10.000.000" });
    expect(shop.gatewayCalls()).toBe(1);

    const question = await upToCimbAmount(shop, false);
    expect(question).toContain("antara Rp 10.000 dan Rp 20.000.000");
    const told = textOf(await shop.say(OWNER, "200jt"));
    expect(told).toContain("melebihi sisa batas hari ini (Rp 20.000.000)");
    expect(told).not.toContain("100.000.000");
    expect(told).not.toContain("25.000.000");
    expect(textOf(await shop.say(OWNER, "20jt"))).toContain("keterangan");
    expect(shop.gatewayCalls()).toBe(1);
  });

  it("when the shop allows more per transfer and per day than the bank takes, the bank's maximum is the one asked and refused with", async () => {
    shop = await startShop({ disburse: { disburseMaxAmount: 500_000_000, disburseDailyLimit: 1_000_000_000 } });
    const question = await upToCimbAmount(shop, false);
    expect(question).toContain("antara Rp 10.000 dan Rp 100.000.000");
    expect(textOf(await shop.say(OWNER, "200jt"))).toContain("Nominal maksimal Rp 100.000.000 untuk CIMB Niaga");
    expect(textOf(await shop.say(OWNER, "100jt"))).toContain("keterangan");
    expect(shop.gatewayCalls()).toBe(0);
  });

  it("a bare M is asked again as juta or miliar, and a minus sign is told the amount must be more than zero", async () => {
    shop = await startShop();
    await upToCimbAmount(shop);
    const told = textOf(await shop.say(OWNER, "2M"));
    expect(told).toContain("Rp 2.000.000 or Rp 2.000.000.000");
    expect(told).toContain("2jt");
    expect(told).toContain("2 miliar");
    expect(textOf(await shop.say(OWNER, "-2jt"))).toContain("The amount must be more than zero");
    expect(textOf(await shop.say(OWNER, "-abc"))).toContain('Could not read "-abc"');
    expect(textOf(await shop.say(OWNER, "2jt"))).toContain("description");
    expect(shop.gatewayCalls()).toBe(0);
  });
});
