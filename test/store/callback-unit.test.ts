import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCallbackEventLog, createOutbox, type Store } from "../../src/store/index.js";
import { backendFactories, type BackendFixture } from "./backends.js";
import { PAYMENT_CREATED_AT as at, cashierVirtualAccount as va } from "./fixtures/payment.js";

/**
 * A paid callback is recorded as ONE unit: the dedupe mark, the payment turning paid and the notifications
 * are written all together or not at all, once per event, however many callbacks arrive at the same moment.
 */

const notification = (id: string, chatId = 111) => ({ id, chatId, kind: "payment-received", payload: { id }, createdAt: at });

describe.each(backendFactories)("a callback recorded as one unit, on %s", (_name, makeFixture) => {
  let fixture: BackendFixture;
  let store: Store;

  beforeAll(async () => {
    fixture = await makeFixture();
  });
  afterAll(async () => {
    await fixture.teardown();
  });
  beforeEach(async () => {
    fixture.fresh();
    store = await fixture.open();
  });
  afterEach(async () => {
    await store.close();
  });

  /** What the webhook does for "VA paid": mark paid, add up what was paid, one notification per payment id. */
  function recordPayment(eventId: string, externalId: string, amount: number) {
    const events = createCallbackEventLog(store);
    const outbox = createOutbox(store);
    return events.recordWith(eventId, {
      externalId,
      decide: (payment) => ({
        record: { eventId, known: payment !== undefined },
        paymentPatch: payment === undefined ? undefined : { status: "paid", paidAmount: (payment.paidAmount ?? 0) + amount },
        queued: [outbox.prepare([notification(`${eventId}:chat:111`)])],
        result: payment?.customerName ?? "unknown",
      }),
    });
  }

  it("the first delivery writes the mark, the payment and the notification; a repeat writes nothing", async () => {
    await store.payments.save(va("va-1"));
    const first = await recordPayment("pay-1", "va-1", 150_000);
    expect(first).toEqual({ first: true, result: "Budi Santoso", queuedCount: 1 });
    expect(await store.payments.get("va-1")).toMatchObject({ status: "paid", paidAmount: 150_000, customerName: "Budi Santoso" });
    expect(await createCallbackEventLog(store).get("pay-1")).toEqual({ eventId: "pay-1", known: true });

    expect(await recordPayment("pay-1", "va-1", 150_000)).toEqual({ first: false });
    expect(await store.payments.get("va-1")).toMatchObject({ paidAmount: 150_000 });
    expect((await createOutbox(store).pending({ limit: 10 })).map((e) => e.id)).toEqual(["pay-1:chat:111"]);
  });

  it("twenty deliveries of one callback at once: recorded once, one notification", async () => {
    await store.payments.save(va("va-2"));
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => recordPayment("pay-2", "va-2", 50_000)));
    expect(outcomes.filter((o) => o.first)).toHaveLength(1);
    expect(await store.payments.get("va-2")).toMatchObject({ paidAmount: 50_000 });
    expect(await createOutbox(store).stats()).toMatchObject({ depth: 1 });
  });

  it("a multi-use VA paid thirty times at once keeps every payment (no change lost to another)", async () => {
    await store.payments.save(va("va-3"));
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => recordPayment(`pay-3-${i}`, "va-3", 10_000)));
    expect(outcomes.every((o) => o.first)).toBe(true);
    expect(await store.payments.get("va-3")).toMatchObject({ status: "paid", paidAmount: 300_000 });
    expect(await createOutbox(store).stats()).toMatchObject({ depth: 30 });
  });

  it("the bot saving the QR message id while the payment is being marked paid loses neither", async () => {
    await store.payments.save(va("va-4"));
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => store.payments.update("va-4", { messageId: 500 + i })),
      recordPayment("pay-4", "va-4", 150_000),
    ]);
    const saved = await store.payments.get("va-4");
    expect(saved).toMatchObject({ status: "paid", paidAmount: 150_000 });
    expect(saved?.messageId).toBeGreaterThanOrEqual(500);
  });

  it("a unit that fails while deciding writes nothing, and the callbacks beside it are still recorded", async () => {
    await store.payments.save(va("va-5"));
    const events = createCallbackEventLog(store);
    const outbox = createOutbox(store);
    const broken = events.recordWith("pay-broken", {
      externalId: "va-5",
      decide: () => {
        throw new Error("cannot render the notification");
      },
    });
    const fine = recordPayment("pay-5", "va-5", 150_000);
    await expect(broken).rejects.toThrow("cannot render the notification");
    expect(await fine).toMatchObject({ first: true });
    expect(await events.get("pay-broken")).toBeUndefined();
    expect((await outbox.pending({ limit: 10 })).map((e) => e.id)).toEqual(["pay-5:chat:111"]);
    // The gateway's retry of the failed one is recorded normally.
    expect(await recordPayment("pay-broken", "va-5", 1_000)).toMatchObject({ first: true });
  });

  it("a callback for a payment we never made is kept, and says so to the one deciding", async () => {
    expect(await recordPayment("pay-6", "nobody", 1_000)).toEqual({ first: true, result: "unknown", queuedCount: 1 });
    expect(await store.payments.get("nobody")).toBeUndefined();
    expect(await createCallbackEventLog(store).get("pay-6")).toEqual({ eventId: "pay-6", known: false });
  });

  it("a notification delivered before is not queued again by a later unit", async () => {
    await store.payments.save(va("va-7"));
    const outbox = createOutbox(store);
    await outbox.add([notification("pay-7:chat:111")]);
    expect(await outbox.claim("pay-7:chat:111", "w1", 60_000)).toBe(true);
    expect(await outbox.markDelivered("pay-7:chat:111", "w1")).toBe(true);
    expect(await recordPayment("pay-7", "va-7", 1_000)).toEqual({ first: true, result: "Budi Santoso", queuedCount: 0 });
    expect(await outbox.stats()).toMatchObject({ depth: 0 });
  });

  it("an event id full of quotes, a NUL and emoji is kept exactly as sent, and breaks nothing", async () => {
    await store.payments.save(va("va-8", { customerName: "O'Brien \"Toko\" 🛒" }));
    const hostile = "pay-8'); DROP TABLE keyv; --\u0000'' \\ 🧾";
    expect(await recordPayment(hostile, "va-8", 25_000)).toEqual({ first: true, result: "O'Brien \"Toko\" 🛒", queuedCount: 1 });
    expect(await recordPayment(hostile, "va-8", 25_000)).toEqual({ first: false });
    expect(await createCallbackEventLog(store).get(hostile)).toEqual({ eventId: hostile, known: true });
    expect((await createOutbox(store).pending({ limit: 10 })).map((e) => e.id)).toEqual([`${hostile}:chat:111`]);
    expect(await store.payments.get("va-8")).toMatchObject({ status: "paid", customerName: "O'Brien \"Toko\" 🛒" });
  });

  it("a group linked or unlinked here is seen by the next callback at once, despite the groups being cached", async () => {
    expect(await store.access.listGroups()).toEqual([]);
    await store.access.linkGroup({ chatId: -100, title: "Toko", linkedBy: 1, linkedAt: at });
    expect((await store.access.listGroups()).map((g) => g.chatId)).toEqual([-100]);
    expect(await store.access.unlinkGroup(-100)).toBe(true);
    expect(await store.access.listGroups()).toEqual([]);
  });
});
