import { afterEach, describe, expect, it } from "vitest";
import { CASHIER, OWNER, startShop, toldAbout, type Shop } from "../webhook/shop-harness.js";

/**
 * A shop group with topics turned on (Telegram's "forum"), linked from its "Pembayaran" topic: the shop
 * reads its paid notices there. Admins close or delete topics, and close General; whatever they do, each
 * payment still reaches the shop once.
 */

let shop: Shop | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

const forum = { id: -1_005_550_001, type: "supergroup" as const, title: "Toko Sinar", isForum: true };

async function shopWithForum(linkedFromTopic: boolean) {
  const s = await startShop({ linkGroup: false });
  s.telegram.addChat(forum, [
    { user: OWNER, status: "creator" },
    { user: CASHIER, status: "member" },
  ]);
  const payments = s.telegram.openTopic(forum.id, "Pembayaran", OWNER);
  await s.store.access.linkGroup({
    chatId: forum.id,
    title: forum.title,
    linkedBy: OWNER.id,
    linkedAt: new Date().toISOString(),
    ...(linkedFromTopic ? { topicId: payments } : {}),
  });
  return { s, payments };
}

async function paid(s: Shop, name: string) {
  const va = await s.createVirtualAccount({ amount: 215_000, name, showPhoto: false });
  expect((await s.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
  await s.settle();
  return va;
}

/** The group's attempts to tell of a payment: where each went (topic or main chat) and whether Telegram took it. */
const attemptsInGroup = (s: Shop, externalId: string) =>
  s.telegram
    .callsTo("sendMessage")
    .filter((c) => Number(c.payload.chat_id) === forum.id && String(c.payload.text).includes(externalId))
    .map((c) => ({ topic: c.payload.message_thread_id === undefined ? undefined : Number(c.payload.message_thread_id), ok: c.response.ok }));

describe("a shop group with topics, linked from one of them", () => {
  it("hears each payment in that topic, once", async () => {
    const { s, payments } = await shopWithForum(true);
    shop = s;
    const va = await paid(s, "Nur Aini");
    expect(attemptsInGroup(s, va.externalId)).toEqual([{ topic: payments, ok: true }]);
    const inTopic = s.telegram.messagesIn(forum.id).filter((m) => m.message_thread_id === payments && m.from?.is_bot);
    expect(inTopic).toHaveLength(1);
    expect(toldAbout(s, CASHIER.id, va.externalId)).toHaveLength(1);
    expect(toldAbout(s, OWNER.id, va.externalId)).toHaveLength(0);
  });

  it("closed by an admin: the notice goes to the group's main chat instead, and the topic stays linked for when it reopens", async () => {
    const { s, payments } = await shopWithForum(true);
    shop = s;
    s.telegram.closeTopic(forum.id, payments);
    const va = await paid(s, "Nur Aini");
    expect(attemptsInGroup(s, va.externalId)).toEqual([
      { topic: payments, ok: false },
      { topic: undefined, ok: true },
    ]);
    expect(toldAbout(s, OWNER.id, va.externalId)).toHaveLength(0);
    expect((await s.store.access.listGroups())[0]?.topicId).toBe(payments);
    expect(s.events.get("gave_up") ?? 0).toBe(0);
  });

  it("deleted by an admin: the notice goes to the main chat, and later ones go there straight away", async () => {
    const { s, payments } = await shopWithForum(true);
    shop = s;
    s.telegram.deleteTopic(forum.id, payments);
    const first = await paid(s, "Nur Aini");
    expect(attemptsInGroup(s, first.externalId)).toEqual([
      { topic: payments, ok: false },
      { topic: undefined, ok: true },
    ]);
    expect((await s.store.access.listGroups())[0]).toMatchObject({ chatId: forum.id });
    expect((await s.store.access.listGroups())[0]?.topicId).toBeUndefined();

    const second = await paid(s, "Rudi Hartono");
    expect(attemptsInGroup(s, second.externalId)).toEqual([{ topic: undefined, ok: true }]);
    expect(toldAbout(s, OWNER.id, first.externalId)).toHaveLength(0);
  });

  it("deleted, with General closed too: nowhere in the group takes it, so the owner gets it, once, saying why", async () => {
    const { s, payments } = await shopWithForum(true);
    shop = s;
    s.telegram.deleteTopic(forum.id, payments);
    s.telegram.closeTopic(forum.id);
    const va = await paid(s, "Nur Aini");
    expect(attemptsInGroup(s, va.externalId).filter((a) => a.ok)).toHaveLength(0);
    const toOwner = toldAbout(s, OWNER.id, va.externalId);
    expect(toOwner).toHaveLength(1);
    expect(toOwner[0]).toContain("↪️");
    expect(toldAbout(s, CASHIER.id, va.externalId)).toHaveLength(1);
  });

  it("linked from General, which an admin then closed: the owner gets each notice at once (not retried for ever)", async () => {
    const { s } = await shopWithForum(false);
    shop = s;
    s.telegram.closeTopic(forum.id);
    const va = await paid(s, "Nur Aini");
    expect(attemptsInGroup(s, va.externalId)).toEqual([{ topic: undefined, ok: false }]);
    expect(toldAbout(s, OWNER.id, va.externalId)).toHaveLength(1);
    expect(s.events.get("gave_up") ?? 0).toBe(1);
  });
});
