import type { Store } from "../store/types.js";

/**
 * The daily allowance for money leaving the shop. It lives in the store (atomic counters), not in memory,
 * so it holds across a restart and across instances sharing one Redis. A day is a Jakarta calendar day.
 */

const HOUR_MS = 3600_000;
const JAKARTA_OFFSET_MS = 7 * HOUR_MS;
const DAY_MS = 24 * HOUR_MS;

/** "2026-11-25": the Jakarta (WIB, UTC+7, no daylight saving) calendar day of an instant. */
export function jakartaDay(at: Date): string {
  return new Date(at.getTime() + JAKARTA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The counter of rupiah reserved on one Jakarta day. */
export const dailyCounterKey = (day: string) => `disburse:day:${day}`;
/** What one disbursement reserved (its day and amount), so exactly one give-back can find it. */
export const reservationKey = (externalId: string) => `disburse:reserved:${externalId}`;
/** More than was sent (its day and amount), counted once when a transfer larger than the one asked is reported. */
const reportedExtraKey = (externalId: string) => `disburse:reported-extra:${externalId}`;
/** What was given back, so a transfer the bank completes after all can take it again, once. */
const givenBackKey = (externalId: string) => `disburse:given-back:${externalId}`;

/**
 * The counter and every reservation made on that day expire at the same instant: a day after the day ends.
 * Kept that long so a FAILED callback late in the evening still finds the reservation to give back, and
 * never longer than the counter, so a give-back can never land on a counter that has already expired.
 */
function msUntilForgotten(day: string, now: Date): number {
  const endOfDay = Date.parse(`${day}T00:00:00Z`) + DAY_MS - JAKARTA_OFFSET_MS;
  return Math.max(1, endOfDay + DAY_MS - now.getTime());
}

export interface Reservation {
  day: string;
  amount: number;
}

function readReservation(text: string | undefined): Reservation | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<Reservation>;
    if (typeof value.day === "string" && Number.isSafeInteger(value.amount) && (value.amount ?? 0) > 0) {
      return { day: value.day, amount: value.amount as number };
    }
  } catch {
    // fall through: an unreadable reservation gives nothing back
  }
  return undefined;
}

/** A counted extra; one written as a bare amount, before it kept its day, is on `dayOfBareAmount` (its reservation's). */
function readCountedExtra(text: string | undefined, dayOfBareAmount: string): Reservation | undefined {
  const amount = Number(text);
  return readReservation(text) ?? (amount > 0 && Number.isSafeInteger(amount) ? { day: dayOfBareAmount, amount } : undefined);
}

export interface AllowanceOptions {
  store: Pick<Store, "atomic">;
  /** DISBURSE_MAX_AMOUNT: the most one disbursement may send, in rupiah. */
  maxAmount: number;
  /** DISBURSE_DAILY_LIMIT: the most all disbursements of one Jakarta day may send together. */
  dailyLimit: number;
  now: () => Date;
}

export type ReserveResult =
  /** `replaced`: the reservation of an earlier day that this one took the place of (reserveAgainToday). */
  | { ok: true; day: string; usedToday: number; remainingToday: number; replaced?: Reservation | undefined }
  | { ok: false; reason: "above_max"; max: number; remainingToday: number }
  | { ok: false; reason: "daily_limit"; remainingToday: number };

