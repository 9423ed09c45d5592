import { beforeEach, describe, expect, it } from "vitest";
import { CO_OWNER, fillTransfer, OWNER, shopPerTest, textOf } from "./shop.js";

/**
 * The amount question says what is left today, and its answer was judged against that figure however long
 * the question waited: asked at 23:58 WIB with Rp 1.000.000 left, "1,5jt" typed at 00:01 (a whole new day's
 * allowance) was refused "above what is left today, or send it tomorrow" at every try until /cancel. Nor did
 * an answer see the money another owner sent while it was typed.
 */

const shop = shopPerTest();

beforeEach(() => {
  // The bot's clock to 23:50 WIB (16:50 UTC) of a coming day.
  const at = new Date();
  at.setUTCHours(16, 50, 0, 0);
  if (at.getTime() < Date.now()) at.setUTCDate(at.getUTCDate() + 1);
  shop().advanceClock(at.getTime() - Date.now());
});

async function upToTheAmount(owner: typeof OWNER): Promise<string> {
  const askBank = await shop().say(owner, "/kirimdana");
  await shop().press(owner, askBank, { text: "BCA" });
  await shop().say(owner, "1234567890");
  return textOf(await shop().say(owner, "Budi Santoso"));
}

describe("an amount judged against what is left today when it is typed", () => {
  it("typed after midnight WIB, against the new day's allowance", async () => {
    const first = await fillTransfer(shop(), OWNER, { account: "1234567890", holder: "Budi Santoso", amount: "2jt", description: "Bayar A" });
    await shop().press(OWNER, first, { text: "✅ Kirim Rp 2.000.000" });
    shop().advanceClock(8 * 60_000); // 23:58
    expect(await upToTheAmount(OWNER)).toContain("sisa batas hari ini Rp 1.000.000");
    shop().advanceClock(3 * 60_000); // 00:01: a new day
    expect(textOf(await shop().say(OWNER, "1,5jt"))).toContain("keterangan");
  });

  it("typed after another owner sent money, against what is left now: asked again with that figure", async () => {
    expect(await upToTheAmount(OWNER)).toContain("sisa batas hari ini Rp 3.000.000");
    const other = await fillTransfer(shop(), CO_OWNER, { account: "0987654321", holder: "Sari Dewi", amount: "2jt", description: "Sewa" });
    await shop().press(CO_OWNER, other, { text: "✅ Kirim Rp 2.000.000" });
    const refused = textOf(await shop().say(OWNER, "1,5jt"));
    expect(refused).toContain("Nominal melebihi sisa batas hari ini (Rp 1.000.000)");
    // Within it, the flow goes on.
    expect(textOf(await shop().say(OWNER, "900rb"))).toContain("keterangan");
  });

  it("above the per-transfer limit is still refused at once, naming it", async () => {
    await upToTheAmount(OWNER);
    expect(textOf(await shop().say(OWNER, "2,5jt"))).toContain("Rp 2.000.000");
    expect(textOf(await shop().say(OWNER, "1,5jt"))).toContain("keterangan");
  });
});
