import { describe, expect, it } from "vitest";
import { OWNER, ownersDesk, sendTransfer, type Shop, shopPerFile } from "./shop-harness.js";
import { disbursementCallback, postCallback } from "./signed-callbacks.js";

/**
 * The gateway reports a transfer's result once as a rule. When it reports it again under another id, or the
 * other way round (a bank that reverses a transfer, or two results out of order), the owner must hear each
 * real change once, and the day's allowance must follow the newest result: an older FAILED arriving after a
 * COMPLETED would otherwise give back money that left, and let the daily limit be passed.
 */
let shop: Shop;
const { told } = shopPerFile((started) => (shop = started));

describe("a transfer's results out of order", () => {
  it("keeps the newest result, tells each change once, and moves the allowance with it", async () => {
    const desk = ownersDesk(shop);
    const sent = await sendTransfer(desk, 40_000_000);
    expect(sent.outcome.kind).toBe("sent");
    const draft = { externalId: sent.externalId };
    const ref = { externalId: draft.externalId, gatewayId: "", bankCode: "BCA", customerName: "Joko Supplier" };
    const result = (status: "COMPLETED" | "FAILED", id: string, updated: string) =>
      postCallback(shop.webhookUrl, "disbursement", disbursementCallback(ref, { id, status, amount: 40_000_000, updated, ...(status === "FAILED" ? { failure_code: "REJECTED_BY_BANK" } : {}) }));
    const record = () => shop.store.payments.get(draft.externalId);

    // COMPLETED at 10.00 WIB.
    expect((await result("COMPLETED", "disb-1", "2026-11-26T03:00:00.000Z")).status).toBe(200);
    await shop.settle();
    expect(told(OWNER.id, draft.externalId).filter((t) => t.includes("Transfer terkirim"))).toHaveLength(1);
    expect(await desk.allowance.remainingToday()).toBe(20_000_000);

    // A FAILED stamped 09.55, before it, under another id: left as recorded, nobody told, allowance kept.
    expect((await result("FAILED", "disb-2", "2026-11-26T02:55:00.000Z")).status).toBe(200);
    // The same COMPLETED again under another id: told once already.
    expect((await result("COMPLETED", "disb-3", "2026-11-26T03:00:00.000Z")).status).toBe(200);
    await shop.settle();
    expect(await record()).toMatchObject({ status: "completed" });
    expect(told(OWNER.id, draft.externalId)).toHaveLength(1);
    expect(await desk.allowance.remainingToday()).toBe(20_000_000);

    // A FAILED at 11.00 under the transfer's first id (the gateway's way): a change, told once with what it overturns.
    for (let i = 0; i < 3; i++) expect((await result("FAILED", "disb-1", "2026-11-26T04:00:00.000Z")).status).toBe(200);
    await shop.settle();
    expect(await record()).toMatchObject({ status: "failed", failureCode: "REJECTED_BY_BANK" });
    const failed = told(OWNER.id, draft.externalId).filter((t) => t.includes("Transfer gagal"));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain("Palladium sebelumnya melaporkan transfer ini terkirim");
    expect(await desk.allowance.remainingToday()).toBe(60_000_000);

    // And back, under the same id again (the gateway's way): a COMPLETED at 12.00 counts the money again.
    expect((await result("COMPLETED", "disb-1", "2026-11-26T05:00:00.000Z")).status).toBe(200);
    await shop.settle();
    const again = told(OWNER.id, draft.externalId).filter((t) => t.includes("Transfer terkirim"));
    expect(again).toHaveLength(2);
    expect(again[1]).toContain("sebelumnya melaporkan transfer ini gagal");
    expect(await desk.allowance.remainingToday()).toBe(20_000_000);
    expect(told(OWNER.id, draft.externalId)).toHaveLength(3);

    // A FAILED without the gateway's time cannot be ordered: it does not overturn the COMPLETED (money may have
    // left), and the owner hears of it once, to look at the dashboard.
    const untimed = disbursementCallback(ref, { id: "disb-5", status: "FAILED", amount: 40_000_000, failure_code: "REJECTED_BY_BANK" });
    delete untimed.updated;
    for (let i = 0; i < 2; i++) expect((await postCallback(shop.webhookUrl, "disbursement", untimed)).status).toBe(200);
    await shop.settle();
    expect(await record()).toMatchObject({ status: "completed" });
    expect(await desk.allowance.remainingToday()).toBe(20_000_000);
    expect(told(OWNER.id, draft.externalId)).toHaveLength(4);
    expect(told(OWNER.id, draft.externalId)[3]).toContain("Transfer ini kini dilaporkan GAGAL, padahal sebelumnya dilaporkan terkirim");
    expect(told(OWNER.id, draft.externalId)[3]).toContain("Bot tetap mencatatnya terkirim");
  });

  it("believes a COMPLETED after a FAILED that came without a time, whatever the COMPLETED's own time", async () => {
    const desk = ownersDesk(shop);
    const before = await desk.allowance.remainingToday();
    const sent = await sendTransfer(desk, 5_000_000);
    const ref = { externalId: sent.externalId, gatewayId: "" };
    const untimedFailed = disbursementCallback(ref, { id: "disb-u", status: "FAILED", amount: 5_000_000, failure_code: "REJECTED_BY_BANK" });
    delete untimedFailed.updated;
    expect((await postCallback(shop.webhookUrl, "disbursement", untimedFailed)).status).toBe(200);
    await shop.settle();
    expect(await desk.allowance.remainingToday()).toBe(before);
    // Stamped a minute before the FAILED arrived: it has a time, the FAILED had none.
    const completed = disbursementCallback(ref, { id: "disb-u", status: "COMPLETED", amount: 5_000_000, updated: new Date(Date.now() - 60_000).toISOString() });
    expect((await postCallback(shop.webhookUrl, "disbursement", completed)).status).toBe(200);
    await shop.settle();
    expect(await shop.store.payments.get(sent.externalId)).toMatchObject({ status: "completed" });
    expect(await desk.allowance.remainingToday()).toBe(before - 5_000_000);
  });

  it("counts what the bank reports it sent when that is more than the owner sent, once however often reported", async () => {
    const desk = ownersDesk(shop);
    const before = await desk.allowance.remainingToday();
    const sent = await sendTransfer(desk, 1_000_000);
    expect(sent.outcome.kind).toBe("sent");
    const ref = { externalId: sent.externalId, gatewayId: "" };
    for (const id of ["disb-more-1", "disb-more-2"]) {
      expect((await postCallback(shop.webhookUrl, "disbursement", disbursementCallback(ref, { id, amount: 10_000_000 }))).status).toBe(200);
    }
    await shop.settle();
    expect(await desk.allowance.remainingToday()).toBe(before - 10_000_000);
    const notices = told(OWNER.id, sent.externalId);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain("Rp 10.000.000");
    expect(notices[0]).toContain("Yang dikirim dari bot: jumlah Rp 1.000.000");
  });

  it("does not let a FAILED overturn a COMPLETED that was recorded without the gateway's time", async () => {
    const desk = ownersDesk(shop);
    const sent = await sendTransfer(desk, 3_000_000);
    const ref = { externalId: sent.externalId, gatewayId: "" };
    const afterSending = await desk.allowance.remainingToday();
    const untimedCompleted = disbursementCallback(ref, { id: "disb-c", status: "COMPLETED", amount: 3_000_000 });
    delete untimedCompleted.updated;
    expect((await postCallback(shop.webhookUrl, "disbursement", untimedCompleted)).status).toBe(200);
    await shop.settle();
    // Stamped now: later than anything, but the COMPLETED it contradicts cannot be ordered against it.
    const failed = disbursementCallback(ref, { id: "disb-c", status: "FAILED", amount: 3_000_000, failure_code: "REJECTED_BY_BANK" });
    expect((await postCallback(shop.webhookUrl, "disbursement", failed)).status).toBe(200);
    await shop.settle();
    expect(await shop.store.payments.get(sent.externalId)).toMatchObject({ status: "completed" });
    expect(await desk.allowance.remainingToday()).toBe(afterSending);
    expect(told(OWNER.id, sent.externalId).filter((t) => t.includes("Transfer gagal"))).toHaveLength(0);
    expect(told(OWNER.id, sent.externalId).filter((t) => t.includes("Transfer ini kini dilaporkan GAGAL, padahal sebelumnya dilaporkan terkirim"))).toHaveLength(1);
  });

  it("counts more sent than asked on the transfer's own day when its FAILED is overturned on the next day", async () => {
    // Sent yesterday, Jakarta time; the bank's FAILED and then its COMPLETED for more arrive today.
    const yesterday = () => new Date(Date.now() - 24 * 3600_000);
    const today = ownersDesk(shop);
    const beforeToday = await today.allowance.remainingToday();
    const sent = await sendTransfer(ownersDesk(shop, yesterday), 2_000_000);
    expect(sent.outcome.kind).toBe("sent");
    const ref = { externalId: sent.externalId, gatewayId: "" };
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const result = (status: "COMPLETED" | "FAILED", amount: number, updated: string) =>
      postCallback(shop.webhookUrl, "disbursement", disbursementCallback(ref, { id: "disb-y", status, amount, updated, ...(status === "FAILED" ? { failure_code: "REJECTED_BY_BANK" } : {}) }));
    expect((await result("FAILED", 2_000_000, at(2))).status).toBe(200);
    await shop.settle();
    expect((await result("COMPLETED", 2_500_000, at(1))).status).toBe(200);
    await shop.settle();
    expect(await shop.store.payments.get(sent.externalId)).toMatchObject({ status: "completed" });
    // All 2,5 juta count on yesterday's allowance; today's is untouched.
    expect(await today.allowance.remainingToday()).toBe(beforeToday);
    expect(await ownersDesk(shop, yesterday).allowance.remainingToday()).toBe(60_000_000 - 2_500_000);
  });
});

