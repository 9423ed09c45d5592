import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CASHIER, startWorld, textOf, type World } from "./world.js";

let world: World;
beforeEach(async () => {
  world = await startWorld({ staff: [CASHIER] });
});
afterEach(async () => {
  await world.close();
});

const vaCreates = () => world.sandbox.stats().createRequests["create-virtual-account"];

/** A BNI virtual account for "Siti Aminah" up to its amount question. */
async function upToAmount(bank = "BNI"): Promise<string> {
  const askBank = await world.say(CASHIER, "/va");
  await world.press(CASHIER, askBank, { text: bank });
  return textOf(await world.say(CASHIER, "Siti Aminah"));
}

describe("an amount ending in a bare M is asked again, not guessed", () => {
  it("an English cashier's '2M' is not taken as 2 miliar: she is asked for jt or miliar, and '2jt' makes Rp 2.000.000", async () => {
    const language = await world.say(CASHIER, "/language");
    await world.press(CASHIER, language, { text: "🇬🇧 English" });
    expect(await upToAmount()).toContain("Type the amount");

    const told = textOf(await world.say(CASHIER, "2M"));
    expect(told).toContain('"2M"');
    expect(told).toContain("Rp 2.000.000 or Rp 2.000.000.000");
    expect(told).toContain("2jt");
    expect(told).toContain("2 miliar");
    // Still at the amount question: the next answer is the amount.
    const askSingle = await world.say(CASHIER, "2jt");
    expect(textOf(askSingle)).toContain("one payment");
    const summary = await world.press(CASHIER, askSingle, { text: "One payment" });
    expect(textOf(summary)).toContain("Amount: Rp 2.000.000\n");
    expect(vaCreates()).toBe(0);
  });

  it("in Indonesian '1,5m' is asked again the same way, and '1,5 miliar' is read as miliar (then refused as above BCA's maximum)", async () => {
    await upToAmount("BCA");
    const told = textOf(await world.say(CASHIER, "1,5m"));
    expect(told).toContain("Rp 1.500.000 atau Rp 1.500.000.000");
    expect(told).toContain("1,5jt");
    expect(told).toContain("1,5 miliar");
    expect(textOf(await world.say(CASHIER, "1,5 miliar"))).toContain("Nominal maksimal Rp 50.000.000");
    expect(textOf(await world.say(CASHIER, "1,5jt"))).toContain("sekali bayar");
    expect(vaCreates()).toBe(0);
  });
});

describe("a negative amount", () => {
  it("'-5000' is told the amount must be more than zero, in the cashier's language, and asked again", async () => {
    await upToAmount("BCA");
    const told = textOf(await world.say(CASHIER, "-5000"));
    expect(told).toContain("Nominal harus lebih dari nol");
    expect(told).not.toContain("tidak terbaca");
    expect(textOf(await world.say(CASHIER, "Rp -150.000"))).toContain("Nominal harus lebih dari nol");
    expect(textOf(await world.say(CASHIER, "150.000"))).toContain("sekali bayar");

    await world.say(CASHIER, "/cancel");
    const language = await world.say(CASHIER, "/language");
    await world.press(CASHIER, language, { text: "🇬🇧 English" });
    await upToAmount("BCA");
    expect(textOf(await world.say(CASHIER, "−50rb"))).toContain("The amount must be more than zero");
    expect(vaCreates()).toBe(0);
  });
});

describe("a thousands group before a suffix", () => {
  it("'1,500rb' is asked again with both readings, not taken as Rp 1.500", async () => {
    const w = await startWorld({ staff: [CASHIER] });
    try {
      const askBank = await w.say(CASHIER, "/va");
      await w.press(CASHIER, askBank, { text: "BCA" });
      await w.say(CASHIER, "Siti Aminah");
      const told = textOf(await w.say(CASHIER, "1,500rb"));
      expect(told).toContain("Rp 1.500 atau Rp 1.500.000");
      expect(textOf(await w.say(CASHIER, "1,5jt"))).toContain("sekali bayar");
    } finally {
      await w.close();
    }
  });
});

describe("an amount with sen", () => {
  it("'150.000,50' is answered with the whole rupiah either side and asked again; the next answer is the amount", async () => {
    await upToAmount("BCA");
    const told = textOf(await world.say(CASHIER, "150.000,50"));
    expect(told).toContain('"150.000,50" memakai sen');
    expect(told).toContain("Ketik Rp 150.000 atau Rp 150.001");
    const askSingle = await world.say(CASHIER, "150.000");
    expect(textOf(askSingle)).toContain("sekali bayar");
    expect(vaCreates()).toBe(0);
  });

  it("offers only whole rupiah the question takes: one at BCA's maximum or minimum, the range itself when neither is", async () => {
    await upToAmount("BCA");
    const atMax = textOf(await world.say(CASHIER, "50.000.000,50"));
    expect(atMax).toContain("Ketik Rp 50.000.000");
    expect(atMax).not.toContain("50.000.001");
    const atMin = textOf(await world.say(CASHIER, "9.999,50"));
    expect(atMin).toContain("Ketik Rp 10.000");
    expect(atMin).not.toContain("9.999 atau");
    expect(textOf(await world.say(CASHIER, "5.000,50"))).toContain("Nominal minimal Rp 10.000");
    expect(textOf(await world.say(CASHIER, "50.000.000"))).toContain("sekali bayar");
    expect(vaCreates()).toBe(0);
  });
});
