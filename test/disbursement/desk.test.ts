import { mkdtempSync, rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDisbursementAllowance,
  createDisbursementDesk,
  createSendWatch,
  dailyCounterKey,
  jakartaDay,
  releaseDisbursementAllowance,
  reservationKey,
  SENDS_QUEUE,
  sendEntryId,
  type DisbursementDesk,
} from "../../src/disbursement/index.js";
import { createGatewayClient } from "../../src/gateway/client.js";
import { silentLogger } from "../../src/logger.js";
import { createSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { createStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";

/** The money rules alone: the real sandbox over loopback and a real SQLite store, no bot. */

const API_KEY = "pallapi_desk_tests_0123456789abcdef0123456789";
let dir: string;
let sandbox: Sandbox;
let store: Store;
let ids = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pallabot-desk-"));
  store = await createStore({ url: `sqlite://${join(dir, "desk.sqlite")}` });
  sandbox = createSandbox({ apiKey: API_KEY, callbackToken: "callback-token-desk-tests-0123456789" });
  await sandbox.listen();
});
afterAll(async () => {
  await sandbox.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function desk(options: { now?: () => Date; dailyLimit?: number; gatewayAttempts?: number; sendBoundMs?: number; store?: Store } = {}): DisbursementDesk {
  return createDisbursementDesk({
    store: options.store ?? store,
    gateway: createGatewayClient({
      baseUrl: sandbox.apiBaseUrl,
      apiKey: API_KEY,
      maxAttempts: options.gatewayAttempts ?? 1,
      timeoutMs: 5_000,
      backoffMs: 5,
    }),
    logger: silentLogger(),
    now: options.now ?? (() => new Date()),
    maxAmount: 2_000_000,
    dailyLimit: options.dailyLimit ?? 100_000_000,
    confirmTtlMs: 60_000,
    sendBoundMs: options.sendBoundMs,
  });
}

/** A watch as another instance runs it, noting whom it tells instead of telling. */
function watchOf(told: { draftId: string; messageId: number | undefined }[]) {
  return createSendWatch({ store, logger: silentLogger(), tell: async (draft, messageId) => void told.push({ draftId: draft.draftId, messageId }) });
}

const draftFor = (d: DisbursementDesk, ownerId = 1001) => {
  const n = ++ids;
  return d.saveDraft({
    draftId: `draft${n}`,
    externalId: `desk-${process.pid}-${n}`,
    ownerId,
    chatId: ownerId,
    locale: "id",
    bankCode: "BNI",
    accountNumber: "0987654321",
    holderName: "Sari Dewi",
    amount: 250_000,
    description: "Sewa kios",
  });
};

/** How many transfers the gateway holds under this external_id. */
const creates = (externalId: string) => sandbox.objects().disbursements.filter((x) => x.external_id === externalId).length;

describe("the disbursement desk", () => {
  it("lets exactly one of many simultaneous presses, on two instances sharing the store, claim a draft", async () => {
    const [a, b] = [desk(), desk()];
    const draft = await draftFor(a);
    const claims = await Promise.all([...Array(6)].map((_, i) => (i % 2 === 0 ? a : b).claimConfirm(draft.draftId, 1001)));
    expect(claims.filter((c) => c.ok)).toHaveLength(1);
    expect(claims.filter((c) => !c.ok).every((c) => !c.ok && c.reason === "already")).toBe(true);
  });

  it("refuses a press by someone else or after expiry without using up the claim", async () => {
    let clock = Date.now();
    const d = desk({ now: () => new Date(clock) });
    const draft = await draftFor(d);
    expect(await d.claimConfirm(draft.draftId, 1005)).toEqual({ ok: false, reason: "not_yours" });
    expect(await d.claimConfirm("nosuchdraft", 1001)).toEqual({ ok: false, reason: "unknown" });
    clock += 61_000;
    expect(await d.claimConfirm(draft.draftId, 1001)).toEqual({ ok: false, reason: "expired" });
    clock -= 61_000;
    const claim = await d.claimConfirm(draft.draftId, 1001);
    expect(claim.ok).toBe(true);
    if (!claim.ok) return;
    const outcome = await d.send(claim.draft, {});
    expect(outcome.kind).toBe("sent");
    expect(sandbox.objects().disbursements.filter((x) => x.external_id === draft.externalId)).toHaveLength(1);
    expect(await d.claimConfirm(draft.draftId, 1001)).toEqual({ ok: false, reason: "already", state: "sent" });
  });

  it("never lets concurrent reservations pass the daily limit, and gives each back exactly once", async () => {
    const day = new Date("2026-03-10T10:00:00+07:00");
    const allowance = createDisbursementAllowance({ store, maxAmount: 2_000_000, dailyLimit: 3_000_000, now: () => day });
    const results = await Promise.all([...Array(10)].map((_, i) => allowance.reserve(`reserve-${i}`, 1_000_000)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(await allowance.remainingToday()).toBe(0);
    expect(await allowance.reserve("too-big", 2_500_000)).toMatchObject({ ok: false, reason: "above_max" });

    const winner = results.findIndex((r) => r.ok);
    const gaveBack = await Promise.all([...Array(4)].map(() => releaseDisbursementAllowance(store, `reserve-${winner}`)));
    expect(gaveBack.filter((g) => g !== undefined)).toEqual([{ day: "2026-03-10", amount: 1_000_000 }]);
    expect(await allowance.remainingToday()).toBe(1_000_000);
    expect(await releaseDisbursementAllowance(store, "never-reserved")).toBeUndefined();
  });

  it("gives back a bigger amount counted before it kept its day (a bare number, written by the version before), on the reservation's day", async () => {
    const day = new Date("2026-03-11T10:00:00+07:00");
    const allowance = createDisbursementAllowance({ store, maxAmount: 2_000_000, dailyLimit: 3_000_000, now: () => day });
    expect((await allowance.reserve("legacy-extra", 1_500_000)).ok).toBe(true);
    await store.atomic.setIfAbsent("disburse:reported-extra:legacy-extra", "1400000", 3_600_000);
    await store.atomic.incrementWithin(dailyCounterKey("2026-03-11"), 1_400_000, Number.MAX_SAFE_INTEGER, 3_600_000);
    expect(await allowance.remainingToday()).toBe(100_000);
    await releaseDisbursementAllowance(store, "legacy-extra", day);
    expect(await allowance.remainingToday()).toBe(3_000_000);
  });

  it("keeps the allowance when a refusal follows a request whose answer was lost: that one may have paid", async () => {
    // The client's own retry: the gateway makes the transfer and the answer is lost; the retry is refused.
    const d = desk({ gatewayAttempts: 2 });
    const before = await d.allowance.remainingToday();
    const draft = await draftFor(d);
    sandbox.injectFault({ endpoint: "create-disbursement", when: "after", status: 0 });
    sandbox.injectFault({ endpoint: "create-disbursement", when: "before", status: 401 });
    const claim = await d.claimConfirm(draft.draftId, 1001);
    if (!claim.ok) throw new Error("the owner's press must win the claim");
    expect(await d.send(claim.draft, {})).toEqual({ kind: "uncertain", code: "BAD_KEY" });
    expect(sandbox.objects().disbursements.filter((x) => x.external_id === draft.externalId)).toHaveLength(1);
    expect(await d.allowance.remainingToday()).toBe(before - 250_000);
    expect((await d.getDraft(draft.draftId))?.state).toBe("uncertain");

    // The owner's "try again" after an unclear answer: refused again, and still nothing is given back.
    const retry = await d.claimRetry(draft.draftId, 1001);
    if (!retry.ok) throw new Error("the owner's retry must win the claim");
    sandbox.injectFault({ endpoint: "create-disbursement", when: "before", status: 400 });
    expect((await d.send(retry.draft, {})).kind).toBe("uncertain");
    expect(await d.allowance.remainingToday()).toBe(before - 250_000);

    // The same refusal on a first and only request proves nothing was made: the allowance comes back.
    const other = await draftFor(d);
    sandbox.injectFault({ endpoint: "create-disbursement", when: "before", status: 400 });
    const otherClaim = await d.claimConfirm(other.draftId, 1001);
    if (!otherClaim.ok) throw new Error("the owner's press must win the claim");
    expect((await d.send(otherClaim.draft, {})).kind).toBe("refused");
    expect(await d.allowance.remainingToday()).toBe(before - 250_000);
  });

  it("a 409 that is not about the external_id (a balance too low) is a refusal: nothing sent, the allowance back", async () => {
    // Found by a review of gateway faults: every 409 was read as "an earlier attempt got through", and the
    // owner heard her transfer had gone while the gateway held nothing.
    const d = desk();
    const before = await d.allowance.remainingToday();
    const draft = await draftFor(d);
    sandbox.injectFault({
      endpoint: "create-disbursement",
      when: "before",
      status: 409,
      contentType: "application/json",
      body: JSON.stringify({ error_code: "INSUFFICIENT_BALANCE", message: "Saldo tidak cukup" }),
    });
    const claim = await d.claimConfirm(draft.draftId, 1001);
    if (!claim.ok) throw new Error("the owner's press must win the claim");
    expect(await d.send(claim.draft, {})).toMatchObject({ kind: "refused", gatewayMessage: "Saldo tidak cukup" });
    expect(sandbox.objects().disbursements.filter((x) => x.external_id === draft.externalId)).toHaveLength(0);
    expect(await d.allowance.remainingToday()).toBe(before);
  });

  it("counts days in Jakarta: 23:30 WIB and 00:30 WIB the next day are different days", async () => {
    expect(jakartaDay(new Date("2026-03-10T16:30:00Z"))).toBe("2026-03-10");
    expect(jakartaDay(new Date("2026-03-10T17:30:00Z"))).toBe("2026-03-11");
    let at = new Date("2026-04-01T23:30:00+07:00");
    const allowance = createDisbursementAllowance({ store, maxAmount: 2_000_000, dailyLimit: 2_000_000, now: () => at });
    expect((await allowance.reserve("late-evening", 2_000_000)).ok).toBe(true);
    expect(await allowance.reserve("same-night", 10_000)).toMatchObject({ ok: false, reason: "daily_limit", remainingToday: 0 });
    at = new Date("2026-04-02T00:30:00+07:00");
    expect(await allowance.remainingToday()).toBe(2_000_000);
    expect(await store.atomic.get(dailyCounterKey("2026-04-01"))).toBe("2000000");
  });

  it("calls a send that outlives its bound uncertain once, with two instances watching; its late answer still counts", async () => {
    // A bound shorter than the gateway's answer stands in for a process that stopped: its lease runs out.
    const d = desk({ sendBoundMs: 300 });
    const before = await d.allowance.remainingToday();
    const draft = await draftFor(d);
    sandbox.injectFault({ endpoint: "create-disbursement", when: "after", delayMs: 1_000 });
    const claim = await d.claimConfirm(draft.draftId, 1001, { messageId: 42 });
    if (!claim.ok) throw new Error("the owner's press must win the claim");
    const sending = d.send(claim.draft, { messageId: 42 });

    const told: { draftId: string; messageId: number | undefined }[] = [];
    const [a, b] = [watchOf(told), watchOf(told)];
    expect(await a.runOnce()).toBe(0); // within the bound: left alone
    await sleep(500);
    const concluded = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce()]);
    expect(concluded.reduce((x, y) => x + y, 0)).toBe(1);
    expect(told).toEqual([{ draftId: draft.draftId, messageId: 42 }]);
    expect((await d.getDraft(draft.draftId))?.state).toBe("uncertain");
    expect(await d.allowance.remainingToday()).toBe(before - 250_000);

    // The answer comes after all: the transfer exists, so the draft says so and a retry pays nothing more.
    expect((await sending).kind).toBe("sent");
    expect((await d.getDraft(draft.draftId))?.state).toBe("sent");
    expect(await d.claimRetry(draft.draftId, 1001)).toEqual({ ok: false, reason: "already", state: "sent" });
    expect(sandbox.objects().disbursements.filter((x) => x.external_id === draft.externalId)).toHaveLength(1);
    expect(await a.runOnce()).toBe(0);
    expect(told).toHaveLength(1);
  });

  it("takes the allowance on the retry of a send cut off before it took it", async () => {
    const d = desk({ sendBoundMs: 200 });
    const before = await d.allowance.remainingToday();
    const draft = await draftFor(d);
    const claim = await d.claimConfirm(draft.draftId, 1001);
    if (!claim.ok) throw new Error("the owner's press must win the claim");
    // The process stops right after the press won: no reservation, no gateway call.
    await sleep(300);
    const told: { draftId: string; messageId: number | undefined }[] = [];
    expect(await watchOf(told).runOnce()).toBe(1);
    expect(told).toEqual([{ draftId: draft.draftId, messageId: undefined }]);
    expect(await d.allowance.remainingToday()).toBe(before);

    const retry = await d.claimRetry(draft.draftId, 1001);
    if (!retry.ok) throw new Error("the owner's retry must win the claim");
    expect((await d.send(retry.draft, {})).kind).toBe("sent");
    expect(await d.allowance.remainingToday()).toBe(before - 250_000);
    expect(sandbox.objects().disbursements.filter((x) => x.external_id === draft.externalId)).toHaveLength(1);
  });

  it("counts a transfer once when its send stopped right after the day's count was taken (the store gone), and 'Coba lagi' sends it", async () => {
    const d = desk({ sendBoundMs: 200 });
    const before = await d.allowance.remainingToday();
    const draft = await draftFor(d);
    const claim = await d.claimConfirm(draft.draftId, 1001);
    if (!claim.ok) throw new Error("the owner's press must win the claim");
    // Every write after the one that counts the amount on today's allowance fails, as if the process died there.
    await expect(desk({ store: goneAfterTheDayIsCounted(), sendBoundMs: 200 }).send(claim.draft, {})).rejects.toThrow("store gone");
    expect(creates(draft.externalId)).toBe(0);
    await sleep(300);
    expect(await watchOf([]).runOnce()).toBe(1);

    const retry = await d.claimRetry(draft.draftId, 1001);
    if (!retry.ok) throw new Error("the owner's retry must win the claim");
    expect((await d.send(retry.draft, {})).kind).toBe("sent");
    expect(creates(draft.externalId)).toBe(1);
    expect(await d.allowance.remainingToday()).toBe(before - 250_000);
  });

  it("holds the retry of an unclear transfer on a later day to that day's allowance; when it cannot, nothing is sent and it stays unclear", async () => {
    let at = new Date("2026-05-04T20:00:00+07:00");
    const d = desk({ now: () => at, dailyLimit: 400_000 });
    const draft = await draftFor(d);
    // The gateway creates the transfer, then its answer is lost: the first attempt did send it.
    sandbox.injectFault({ endpoint: "create-disbursement", when: "after", status: 503 });
    const claim = await d.claimConfirm(draft.draftId, 1001);
    if (!claim.ok) throw new Error("the owner's press must win the claim");
    expect((await d.send(claim.draft, {})).kind).toBe("uncertain");
    expect(sandbox.objects().disbursements.filter((x) => x.external_id === draft.externalId)).toHaveLength(1);

    // The next Jakarta day 250.000 goes out first; today's allowance cannot hold the retry as well.
    at = new Date("2026-05-05T09:00:00+07:00");
    const today = await draftFor(d);
    const claimToday = await d.claimConfirm(today.draftId, 1001);
    if (!claimToday.ok) throw new Error("the owner's press must win the claim");
    expect((await d.send(claimToday.draft, {})).kind).toBe("sent");
    const retry = await d.claimRetry(draft.draftId, 1001);
    if (!retry.ok) throw new Error("the owner's retry must win the claim");
    expect(await d.send(retry.draft, {})).toEqual({ kind: "retry_over_today", remainingToday: 150_000 });
    // Not "refused": the first attempt may have sent it (here it did). Still unclear, and can be retried.
    expect((await d.getDraft(draft.draftId))?.state).toBe("uncertain");
    expect(await store.atomic.get(dailyCounterKey("2026-05-05"))).toBe("250000");

    // Two days on, its reservation is forgotten with its day (the store keeps it a day past its day): a retry
    // that today's allowance cannot hold is still "not retried, still unclear", never "refused, not sent".
    await store.atomic.take(reservationKey(draft.externalId));
    const forgotten = await d.claimRetry(draft.draftId, 1001);
    if (!forgotten.ok) throw new Error("the owner's retry must win the claim");
    expect(await d.send(forgotten.draft, {})).toEqual({ kind: "retry_over_today", remainingToday: 150_000 });
    expect((await d.getDraft(draft.draftId))?.state).toBe("uncertain");
    expect((await store.payments.get(draft.externalId))?.status).not.toBe("failed");

    // The day after, with room: the retry is held to that day and the gateway answers it as the first one
    // (the same idempotency key): sent, once. Which day it left on cannot be told from that answer: the 6th
    // counts it too (the careful side).
    at = new Date("2026-05-06T09:00:00+07:00");
    const again = await d.claimRetry(draft.draftId, 1001);
    if (!again.ok) throw new Error("the owner's retry must win the claim");
    expect((await d.send(again.draft, {})).kind).toBe("sent");
    expect(sandbox.objects().disbursements.filter((x) => x.external_id === draft.externalId)).toHaveLength(1);
    expect(await store.atomic.get(dailyCounterKey("2026-05-06"))).toBe("250000");
  });

  it("a retry after midnight told the transfer exists from the evening before counts it on that evening only", async () => {
    let at = new Date("2026-07-01T23:50:00+07:00");
    const d = desk({ now: () => at, dailyLimit: 1_000_000 });
    const draft = await draftFor(d);
    sandbox.injectFault({ endpoint: "create-disbursement", when: "after", status: 503 });
    const claim = await d.claimConfirm(draft.draftId, 1001);
    if (!claim.ok) throw new Error("the owner's press must win the claim");
    expect((await d.send(claim.draft, {})).kind).toBe("uncertain");

    // After midnight the gateway (past its idempotency window, say) answers that the external_id exists.
    at = new Date("2026-07-02T00:10:00+07:00");
    sandbox.injectFault({
      endpoint: "create-disbursement",
      when: "before",
      status: 409,
      contentType: "application/json",
      body: JSON.stringify({ error_code: "DUPLICATE_EXTERNAL_ID", message: "external_id already used" }),
    });
    const retry = await d.claimRetry(draft.draftId, 1001);
    if (!retry.ok) throw new Error("the owner's retry must win the claim");
    expect((await d.send(retry.draft, {})).kind).toBe("sent");
    expect(await d.allowance.remainingToday()).toBe(1_000_000);
    expect(await store.atomic.get(dailyCounterKey("2026-07-01"))).toBe("250000");
    // Its reservation is the evening's again: a FAILED now gives the amount back to the evening's count.
    expect(JSON.parse((await store.atomic.get(reservationKey(draft.externalId))) ?? "{}")).toEqual({ day: "2026-07-01", amount: 250_000 });
  });
});

describe("'Kirim lagi' on a failed transfer: one resend per failure", () => {
  /** A transfer sent through the desk that the bank then failed (its FAILED callback is the webhook's part). */
  async function failedTransfer(d: DisbursementDesk, on: Store = store): Promise<string> {
    const draft = await draftFor(d);
    const claim = await d.claimConfirm(draft.draftId, 1001);
    if (!claim.ok) throw new Error("the owner's press should win");
    expect((await d.send(claim.draft, {})).kind).toBe("sent");
    await on.payments.update(draft.externalId, { status: "failed", failureCode: "INSUFFICIENT_BALANCE" });
    return draft.externalId;
  }
  const by = (ownerId = 1001) => ({ ownerId, chatId: ownerId, locale: "id" });
  const newIds = () => {
    const n = ++ids;
    return { draftId: `again${n}`, externalId: `desk-again-${process.pid}-${n}` };
  };
  /** A failed transfer, its resend drafted and confirmed by the owner (not yet sent). */
  async function confirmedResend(d: DisbursementDesk) {
    const failedId = await failedTransfer(d);
    const again = await d.draftAgain(failedId, by(), newIds());
    if (!again.ok) throw new Error("the resend should be drafted");
    const claim = await d.claimConfirm(again.draft.draftId, 1001);
    if (!claim.ok) throw new Error("the resend's confirm should win");
    return { failedId, resend: claim.draft };
  }

  it("refuses to draft a resend of a transfer the bank failed for its destination (a button sent before the rule)", async () => {
    const d = desk();
    const failedId = await failedTransfer(d);
    await store.payments.update(failedId, { failureCode: "INVALID_DESTINATION" });
    expect(await d.draftAgain(failedId, by(), newIds())).toEqual({ ok: false, reason: "destination_wrong" });
    await store.payments.update(failedId, { failureCode: "TEMPORARY_BANK_NETWORK_ERROR" });
    expect(await d.draftAgain(failedId, by(), newIds())).toMatchObject({ ok: true });
  });

  it("gives presses at the same moment one draft, on two instances, after an earlier resend was cancelled", async () => {
    const [a, b] = [desk(), desk()];
    const failedId = await failedTransfer(a);
    const first = await a.draftAgain(failedId, by(), newIds());
    if (!first.ok) throw new Error("the first resend should be drafted");
    expect(await a.cancel(first.draft.draftId, 1001)).toEqual({ ok: true });

    const presses = await Promise.all([a, b, a, b].map((d) => d.draftAgain(failedId, by(), newIds())));
    const drafts = new Set(presses.map((p) => (p.ok ? p.draft.draftId : "refused")));
    expect(drafts.size).toBe(1);
    const [draftId] = [...drafts];
    expect(draftId).not.toBe(first.draft.draftId);
    const claims = await Promise.all([a, b].map((d) => d.claimConfirm(draftId ?? "", 1001)));
    expect(claims.filter((c) => c.ok)).toHaveLength(1);
    // Another owner's press meanwhile is told it is someone else's, and makes nothing.
    expect(await b.draftAgain(failedId, by(1005), newIds())).toMatchObject({ ok: false });
  });

  it("once the resend is sent, never drafts another, also days later when its draft and keys are long forgotten", async () => {
    // A shop of its own whose clock moves: the store forgets its keys by it.
    let clock = Date.now();
    const shop = await createStore({ url: `sqlite://${join(dir, "days-later.sqlite")}`, now: () => new Date(clock) });
    try {
      const d = desk({ now: () => new Date(clock), store: shop });
      const failedId = await failedTransfer(d, shop);
      const again = await d.draftAgain(failedId, by(), newIds());
      if (!again.ok) throw new Error("the resend should be drafted");
      const claim = await d.claimConfirm(again.draft.draftId, 1001);
      if (!claim.ok) throw new Error("the resend's confirm should win");
      expect((await d.send(claim.draft, {})).kind).toBe("sent");
      expect(creates(again.draft.externalId)).toBe(1);

      clock += 3 * 24 * 3600_000;
      expect(await d.draftAgain(failedId, by(), newIds())).toEqual({ ok: false, reason: "already", state: "sent" });
    } finally {
      await shop.close();
    }
  });

  it("an earlier resend whose confirm won just as it expired counts as sent: no second draft", async () => {
    let clock = Date.now();
    const d = desk({ now: () => new Date(clock) });
    const failedId = await failedTransfer(d);
    const again = await d.draftAgain(failedId, by(), newIds());
    if (!again.ok) throw new Error("the resend should be drafted");
    // The owner's confirm passed the expiry check a moment before the minute ran out, and is claiming now.
    expect(await store.atomic.setIfAbsent(`disburse:confirm:${again.draft.externalId}`, "confirm:1001", 60_000)).toBe(true);
    clock += 61_000;
    expect(await d.draftAgain(failedId, by(), newIds())).toEqual({ ok: false, reason: "already", state: "sent" });
  });

  it("a resend confirmed after the bank reported the failed transfer completed after all sends nothing", async () => {
    const d = desk();
    const failedId = await failedTransfer(d);
    const again = await d.draftAgain(failedId, by(), newIds());
    if (!again.ok) throw new Error("the resend should be drafted");
    await store.payments.update(failedId, { status: "completed" });
    expect(await d.claimConfirm(again.draft.draftId, 1001)).toEqual({ ok: false, reason: "resend_not_needed" });
    expect(creates(again.draft.externalId)).toBe(0);
    expect((await d.getDraft(again.draft.draftId))?.state).toBe("cancelled");
  });

  it("a retry of an unclear resend sends nothing once the failed transfer is reported completed after all", async () => {
    const d = desk();
    const { failedId, resend } = await confirmedResend(d);
    // The resend's request never reaches the gateway, but the desk cannot know: unclear.
    sandbox.injectFault({ endpoint: "create-disbursement", when: "before", status: 503 });
    expect((await d.send(resend, {})).kind).toBe("uncertain");

    await store.payments.update(failedId, { status: "completed" });
    const retry = await d.claimRetry(resend.draftId, 1001);
    if (!retry.ok) throw new Error("the retry claim should win");
    expect(await d.send(retry.draft, {})).toEqual({ kind: "resend_not_needed", mayHaveSent: true });
    expect(creates(resend.externalId)).toBe(0);
  });

  it("a COMPLETED arriving between the resend's confirm and its send keeps it from the gateway", async () => {
    const d = desk();
    const { failedId, resend } = await confirmedResend(d);
    await store.payments.update(failedId, { status: "completed" });
    expect(await d.send(resend, {})).toEqual({ kind: "resend_not_needed", mayHaveSent: false });
    expect(creates(resend.externalId)).toBe(0);
  });

  it("a chain of resends sends nothing more once its first transfer is reported completed after all", async () => {
    const d = desk();
    const { failedId, resend } = await confirmedResend(d);
    expect((await d.send(resend, {})).kind).toBe("sent");
    // The bank fails the resend too; then the first transfer turns out to have gone through.
    await store.payments.update(resend.externalId, { status: "failed", resultEventId: "disb-resend-failed" });
    await store.payments.update(failedId, { status: "completed" });
    expect(await d.draftAgain(resend.externalId, by(), newIds())).toEqual({ ok: false, reason: "not_failed", status: "completed" });
  });

  it("a second resend draft its failure does not name (a lock that ran out) cannot be confirmed", async () => {
    const d = desk();
    const failedId = await failedTransfer(d);
    const named = await d.draftAgain(failedId, by(), newIds());
    if (!named.ok) throw new Error("the resend should be drafted");
    const failed = await store.payments.get(failedId);
    const stray = await d.saveDraft({
      ...newIds(),
      ...by(1005),
      bankCode: "BNI",
      accountNumber: failed?.accountNumber ?? "",
      holderName: failed?.customerName ?? "",
      amount: failed?.amount ?? 0,
      description: "Sewa kios",
      againOf: failedId,
    });
    expect(await d.claimConfirm(stray.draftId, 1005)).toEqual({ ok: false, reason: "resend_not_needed" });
    expect((await d.claimConfirm(named.draft.draftId, 1001)).ok).toBe(true);
  });

  it("a resend the gateway refused, or the daily limit held back, sent nothing: 'Kirim lagi' drafts another", async () => {
    const refusedByGateway = desk();
    const failedId = await failedTransfer(refusedByGateway);
    const refused = await refusedByGateway.draftAgain(failedId, by(), newIds());
    if (!refused.ok) throw new Error("the resend should be drafted");
    sandbox.injectFault({ endpoint: "create-disbursement", when: "before", status: 400, contentType: "application/json", body: JSON.stringify({ error_code: "INVALID_INPUT", message: "bank closed" }) });
    const claim = await refusedByGateway.claimConfirm(refused.draft.draftId, 1001);
    if (!claim.ok) throw new Error("the resend's confirm should win");
    expect((await refusedByGateway.send(claim.draft, {})).kind).toBe("refused");
    const next = await refusedByGateway.draftAgain(failedId, by(), newIds());
    expect(next.ok && next.draft.draftId !== refused.draft.draftId).toBe(true);

    // A day of its own whose allowance the failed transfer used up (its FAILED callback, which gives it back, is the webhook's part).
    const day = new Date("2026-08-17T10:00:00+07:00");
    const full = desk({ now: () => day, dailyLimit: 250_000 });
    const fullId = await failedTransfer(full);
    const heldBack = await full.draftAgain(fullId, by(), newIds());
    if (!heldBack.ok) throw new Error("the resend should be drafted");
    const heldClaim = await full.claimConfirm(heldBack.draft.draftId, 1001);
    if (!heldClaim.ok) throw new Error("the resend's confirm should win");
    expect((await full.send(heldClaim.draft, {})).kind).toBe("daily_limit");
    const after = await full.draftAgain(fullId, by(), newIds());
    expect(after.ok && after.draft.draftId !== heldBack.draft.draftId).toBe(true);
  });

  it("a 'Kirim lagi' press stalled past the lock does not take the failure over from a resend made and sent meanwhile", async () => {
    const d = desk();
    const failedId = await failedTransfer(d);
    // Instance A: its lock has run out (Redis lets it go after 15 s), and its draft write hangs for now.
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const stalled = desk({ store: stallingDrafts(hung) });
    const pressA = stalled.draftAgain(failedId, by(), newIds());
    await sleep(50);
    // Instance B: the press again, made, confirmed and sent while A hangs.
    const pressB = await d.draftAgain(failedId, by(), newIds());
    if (!pressB.ok) throw new Error("B's resend should be drafted");
    const claim = await d.claimConfirm(pressB.draft.draftId, 1001);
    if (!claim.ok) throw new Error("B's confirm should win");
    expect((await d.send(claim.draft, {})).kind).toBe("sent");

    release();
    expect((await pressA).ok).toBe(false);
    expect((await store.payments.get(failedId))?.resentAs?.draftId).toBe(pressB.draft.draftId);
  });

  it("a send that stalled past its bound does not call the gateway once the watch has taken its timer", async () => {
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const d = desk({ store: stallingPaymentSaves(hung), sendBoundMs: 100 });
    const draft = await draftFor(d);
    const claim = await d.claimConfirm(draft.draftId, 1001);
    if (!claim.ok) throw new Error("the owner's press must win the claim");
    const sending = d.send(claim.draft, {});
    // Its record write hangs past the bound; the watch takes the attempt over (and may call it unclear).
    await sleep(200);
    expect(await store.queues.claim(SENDS_QUEUE, sendEntryId(draft.externalId, 0), "the-watch", 60_000)).toBe(true);
    release();
    expect(await sending).toEqual({ kind: "overdue" });
    expect(creates(draft.externalId)).toBe(0);
  });

  it("a stalled press that loses the link to a resend only drafted meanwhile shows the owner that resend", async () => {
    const d = desk();
    const failedId = await failedTransfer(d);
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const pressA = desk({ store: stallingDrafts(hung) }).draftAgain(failedId, by(), newIds());
    await sleep(50);
    const pressB = await d.draftAgain(failedId, by(), newIds());
    if (!pressB.ok) throw new Error("B's resend should be drafted");
    release();
    const answerA = await pressA;
    expect(answerA.ok && answerA.draft.draftId).toBe(pressB.draft.draftId);
  });

  it("a resend whose failure is recorded completed while its record is being written stops before the gateway", async () => {
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const { failedId, resend } = await confirmedResend(desk());
    // Its send, on a store whose payment writes hang for now.
    const sending = desk({ store: stallingPaymentSaves(hung) }).send(resend, {});
    await sleep(50);
    await store.payments.update(failedId, { status: "completed" });
    release();
    expect(await sending).toEqual({ kind: "resend_not_needed", mayHaveSent: false });
    expect(creates(resend.externalId)).toBe(0);
    // Nothing left: its record says so, and its reservation is back.
    expect((await store.payments.get(resend.externalId))?.status).toBe("failed");
  });

  it("a stalled send does not call the gateway once the watch has settled it, also after the watch let its timer go", async () => {
    for (const [bound, letGo] of [
      [100, true],
      [5_000, false],
    ] as const) {
      let release!: () => void;
      const hung = new Promise<void>((resolve) => (release = resolve));
      const d = desk({ store: stallingPaymentSaves(hung), sendBoundMs: bound });
      const draft = await draftFor(d);
      const claim = await d.claimConfirm(draft.draftId, 1001);
      if (!claim.ok) throw new Error("the owner's press must win the claim");
      const sending = d.send(claim.draft, {});
      await sleep(200);
      // The watch concluded the attempt unclear; with a short bound it has let the timer go again (its telling
      // failed, say), so a plain claim of the timer would pass.
      await store.atomic.setIfAbsent(`disburse:settled:${draft.externalId}:0`, JSON.stringify({ state: "uncertain", by: "watch" }));
      if (letGo) {
        expect(await store.queues.claim(SENDS_QUEUE, sendEntryId(draft.externalId, 0), "the-watch", 60_000)).toBe(true);
        expect(await store.queues.release(SENDS_QUEUE, sendEntryId(draft.externalId, 0), "the-watch", {})).toBe(true);
      }
      release();
      expect(await sending).toEqual({ kind: "overdue" });
      expect(creates(draft.externalId)).toBe(0);
    }
  });
});

/** The shop's store, except that writing a draft waits for `until`, and locks are not held (run out). */
function stallingDrafts(until: Promise<void>): Store {
  return {
    ...store,
    withLock: (_key, fn) => fn(),
    namespace: (name) => (name === "disbursement-drafts" ? delayed(store.namespace(name), "set", until) : store.namespace(name)),
  };
}

/**
 * The shop's store until a write that moves a day's allowance counter (`disburse:day:…`) has gone through;
 * from then on every call fails, as the store of a process that died right there.
 */
function goneAfterTheDayIsCounted(): Store {
  let gone = false;
  const countsTheDay = (args: unknown[]) => args.some((a) => typeof a === "string" && a.startsWith("disburse:day:"));
  const failingOnceGone = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value: unknown = Reflect.get(object, property, receiver);
        if (typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          if (gone) throw new Error("store gone");
          const result: unknown = await (value as (...a: unknown[]) => unknown).apply(object, args);
          if (countsTheDay(args)) gone = true;
          return result;
        };
      },
    });
  return {
    ...store,
    atomic: failingOnceGone(store.atomic),
    payments: failingOnceGone(store.payments),
    queues: failingOnceGone(store.queues),
    withLock: (key, fn) => (gone ? Promise.reject(new Error("store gone")) : store.withLock(key, fn)),
    applyOnce: (unit) => (gone ? Promise.reject(new Error("store gone")) : store.applyOnce(unit)),
    namespace: (name) => failingOnceGone(store.namespace(name)),
  };
}

/** The shop's store, except that saving a payment waits for `until`. */
function stallingPaymentSaves(until: Promise<void>): Store {
  return { ...store, payments: { ...store.payments, save: async (record) => (await until, store.payments.save(record)) } };
}

function delayed<T extends object>(target: T, method: string, until: Promise<void>): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== "function") return value;
      if (property !== method) return value.bind(object);
      return async (...args: unknown[]) => {
        await until;
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}
