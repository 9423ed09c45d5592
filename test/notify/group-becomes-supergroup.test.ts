import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASHIER, OWNER, startShop, textOf, type Shop } from "../webhook/shop-harness.js";

/**
 * Telegram makes a linked basic group a supergroup (new id) while the bot is not running, so the first to
 * find out is the notifier: Telegram refuses the old id and names the new one. Every payment is still told
 * once in the group, and the link follows, so later ones go straight to the supergroup: also those made in
 * the group before the move, which still name its old id.
 */
const basicGroup = { id: -4_088_001, type: "group" as const, title: "Toko Maju Jaya" };
const supergroupId = -1_004_088_001;

let shop: Shop;
beforeAll(async () => {
  shop = await startShop({ linkGroup: false });
  shop.telegram.addChat(basicGroup, [
    { user: OWNER, status: "creator" },
    { user: CASHIER, status: "member" },
  ]);
  await ownerLinks(basicGroup.id, basicGroup.title);
});
afterAll(async () => {
  await shop.close();
});

/** A basic group of the shop's (the owner made it, the cashier is in it), and the id its supergroup will have. */
function shopGroup(n: number, title: string): { group: { id: number; type: "group"; title: string }; supergroup: number } {
  const group = { id: -4_088_000 - n, type: "group" as const, title };
  shop.telegram.addChat(group, [
    { user: OWNER, status: "creator" },
    { user: CASHIER, status: "member" },
  ]);
  return { group, supergroup: -1_004_088_000 - n };
}
/** What /linkgroup typed by the owner in the chat leaves in the store. */
const ownerLinks = (chatId: number, title: string) => shop.store.access.linkGroup({ chatId, title, linkedBy: OWNER.id, linkedAt: new Date().toISOString() });
/** The customer pays the VA at the sandbox, and every notice of it is handled. */
async function customerPays(externalId: string): Promise<void> {
  expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${externalId}/pay`)).status).toBe(200);
  await shop.settle();
}
const toChat = (chatId: number) => shop.telegram.callsTo("sendMessage").filter((c) => Number(c.payload.chat_id) === chatId);
const mentioning = (chatId: number, externalId: string) => shop.messagesTo(chatId).filter((c) => textOf(c).includes(externalId));

describe("a linked group that became a supergroup", () => {
  it("hears each payment once under its new id, and the link follows so the old id is tried only once", async () => {
    // Made in the group by the cashier, and one in the cashier's private chat, both before the move.
    const inGroup = await shop.createVirtualAccount({ amount: 120_000, name: "Siti Aminah", chatId: basicGroup.id });
    const inPrivate = await shop.createVirtualAccount({ amount: 80_000, name: "Budi Santoso", showPhoto: false });
    shop.telegram.migrateGroupToSupergroup(basicGroup.id, { id: supergroupId }, OWNER);

    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${inPrivate.externalId}/pay`)).status).toBe(200);
    await shop.settle();
    expect(mentioning(supergroupId, inPrivate.externalId)).toHaveLength(1);
    expect(mentioning(CASHIER.id, inPrivate.externalId)).toHaveLength(1);
    expect(toChat(basicGroup.id).filter((c) => !c.response.ok)).toHaveLength(1);
    expect(await shop.store.access.listGroups()).toMatchObject([{ chatId: supergroupId, formerChatIds: [basicGroup.id] }]);

    // The payment made in the old group: its group and its creator's chat are one chat, told once, directly.
    // Its QR photo stays in the old group's history, where it cannot be marked PAID: that is not a failure.
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${inGroup.externalId}/pay`)).status).toBe(200);
    await shop.settle();
    expect(mentioning(supergroupId, inGroup.externalId)).toHaveLength(1);
    expect(toChat(basicGroup.id)).toHaveLength(1);
    expect(shop.events.get("gave_up") ?? 0).toBe(0);
  });

  it("a group that was not linked when it moved: a payment made there before is told once in the supergroup linked since", async () => {
    const { group, supergroup } = shopGroup(2, "Kasir Depan");
    const made = await shop.createVirtualAccount({ amount: 90_000, name: "Siti Aminah", chatId: group.id });
    shop.telegram.migrateGroupToSupergroup(group.id, { id: supergroup }, OWNER);
    // What the bot does on Telegram's service message: nothing was linked to move, but the move is kept.
    expect(await shop.store.access.moveGroup(group.id, supergroup)).toBe(false);
    // The owner then links the supergroup with /linkgroup.
    await ownerLinks(supergroup, group.title);

    await customerPays(made.externalId);
    expect(mentioning(supergroup, made.externalId)).toHaveLength(1);
  });

  it("a linked group moved, then unlinked and linked again: a payment made in it before the move is told there once", async () => {
    const { group, supergroup } = shopGroup(3, "Kasir Belakang");
    await ownerLinks(group.id, group.title);
    const made = await shop.createVirtualAccount({ amount: 70_000, name: "Rudi Hartono", chatId: group.id });
    shop.telegram.migrateGroupToSupergroup(group.id, { id: supergroup }, OWNER);
    expect(await shop.store.access.moveGroup(group.id, supergroup)).toBe(true);
    // /unlinkgroup, then /linkgroup, in the supergroup.
    expect(await shop.store.access.unlinkGroup(supergroup)).toBe(true);
    await ownerLinks(supergroup, group.title);

    await customerPays(made.externalId);
    expect(mentioning(supergroup, made.externalId)).toHaveLength(1);
  });

  it("a move the bot never heard of, and the supergroup linked since: a payment made in the old group is told there once", async () => {
    const { group, supergroup } = shopGroup(4, "Kasir Samping");
    const made = await shop.createVirtualAccount({ amount: 65_000, name: "Dewi Lestari", chatId: group.id });
    // Telegram moves the group while the bot is down for longer than it keeps updates: nothing records the
    // move. The owner links the supergroup afterwards.
    shop.telegram.migrateGroupToSupergroup(group.id, { id: supergroup }, OWNER);
    await ownerLinks(supergroup, group.title);

    await customerPays(made.externalId);
    expect(mentioning(supergroup, made.externalId)).toHaveLength(1);
    // The old id was tried once, refused with the new one; the move is kept for the payments after it.
    expect(toChat(group.id)).toHaveLength(1);
    expect((await shop.store.access.groupMoves()).get(group.id)).toBe(supergroup);
  });
});