export interface DisbursementAllowance {
  readonly maxAmount: number;
  readonly dailyLimit: number;
  /** What is left to send today (never negative). */
  remainingToday(): Promise<number>;
  /**
   * Takes `amount` out of today's allowance atomically, or refuses without taking anything. Call it once
   * per disbursement (the confirm claim makes sure of that), before the gateway is called.
   */
  reserve(externalId: string, amount: number): Promise<ReserveResult>;
  /** Gives a reservation back (the gateway refused, or the bank failed it); see releaseDisbursementAllowance. */
  release(externalId: string): Promise<Reservation | undefined>;
  /** Whether a reservation for this disbursement is held now (on any day). */
  holds(externalId: string): Promise<boolean>;
  /** Whether a reservation for this disbursement is held on today's allowance (one of an earlier day is not). */
  heldToday(externalId: string): Promise<boolean>;
  /**
   * For the retry, on a later day, of a transfer whose answer was unclear: takes its amount out of today's
   * allowance too (if it goes now, it goes today), or refuses and leaves everything as it was. The earlier
   * day keeps its count: the first attempt may have sent it then, and that day is over anyway.
   */
  reserveAgainToday(externalId: string, amount: number): Promise<ReserveResult>;
  /**
   * Undoes reserveAgainToday when the retry turns out to have sent nothing today (the gateway already had
   * the transfer from an attempt of an earlier day): today's amount back, the earlier reservation back in
   * its place while its day is remembered. Take-once, like a release.
   */
  undoAgainToday(externalId: string, replaced: Reservation | undefined): Promise<void>;
}

export function createDisbursementAllowance(options: AllowanceOptions): DisbursementAllowance {
  const { store, maxAmount, dailyLimit, now } = options;

  async function usedOn(day: string): Promise<number> {
    const value = Number(await store.atomic.get(dailyCounterKey(day)));
    return Number.isFinite(value) ? value : 0;
  }

  async function remainingToday(): Promise<number> {
    return Math.max(0, dailyLimit - (await usedOn(jakartaDay(now()))));
  }

  async function reserve(externalId: string, amount: number): Promise<ReserveResult> {
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new Error("a reservation is a positive whole rupiah amount");
    const at = now();
    const day = jakartaDay(at);
    if (amount > maxAmount) return { ok: false, reason: "above_max", max: maxAmount, remainingToday: Math.max(0, dailyLimit - (await usedOn(day))) };
    return takeOnDay(externalId, amount, at, "keep");
  }

  /**
   * Takes `amount` out of the day of `at` within the daily limit and keeps the reservation, in one step (a
   * process stopped between the two would leave a count no reservation names, and the retry would count it
   * again); `replace` puts it in place of one of an earlier day. One held already (taken by an earlier
   * attempt) is not taken again.
   */
  async function takeOnDay(externalId: string, amount: number, at: Date, earlier: "keep" | "replace"): Promise<ReserveResult> {
    const day = jakartaDay(at);
    const counted = await store.atomic.incrementWithinNoted(dailyCounterKey(day), amount, dailyLimit, msUntilForgotten(day, at), {
      key: reservationKey(externalId),
      value: JSON.stringify({ day, amount } satisfies Reservation),
      replace: earlier === "replace",
    });
    if (counted === null) return { ok: false, reason: "daily_limit", remainingToday: Math.max(0, dailyLimit - (await usedOn(day))) };
    const replaced = readReservation(counted.replaced);
    return { ok: true, day, usedToday: counted.value, remainingToday: Math.max(0, dailyLimit - counted.value), replaced };
  }

  return {
    maxAmount,
    dailyLimit,
    remainingToday,
    reserve,
    release: (externalId) => releaseDisbursementAllowance(store, externalId, now()),
    holds: async (externalId) => (await store.atomic.get(reservationKey(externalId))) !== undefined,
    // Today's reservation replaces the earlier one: a FAILED now gives back today's, where the limit still matters.
    reserveAgainToday: (externalId, amount) => takeOnDay(externalId, amount, now(), "replace"),
    heldToday: async (externalId) => readReservation(await store.atomic.get(reservationKey(externalId)))?.day === jakartaDay(now()),
    async undoAgainToday(externalId, replaced) {
      const at = now();
      const today = readReservation(await store.atomic.take(reservationKey(externalId)));
      if (today === undefined) return;
      await store.atomic.incrementWithin(dailyCounterKey(today.day), -today.amount, Number.MAX_SAFE_INTEGER, msUntilForgotten(today.day, at));
      if (replaced === undefined) return;
      const ttlMs = msUntilForgotten(replaced.day, at);
      // Its day and counter are forgotten together: past that, there is nothing to give back to.
      if (ttlMs > 1) await store.atomic.setIfAbsent(reservationKey(externalId), JSON.stringify(replaced), ttlMs);
    },
  };
}

