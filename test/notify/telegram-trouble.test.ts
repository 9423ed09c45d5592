import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { privateChat } from "../../src/telegram-local/bot-api-server.js";
import type { Fault } from "../../src/telegram-local/types.js";
import { CASHIER, OWNER, SHOP_GROUP, startShop, textOf, type Shop } from "../webhook/shop-harness.js";

let shop: Shop;

beforeAll(async () => {
  shop = await startShop();
});
afterEach(() => shop.telegram.clearFaults());
afterAll(async () => {
  await shop.close();
});

const mentioning = (externalId: string, chatId: number) => shop.messagesTo(chatId).filter((c) => textOf(c).includes(externalId));

/**
 * A VA paid while Telegram answers its notices' first sends with `faults` (each: how many, what): the VA, the
 * sends Telegram did not take, and how many notices the notifier gave up meanwhile.
 */
async function paidWhileSendsFail(amount: number, name: string, faults: ReadonlyArray<[count: number, fault: Fault]>) {
  const va = await shop.createVirtualAccount({ amount, name, showPhoto: false });
  const gaveUpBefore = shop.events.get("gave_up") ?? 0;
  for (const [count, fault] of faults) shop.telegram.failNext("sendMessage", count, fault);
  expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
  await shop.settle(30_000);
  const failedTries = shop.telegram.callsTo("sendMessage").filter((c) => String(c.payload.text ?? "").includes(va.externalId) && !c.response.ok);
  return { va, failedTries, gaveUp: (shop.events.get("gave_up") ?? 0) - gaveUpBefore };
}

describe("Telegram has a bad minute", () => {
  it("429s (retry after 1 s) and 502s still end in exactly one message per chat and one PAID caption", async () => {
    const va = await shop.createVirtualAccount({ amount: 415_000, name: "Hendra Gunawan" });
    const rateLimitedBefore = shop.events.get("rate_limited") ?? 0;
    shop.telegram.failNext("sendMessage", 2, { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    shop.telegram.failNext("sendMessage", 3, { error_code: 502, description: "Bad Gateway" });
    shop.telegram.failNext("editMessageCaption", 2, { error_code: 502, description: "Bad Gateway" });

    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
    await shop.settle(30_000);

    const attempts = shop.telegram.callsTo("sendMessage").filter((c) => String(c.payload.text ?? "").includes(va.externalId));
    expect(attempts.filter((c) => !c.response.ok).length).toBe(5);
    expect(mentioning(va.externalId, SHOP_GROUP)).toHaveLength(1);
    expect(mentioning(va.externalId, CASHIER.id)).toHaveLength(1);
    const edits = shop.telegram.callsTo("editMessageCaption").filter((c) => Number(c.payload.message_id) === va.messageId && Number(c.payload.chat_id) === CASHIER.id);
    expect(edits.filter((c) => c.response.ok)).toHaveLength(1);
    expect((shop.events.get("rate_limited") ?? 0) - rateLimitedBefore).toBe(2);
  });

  it("a revoked token (401) or a wrong API root (404) keeps every notification until Telegram takes the bot again", async () => {
    const { va, failedTries, gaveUp } = await paidWhileSendsFail(275_000, "Rudi Hartono", [
      [2, { error_code: 401, description: "Unauthorized" }],
      [1, { error_code: 404, description: "Not Found" }],
    ]);
    expect(failedTries).toHaveLength(3);
    expect(mentioning(va.externalId, SHOP_GROUP)).toHaveLength(1);
    expect(mentioning(va.externalId, CASHIER.id)).toHaveLength(1);
    expect(gaveUp).toBe(0);
  });

  it("an answer that is no Bot API answer (a 200 without \"ok\", from a broken proxy) is tried again, not taken as a refusal", async () => {
    const { va, failedTries, gaveUp } = await paidWhileSendsFail(135_000, "Yudi Pratama", [[2, { answerInstead: {} }]]);
    expect(failedTries).toHaveLength(2);
    expect(mentioning(va.externalId, SHOP_GROUP)).toHaveLength(1);
    expect(mentioning(va.externalId, CASHIER.id)).toHaveLength(1);
    // Nothing was refused, so the owners hear nothing of it.
    expect(mentioning(va.externalId, OWNER.id)).toHaveLength(0);
    expect(gaveUp).toBe(0);
  });

  it("an edit of the bill's caption answered so is tried again too: the caption ends PAID once", async () => {
    const va = await shop.createVirtualAccount({ amount: 155_000, name: "Yanti Lestari" });
    shop.telegram.failNext("editMessageCaption", 2, { answerInstead: {} });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
    await shop.settle(30_000);
    const edits = shop.telegram.callsTo("editMessageCaption").filter((c) => Number(c.payload.message_id) === va.messageId && Number(c.payload.chat_id) === CASHIER.id);
    expect(edits.filter((c) => !c.response.ok)).toHaveLength(2);
    expect(edits.filter((c) => c.response.ok)).toHaveLength(1);
    expect(mentioning(va.externalId, OWNER.id)).toHaveLength(0);
  });

  it("a cashier who blocked the bot does not stop the group from hearing", async () => {
    const leaver = { id: 7777, first_name: "Kasir Pagi" };
    shop.telegram.addChat(privateChat(leaver));
    await shop.store.access.addStaff({ userId: leaver.id, name: leaver.first_name, addedBy: OWNER.id, addedAt: new Date().toISOString() });
    const va = await shop.createVirtualAccount({ amount: 60_000, name: "Lina Marlina", createdBy: leaver.id, chatId: leaver.id, showPhoto: false });
    shop.telegram.blockBot(leaver);
    const gaveUpBefore = shop.events.get("gave_up") ?? 0;
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
    await shop.settle();
    expect(mentioning(va.externalId, SHOP_GROUP)).toHaveLength(1);
    expect(mentioning(va.externalId, leaver.id)).toHaveLength(0);
    expect((shop.events.get("gave_up") ?? 0) - gaveUpBefore).toBe(1);
  });

  it("the payment message still turns PAID when it was a text message rather than a photo", async () => {
    const va = await shop.createVirtualAccount({ amount: 45_000, name: "Yusuf Maulana", showPhoto: false });
    const text = await shop.api.sendMessage(CASHIER.id, `VA BCA ${va.accountNumber}`);
    await shop.store.payments.update(va.externalId, { messageId: text.message_id });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
    await shop.settle();
    const shown = shop.telegram.messagesIn(CASHIER.id).find((m) => m.message_id === text.message_id);
    expect(shown && "text" in shown ? shown.text : "").toContain("SUDAH DIBAYAR");
  });
});
