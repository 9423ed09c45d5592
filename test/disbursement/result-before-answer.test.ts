import type { Message } from "grammy/types";
import { describe, expect, it } from "vitest";
import { createDisbursementAllowance } from "../../src/disbursement/index.js";
import { callText, fillTransfer, OWNER, shopPerTest, STORY_LIMITS, SUPPLIER, textOf, until } from "./shop.js";

/**
 * The bank's result of a transfer can come in before the gateway's answer to our create (the answer is slow,
 * or lost and retried): the callback finds the transfer's record, written before the call, and the owner is
 * told. The answer that came after it was told as if nothing had been heard: "being processed, do not tell
 * the payee yet" after "Transfer gagal", or "not certain, press Coba lagi" after it. And "Coba lagi" pressed
 * two days on, when the transfer's draft is forgotten, said "no money was sent, start again" of a transfer
 * that may have gone.
 */

const CONFIRM = { text: "✅ Kirim Rp 1.500.000" };
const RETRY = { text: "🔁 Coba lagi (aman, tidak dobel)" };
/** What the create's answer is told as, whichever way it went. */
const ANSWER_TOLD = /diproses bank|sebelumnya|belum pasti|Tidak dikirim|Bank sudah melaporkan/;

const shop = shopPerTest();

const ownerTexts = () => shop().messagesTo(OWNER.id).map(callText);
const remainingToday = () => createDisbursementAllowance({ store: shop().store, maxAmount: STORY_LIMITS.disburseMaxAmount, dailyLimit: STORY_LIMITS.disburseDailyLimit, now: () => new Date() }).remainingToday();

/** Confirms the transfer with the gateway's answer held up by `fault`; the bank's `result` comes meanwhile. */
async function resultWhileTheAnswerWaits(fault: { delayMs: number; status?: number; times?: number }, result: "fail" | "complete"): Promise<string> {
  const summary = await fillTransfer(shop(), OWNER, SUPPLIER);
  shop().sandbox.injectFault({ endpoint: "create-disbursement", when: "after", ...fault });
  shop().telegram.pressButton(OWNER, summary, CONFIRM);
  await until("the gateway to make it", () => shop().sandbox.objects().disbursements.length === 1);
  const externalId = shop().sandbox.objects().disbursements[0]?.external_id ?? "";
  if (result === "fail") shop().sandbox.failDisbursement(externalId, "INSUFFICIENT_BALANCE");
  else shop().sandbox.completeDisbursement(externalId);
  await until("the bank's result told", () => ownerTexts().some((t) => t.includes(result === "fail" ? "Transfer gagal" : "Transfer terkirim")));
  await until("the create's answer told", () => ownerTexts().some((t) => ANSWER_TOLD.test(t)), 10_000);
  const told = shop().messagesTo(OWNER.id).filter((c) => ANSWER_TOLD.test(callText(c)));
  expect(told).toHaveLength(1);
  // No "Coba lagi" under it: there is nothing left to try.
  expect(JSON.stringify(told[0]?.payload.reply_markup ?? {})).not.toContain("Coba lagi");
  return callText(told[0]!);
}

describe("the bank's result before the gateway's answer", () => {
  it("a FAILED, then the gateway's late yes: told as failed, not 'being processed'; the allowance is back", async () => {
    const told = await resultWhileTheAnswerWaits({ delayMs: 2_500 }, "fail");
    expect(told).toContain("Bank sudah melaporkan");
    expect(told).toContain("gagal: uangnya tidak terkirim");
    expect(told).not.toContain("sedang diproses bank");
    expect(told).toContain("Sisa batas hari ini: Rp 3.000.000");
    expect(await remainingToday()).toBe(3_000_000);
  });

  it("a COMPLETED, then the gateway's late yes: told as sent, not 'do not tell the payee yet'", async () => {
    const told = await resultWhileTheAnswerWaits({ delayMs: 2_500 }, "complete");
    expect(told).toContain("berhasil: uangnya sudah terkirim");
    expect(told).not.toContain("jangan dulu bilang ke penerima");
    expect(await remainingToday()).toBe(1_500_000);
  });

  it("a FAILED while the answers are lost (503): told as failed, not 'not certain, press Coba lagi'", async () => {
    const told = await resultWhileTheAnswerWaits({ delayMs: 1_500, status: 503, times: 5 }, "fail");
    expect(told).toContain("gagal: uangnya tidak terkirim");
    expect(told).not.toContain("belum pasti");
    expect(shop().sandbox.objects().disbursements).toHaveLength(1);
  });
});

describe("'Coba lagi' two days on, its draft forgotten", () => {
  it("says the transfer may have been sent and to check the dashboard, not that no money was sent", async () => {
    shop().sandbox.injectFault({ endpoint: "create-disbursement", when: "after", status: 503, times: 5 });
    const summary = await fillTransfer(shop(), OWNER, SUPPLIER);
    const unclear: Message = await shop().press(OWNER, summary, CONFIRM);
    expect(textOf(unclear)).toContain("belum pasti");
    expect(shop().sandbox.objects().disbursements).toHaveLength(1);
    // The draft is kept two days (its store TTL); then it is gone.
    const data = (unclear.reply_markup?.inline_keyboard[0]?.[0] as { callback_data?: string } | undefined)?.callback_data ?? "";
    await shop().store.namespace("disbursement-drafts").delete(data.split(":")[2] ?? "");
    shop().advanceClock(2 * 24 * 3600_000 + 60_000);
    const said = await shop().pressForAnswer(OWNER, unclear, RETRY);
    expect(said).toContain("mungkin sudah terkirim");
    expect(said).toContain("dashboard Palladium");
    expect(said).not.toContain("Tidak ada uang yang dikirim");
    expect(shop().sandbox.objects().disbursements).toHaveLength(1);
  });
});

describe("a FAILED that comes between the owner's 'Coba lagi' and its send", () => {
  it("leaves today's allowance whole: the retry's own taking of it is given back too", async () => {
    shop().sandbox.injectFault({ endpoint: "create-disbursement", when: "after", status: 503, times: 5 });
    const unclear = await shop().press(OWNER, await fillTransfer(shop(), OWNER, SUPPLIER), CONFIRM);
    expect(textOf(unclear)).toContain("belum pasti");
    expect(await remainingToday()).toBe(1_500_000);
    const externalId = shop().sandbox.objects().disbursements[0]?.external_id ?? "";
    // The bank fails it right after the press is claimed (its check for a result found none yet).
    const atomic = shop().store.atomic;
    const claim = atomic.setIfAbsent.bind(atomic);
    atomic.setIfAbsent = async (key, value, ttlMs) => {
      const won = await claim(key, value, ttlMs);
      if (key.startsWith("disburse:retry:")) {
        shop().sandbox.failDisbursement(externalId, "INSUFFICIENT_BALANCE");
        await until("the FAILED recorded", async () => (await shop().store.payments.get(externalId))?.status === "failed");
      }
      return won;
    };
    shop().telegram.pressButton(OWNER, unclear, RETRY);
    await until("the retry's answer told", () => ownerTexts().some((t) => t.includes("Bank sudah melaporkan")));
    expect(ownerTexts().find((t) => t.includes("Bank sudah melaporkan"))).toContain("gagal");
    expect(await remainingToday()).toBe(3_000_000);
    expect(shop().sandbox.objects().disbursements).toHaveLength(1);
  });
});
