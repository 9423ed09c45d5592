import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InviteCodeTakenError, type PaymentRecord, type Store } from "../../src/store/index.js";
import { backendFactories, movableClock, type BackendFixture } from "./backends.js";
import { cashierVirtualAccount } from "./fixtures/payment.js";

function payment(overrides: Partial<PaymentRecord> & { externalId: string; createdAt: string }): PaymentRecord {
  return cashierVirtualAccount(overrides.externalId, { updatedAt: overrides.createdAt, ...overrides });
}

describe.each(backendFactories)("store on %s", (_name, makeFixture) => {
  let fixture: BackendFixture;
  let store: Store;
  const clock = movableClock();

  beforeAll(async () => {
    fixture = await makeFixture();
  });
  afterAll(async () => {
    await fixture.teardown();
  });
  beforeEach(async () => {
    fixture.fresh();
    store = await fixture.open({ now: clock.now });
  });
  afterEach(async () => {
    await store.close();
  });

  it("reports which backend it runs on", () => {
    expect(store.backend).toBe(fixture.name);
  });

  describe("payments", () => {
    it("a cashier's virtual account is saved, found again, and marked paid with the rest kept", async () => {
      await store.payments.save(payment({ externalId: "va-1", createdAt: "2025-06-01T03:00:00.000Z", messageId: 10 }));
      expect(await store.payments.get("va-1")).toMatchObject({ externalId: "va-1", amount: 150_000, messageId: 10 });

      const paid = await store.payments.update("va-1", { status: "paid", paidAmount: 150_000, paidAt: "2025-06-01T04:00:00.000Z" });
      expect(paid).toMatchObject({ status: "paid", paidAmount: 150_000, messageId: 10, customerName: "Budi Santoso" });
      expect(paid?.updatedAt).not.toBe("2025-06-01T03:00:00.000Z");
      expect(await store.payments.get("va-1")).toEqual(paid);
    });

    it("saving a payment already recorded leaves it as it is (a second showing after a restart must not unpay it)", async () => {
      const first = payment({ externalId: "va-again", createdAt: "2025-06-01T03:00:00.000Z" });
      expect(await store.payments.save(first)).toEqual(first);
      await store.payments.update("va-again", { status: "paid", paidAmount: 150_000, paidCount: 1, paidTotal: 150_000 });
      const again = await store.payments.save({ ...first, createdAt: "2025-06-01T03:05:00.000Z" });
      expect(again).toMatchObject({ status: "paid", paidCount: 1, paidTotal: 150_000, createdAt: "2025-06-01T03:00:00.000Z" });
      expect(await store.payments.get("va-again")).toEqual(again);
      expect((await store.payments.listRecent({ limit: 10 })).filter((p) => p.externalId === "va-again")).toHaveLength(1);
    });

    it("updating an unknown payment changes nothing and says so", async () => {
      expect(await store.payments.update("nope", { status: "paid" })).toBeUndefined();
      expect(await store.payments.get("nope")).toBeUndefined();
    });

    it("the bot and the webhook updating one payment at once lose neither change", async () => {
      await store.payments.save(payment({ externalId: "va-race", createdAt: "2025-06-01T03:00:00.000Z" }));
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          i % 2 === 0
            ? store.payments.update("va-race", { messageId: 500 + i })
            : store.payments.update("va-race", { status: "paid", paidAmount: 150_000 + i }),
        ),
      );
      const final = await store.payments.get("va-race");
      expect(final?.status).toBe("paid");
      expect(final?.messageId).toBeGreaterThanOrEqual(500);
      expect(final?.paidAmount).toBeGreaterThanOrEqual(150_000);
    });

    it("recent payments come newest first, and a cashier sees only their own", async () => {
      const times = ["2025-06-01T01:00:00Z", "2025-06-01T03:00:00Z", "2025-06-01T02:00:00Z", "2025-06-01T05:00:00Z", "2025-06-01T04:00:00Z"];
      await Promise.all(
        times.map((createdAt, i) =>
          store.payments.save(payment({ externalId: `p${i}`, createdAt, createdBy: i % 2 === 0 ? 111 : 222 })),
        ),
      );
      const recent = await store.payments.listRecent({ limit: 3 });
      expect(recent.map((p) => p.externalId)).toEqual(["p3", "p4", "p1"]);
      const mine = await store.payments.listRecent({ limit: 10, createdBy: 111 });
      expect(mine.map((p) => p.externalId)).toEqual(["p4", "p2", "p0"]);
      expect(await store.payments.listRecent({ limit: 10, createdBy: 999 })).toEqual([]);
    });
  });

  describe("access", () => {
    it("an owner adds cashiers, lists them and removes one", async () => {
      await store.access.addStaff({ userId: 201, name: "Sari", addedBy: 1, addedAt: "2025-06-01T01:00:00Z" });
      await store.access.addStaff({ userId: 202, name: "Joko", addedBy: 1, addedAt: "2025-06-01T02:00:00Z" });
      expect((await store.access.listStaff()).map((s) => s.name)).toEqual(["Sari", "Joko"]);
      expect(await store.access.getStaff(202)).toMatchObject({ name: "Joko" });

      expect(await store.access.removeStaff(201)).toBe(true);
      expect(await store.access.removeStaff(201)).toBe(false);
      expect(await store.access.getStaff(201)).toBeUndefined();
      expect((await store.access.listStaff()).map((s) => s.userId)).toEqual([202]);
    });

    it("an invite link works exactly once even when twenty taps arrive together", async () => {
      const expiresAt = new Date(clock.now().getTime() + 60 * 60_000).toISOString();
      await store.access.createInvite({ code: "tok-once", createdBy: 1, expiresAt });
      const results = await Promise.all(Array.from({ length: 20 }, () => store.access.consumeInvite("tok-once", clock.now())));
      const winners = results.filter((r) => r !== undefined);
      expect(winners).toHaveLength(1);
      expect(winners[0]).toEqual({ code: "tok-once", createdBy: 1, expiresAt });
      expect(await store.access.consumeInvite("tok-once", clock.now())).toBeUndefined();
    });

    it("an expired or unknown invite is refused, and a code cannot be issued twice", async () => {
      const expiresAt = new Date(clock.now().getTime() + 60_000).toISOString();
      await store.access.createInvite({ code: "tok-late", createdBy: 1, expiresAt });
      await expect(store.access.createInvite({ code: "tok-late", createdBy: 2, expiresAt })).rejects.toBeInstanceOf(InviteCodeTakenError);
      expect(await store.access.consumeInvite("tok-late", new Date(clock.now().getTime() + 120_000))).toBeUndefined();
      expect(await store.access.consumeInvite("tok-never", clock.now())).toBeUndefined();
    });

    it("an owner links the shop's group and unlinks it", async () => {
      await store.access.linkGroup({ chatId: -1001234567890, title: "Toko Maju", linkedBy: 1, linkedAt: "2025-06-01T01:00:00Z" });
      await store.access.linkGroup({ chatId: -1009876543210, title: "Gudang", linkedBy: 1, linkedAt: "2025-06-01T02:00:00Z" });
      expect((await store.access.listGroups()).map((g) => g.chatId)).toEqual([-1001234567890, -1009876543210]);
      expect(await store.access.unlinkGroup(-1001234567890)).toBe(true);
      expect(await store.access.unlinkGroup(-1001234567890)).toBe(false);
      expect((await store.access.listGroups()).map((g) => g.title)).toEqual(["Gudang"]);
    });

    it("a linked group made a supergroup keeps its link, its place in the list and its old ids", async () => {
      await store.access.linkGroup({ chatId: -4001, title: "Toko Maju", linkedBy: 1, linkedAt: "2025-06-01T01:00:00Z" });
      await store.access.linkGroup({ chatId: -1009876543210, title: "Gudang", linkedBy: 1, linkedAt: "2025-06-01T02:00:00Z" });
      expect(await store.access.moveGroup(-4001, -1004001)).toBe(true);
      // Heard again (the bot and the notifier both learn of it): nothing left to move.
      expect(await store.access.moveGroup(-4001, -1004001)).toBe(false);
      expect(await store.access.moveGroup(-4242, -1004242)).toBe(false);
      expect(await store.access.listGroups()).toEqual([
        { chatId: -1004001, title: "Toko Maju", linkedBy: 1, linkedAt: "2025-06-01T01:00:00Z", formerChatIds: [-4001] },
        { chatId: -1009876543210, title: "Gudang", linkedBy: 1, linkedAt: "2025-06-01T02:00:00Z" },
      ]);
    });
  });

  describe("atomic operations", () => {
    it("of twenty racing setIfAbsent calls exactly one wins and its value stays", async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.atomic.setIfAbsent("race", `w${i}`)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.atomic.get("race")).toBe(`w${results.indexOf(true)}`);
    });

    it("a key set with a time-to-live can be set again once it has expired", async () => {
      expect(await store.atomic.setIfAbsent("short", "a", 250)).toBe(true);
      expect(await store.atomic.setIfAbsent("short", "b", 250)).toBe(false);
      await sleep(500);
      expect(await store.atomic.get("short")).toBeUndefined();
      expect(await store.atomic.setIfAbsent("short", "c", 250)).toBe(true);
      await store.atomic.delete("short");
      expect(await store.atomic.get("short")).toBeUndefined();
    });

    it("fifty racing increments never push a group's limit past its maximum", async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => store.atomic.incrementWithin("group:-100:minute", 1, 20, 60_000)));
      const accepted = results.filter((r): r is number => r !== null);
      expect(accepted).toHaveLength(20);
      expect([...accepted].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await store.atomic.get("group:-100:minute")).toBe("20");
    });

    it("a disbursement daily total refuses an amount that would exceed the limit and keeps counting after", async () => {
      expect(await store.atomic.incrementWithin("disburse:2025-06-01", 30_000_000, 50_000_000)).toBe(30_000_000);
      expect(await store.atomic.incrementWithin("disburse:2025-06-01", 25_000_000, 50_000_000)).toBeNull();
      expect(await store.atomic.incrementWithin("disburse:2025-06-01", 20_000_000, 50_000_000)).toBe(50_000_000);
      expect(await store.atomic.incrementWithin("disburse:new", 60_000_000, 50_000_000)).toBeNull();
      expect(await store.atomic.get("disburse:new")).toBeUndefined();
    });

    it("a counter's window ends with its time-to-live and starts again from zero", async () => {
      expect(await store.atomic.incrementWithin("window", 3, 3, 250)).toBe(3);
      expect(await store.atomic.incrementWithin("window", 1, 3, 250)).toBeNull();
      await sleep(500);
      expect(await store.atomic.incrementWithin("window", 1, 3, 250)).toBe(1);
    });

    it("a count and its note go in together: counted once whatever the racing, a second note replaces only when asked", async () => {
      const note = (value: string, replace = false) => ({ key: "reserved:t-1", value, replace });
      const racing = await Promise.all(Array.from({ length: 10 }, (_, i) => store.atomic.incrementWithinNoted("day:1", 400, 1_000, 60_000, note(`try-${i}`))));
      const counted = racing.filter((r) => r !== null && r.countedBefore === undefined);
      expect(counted).toHaveLength(1);
      expect(await store.atomic.get("day:1")).toBe("400");
      const winner = await store.atomic.get("reserved:t-1");
      expect(racing.filter((r) => r?.countedBefore !== undefined).map((r) => r?.countedBefore)).toEqual(Array(9).fill(winner));

      expect(await store.atomic.incrementWithinNoted("day:1", 500, 1_000, 60_000, note("bigger", true))).toEqual({ value: 900, replaced: winner });
      expect(await store.atomic.get("reserved:t-1")).toBe("bigger");
      // Past the maximum: neither the count nor the note.
      expect(await store.atomic.incrementWithinNoted("day:1", 200, 1_000, 60_000, { key: "reserved:t-2", value: "x", replace: false })).toBeNull();
      expect(await store.atomic.get("day:1")).toBe("900");
      expect(await store.atomic.get("reserved:t-2")).toBeUndefined();
    });

    it("a noted count's window and its note end with their time-to-live; then both start again", async () => {
      expect(await store.atomic.incrementWithinNoted("day:2", 3, 3, 250, { key: "reserved:w", value: "a", replace: false })).toEqual({ value: 3 });
      await sleep(500);
      expect(await store.atomic.get("reserved:w")).toBeUndefined();
      expect(await store.atomic.incrementWithinNoted("day:2", 2, 3, 250, { key: "reserved:w", value: "b", replace: false })).toEqual({ value: 2 });
      expect(await store.atomic.get("reserved:w")).toBe("b");
    });

    it("take hands a value to exactly one of many callers", async () => {
      await store.atomic.setIfAbsent("once", "prize");
      const got = await Promise.all(Array.from({ length: 20 }, () => store.atomic.take("once")));
      expect(got.filter((v) => v !== undefined)).toEqual(["prize"]);
      expect(await store.atomic.get("once")).toBeUndefined();
    });
  });

  describe("namespaces", () => {
    it("sessions and conversations live apart, and clearing one leaves the other", async () => {
      const sessions = store.namespace("sessions");
      const conversations = store.namespace("conversations");
      expect(store.namespace("sessions")).toBe(sessions);
      await sessions.set("chat:1", { locale: "id" });
      await conversations.set("chat:1", { step: 3 });
      expect(await sessions.get("chat:1")).toEqual({ locale: "id" });
      expect(await conversations.get("chat:1")).toEqual({ step: 3 });
      await sessions.clear();
      expect(await sessions.get("chat:1")).toBeUndefined();
      expect(await conversations.get("chat:1")).toEqual({ step: 3 });
      expect(await conversations.delete("chat:1")).toBe(true);
      expect(() => store.namespace("bad name!")).toThrow();
    });
  });

  it("everything is still there after the process closes the store and opens it again", async () => {
    await store.payments.save(payment({ externalId: "keep-1", createdAt: "2025-06-01T03:00:00Z" }));
    await store.access.addStaff({ userId: 301, name: "Rina", addedBy: 1, addedAt: "2025-06-01T01:00:00Z" });
    await store.access.linkGroup({ chatId: -1001, title: "Toko", linkedBy: 1, linkedAt: "2025-06-01T01:00:00Z" });
    await store.namespace("conversations").set("chat:9", { step: "amount" });
    await store.atomic.incrementWithin("daily", 5, 10, 60_000);
    await store.close();

    store = await fixture.open({ now: clock.now });
    expect(await store.payments.get("keep-1")).toMatchObject({ amount: 150_000 });
    expect((await store.payments.listRecent({ limit: 5 })).map((p) => p.externalId)).toEqual(["keep-1"]);
    expect(await store.access.getStaff(301)).toMatchObject({ name: "Rina" });
    expect(await store.access.listGroups()).toHaveLength(1);
    expect(await store.namespace("conversations").get("chat:9")).toEqual({ step: "amount" });
    expect(await store.atomic.incrementWithin("daily", 5, 10, 60_000)).toBe(10);
  });

  it("close() can be called twice", async () => {
    await store.close();
    await store.close();
    store = await fixture.open({ now: clock.now });
  });
});
