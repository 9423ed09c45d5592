import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDisbursementAllowance, dailyCounterKey, reservationKey } from "../../src/disbursement/allowance.js";
import type { Store } from "../../src/store/index.js";
import { backendFactories, type BackendFixture } from "../store/backends.js";

/**
 * The day's count and its reservation are one step of the store (incrementWithinNoted), on SQLite and Redis
 * (Lua). The same steps on both backends, across a Jakarta day boundary, must leave the same counters and notes.
 */
describe.each(backendFactories)("the day's allowance on %s", (_name, makeFixture) => {
  let fixture: BackendFixture;
  beforeAll(async () => {
    fixture = await makeFixture();
  });
  afterAll(async () => {
    await fixture.teardown();
  });

  async function open(): Promise<Store> {
    fixture.fresh();
    return fixture.open();
  }

  it("a reservation at 23:59 WIB, its retry after midnight (replace), its undo, and a plain reserve meeting the note", async () => {
    const store = await open();
    try {
      let at = new Date("2026-05-04T23:59:58+07:00");
      const a = createDisbursementAllowance({ store, maxAmount: 1_000_000, dailyLimit: 1_000_000, now: () => at });
      expect(await a.reserve("t-1", 400_000)).toMatchObject({ ok: true, day: "2026-05-04", usedToday: 400_000 });
      // The same reserve again (a replayed first attempt): counted once.
      expect(await a.reserve("t-1", 400_000)).toMatchObject({ ok: true, usedToday: 400_000 });
      expect(await store.atomic.get(dailyCounterKey("2026-05-04"))).toBe("400000");

      at = new Date("2026-05-05T00:00:02+07:00");
      expect(await a.heldToday("t-1")).toBe(false);
      const again = await a.reserveAgainToday("t-1", 400_000);
      expect(again).toMatchObject({ ok: true, day: "2026-05-05", usedToday: 400_000, replaced: { day: "2026-05-04", amount: 400_000 } });
      expect(await a.heldToday("t-1")).toBe(true);
      expect(await store.atomic.get(dailyCounterKey("2026-05-04"))).toBe("400000");
      expect(await store.atomic.get(dailyCounterKey("2026-05-05"))).toBe("400000");

      // Over the limit on the new day: neither the count nor the note moves.
      expect(await a.reserve("t-2", 700_000)).toMatchObject({ ok: false, reason: "daily_limit", remainingToday: 600_000 });
      expect(await store.atomic.get(reservationKey("t-2"))).toBeUndefined();

      if (again.ok) await a.undoAgainToday("t-1", again.replaced);
      expect(await store.atomic.get(dailyCounterKey("2026-05-05"))).toBe("0");
      expect(JSON.parse((await store.atomic.get(reservationKey("t-1"))) ?? "null")).toEqual({ day: "2026-05-04", amount: 400_000 });
      expect(await a.remainingToday()).toBe(1_000_000);

      // A release gives back yesterday's.
      expect(await a.release("t-1")).toEqual({ day: "2026-05-04", amount: 400_000 });
      expect(await store.atomic.get(dailyCounterKey("2026-05-04"))).toBe("0");
    } finally {
      await store.close();
    }
  });
});