describe("a transfer's result written another way", () => {
  it("a 'failed' in lower case is read as FAILED: the owner is told and the allowance given back, not refused with 400 and lost", async () => {
    const desk = ownersDesk(shop);
    const before = await desk.allowance.remainingToday();
    const sent = await sendTransfer(desk, 2_000_000);
    const ref = { externalId: sent.externalId, gatewayId: "" };
    const failed = disbursementCallback(ref, { status: "failed", amount: 2_000_000, failure_code: "INVALID_DESTINATION" });
    expect((await postCallback(shop.webhookUrl, "disbursement", failed)).status).toBe(200);
    await shop.settle();
    expect(await shop.store.payments.get(sent.externalId)).toMatchObject({ status: "failed" });
    expect(told(OWNER.id, sent.externalId).filter((t) => t.includes("Transfer gagal"))).toHaveLength(1);
    expect(await desk.allowance.remainingToday()).toBe(before);
  });
});

// Last in the file: the shop's daily allowance is shared by every transfer above.
describe("a transfer's results stamped the same second", () => {
  it("two contradicting results stamped the same second cannot be ordered: a COMPLETED is believed, a FAILED kept out and told", async () => {
    const desk = ownersDesk(shop);
    const at = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    const result = (ref: { externalId: string; gatewayId: string }, id: string, status: "COMPLETED" | "FAILED") =>
      postCallback(shop.webhookUrl, "disbursement", disbursementCallback(ref, { id, status, amount: 200_000, updated: at, ...(status === "FAILED" ? { failure_code: "REJECTED_BY_BANK" } : {}) }));

    // FAILED, then COMPLETED the same second: the money left after all, and counts again.
    const before = await desk.allowance.remainingToday();
    const first = await sendTransfer(desk, 200_000);
    const firstRef = { externalId: first.externalId, gatewayId: "" };
    expect((await result(firstRef, "disb-same-1", "FAILED")).status).toBe(200);
    await shop.settle();
    expect(await desk.allowance.remainingToday()).toBe(before);
    expect((await result(firstRef, "disb-same-1", "COMPLETED")).status).toBe(200);
    await shop.settle();
    expect(await shop.store.payments.get(first.externalId)).toMatchObject({ status: "completed" });
    expect(await desk.allowance.remainingToday()).toBe(before - 200_000);
    const toldFirst = told(OWNER.id, first.externalId);
    expect(toldFirst).toHaveLength(2);
    expect(toldFirst[1]).toContain("sebelumnya melaporkan transfer ini gagal");

    // COMPLETED, then FAILED the same second: kept as completed (the money may have left), the owner told of both.
    const second = await sendTransfer(desk, 200_000);
    const secondRef = { externalId: second.externalId, gatewayId: "" };
    expect((await result(secondRef, "disb-same-2", "COMPLETED")).status).toBe(200);
    await shop.settle();
    const afterSecond = await desk.allowance.remainingToday();
    expect((await result(secondRef, "disb-same-2", "FAILED")).status).toBe(200);
    await shop.settle();
    expect(await shop.store.payments.get(second.externalId)).toMatchObject({ status: "completed" });
    expect(await desk.allowance.remainingToday()).toBe(afterSecond);
    const toldSecond = told(OWNER.id, second.externalId);
    expect(toldSecond).toHaveLength(2);
    expect(toldSecond[1]).toContain("Transfer ini kini dilaporkan GAGAL, padahal sebelumnya dilaporkan terkirim");
  });
});