/**
 * Gives a disbursement's reserved amount back to the day it was taken from: when the gateway refused the
 * request, or when the disbursement callback says FAILED. Idempotent: the reservation is taken atomically
 * (`atomic.take`), so a callback retried by the gateway, a duplicate, or two instances at once give it back
 * exactly once. Returns what was given back, or undefined (nothing reserved, already given back, or the day
 * is long over). Needs only the store: the webhook can call it with `record.externalId`.
 */
export async function releaseDisbursementAllowance(
  store: Pick<Store, "atomic">,
  externalId: string,
  now: Date = new Date(),
): Promise<Reservation | undefined> {
  const given = await moveReservation(store, reservationKey(externalId), givenBackKey(externalId), -1, now);
  // A bigger amount counted for it (the gateway's answer, or a COMPLETED it overturns) never left either.
  // Taken, not kept: a COMPLETED after all reports its amount again, and counts the difference anew.
  const extra = readCountedExtra(await store.atomic.take(reportedExtraKey(externalId)), given?.day ?? jakartaDay(now));
  if (extra !== undefined) await store.atomic.incrementWithin(dailyCounterKey(extra.day), -extra.amount, Number.MAX_SAFE_INTEGER, msUntilForgotten(extra.day, now));
  return given;
}

/**
 * Takes back what `releaseDisbursementAllowance` gave back, when the bank completes the transfer after all
 * (a gateway that refused a request it had in fact taken): the money left, so it counts against its day,
 * past the limit if need be. Take-once like the release. Returns what was taken, or undefined (nothing was
 * given back, or it was taken already).
 */
export async function retakeDisbursementAllowance(
  store: Pick<Store, "atomic">,
  externalId: string,
  now: Date = new Date(),
): Promise<Reservation | undefined> {
  return moveReservation(store, givenBackKey(externalId), reservationKey(externalId), 1, now);
}

/**
 * The bank reports a completed transfer larger than the one sent: the money that left counts against the
 * day it was reserved on (today's, if no reservation is found), the difference once however often the
 * result is reported. Marked before it is counted: stopped in between, it errs on not counting the
 * difference, never on counting it twice. Returns what was counted, or undefined.
 */
export async function countReportedExtra(store: Pick<Store, "atomic">, externalId: string, extra: number, now: Date = new Date()): Promise<Reservation | undefined> {
  if (!Number.isSafeInteger(extra) || extra <= 0) return undefined;
  const day = readReservation(await store.atomic.get(reservationKey(externalId)))?.day ?? jakartaDay(now);
  const ttlMs = msUntilForgotten(day, now);
  if (!(await store.atomic.setIfAbsent(reportedExtraKey(externalId), JSON.stringify({ day, amount: extra } satisfies Reservation), ttlMs))) return undefined;
  await store.atomic.incrementWithin(dailyCounterKey(day), extra, Number.MAX_SAFE_INTEGER, ttlMs);
  return { day, amount: extra };
}

/**
 * Takes the reservation kept under `from` (atomically: one caller gets it), moves its day's counter by its
 * amount, down (-1) or up (1), and keeps it under `to` for the opposite move. The counter moves before the
 * reservation is kept: stopped in between, the other move finds nothing, which errs on a single count
 * rather than a double one. The TTL only bounds the odd leftover: reservation and counter expire together.
 */
async function moveReservation(store: Pick<Store, "atomic">, from: string, to: string, direction: 1 | -1, now: Date): Promise<Reservation | undefined> {
  const text = await store.atomic.take(from);
  const reservation = readReservation(text);
  if (!reservation || text === undefined) return undefined;
  const ttlMs = msUntilForgotten(reservation.day, now);
  await store.atomic.incrementWithin(dailyCounterKey(reservation.day), direction * reservation.amount, Number.MAX_SAFE_INTEGER, ttlMs);
  await store.atomic.setIfAbsent(to, text, ttlMs);
  return reservation;
}
