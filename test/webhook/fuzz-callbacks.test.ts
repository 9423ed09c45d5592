import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALLBACK_PATHS, CALLBACK_TOKEN_HEADER, callbackEventId, type CallbackEvent } from "../../src/gateway/callbacks.js";
import { CASHIER, CALLBACK_TOKEN, SHOP_GROUP, startShop, type Shop } from "./shop-harness.js";
import type { PaymentRecord } from "../../src/store/types.js";
import { seededRandom } from "../support/seeded-random.js";

/**
 * Hostile and malformed callbacks over real HTTP, from a seeded generator (set FUZZ_SEED to replay a
 * failure). Every bad one must be a 4xx, never a 5xx; the valid ones mixed in must each be recorded once.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const REQUESTS = 2_500;
const CONCURRENCY = 16;

type Expect = "valid" | "4xx";
interface FuzzRequest {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  expect: Expect;
  /** For valid paid callbacks: the event id that must end up recorded. */
  eventId?: string;
}

let shop: Shop;
let multiUse: PaymentRecord;

beforeAll(async () => {
  shop = await startShop({ notifier: false });
  // Paid again and again, announced to the group it was made in (one outbox item per payment).
  multiUse = await shop.createVirtualAccount({ amount: 10_000, name: "Pelanggan Setia", isSingleUse: false, createdBy: CASHIER.id, chatId: SHOP_GROUP, showPhoto: false });
});
afterAll(async () => {
  await shop.close();
});

describe("the callback receiver under hostile input", () => {
  it(`answers ${REQUESTS} generated requests with 4xx for every bad one, and records every valid one once`, async () => {
    const rnd = seededRandom(SEED);
    const int = (n: number) => Math.floor(rnd() * n);
    const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)] as T;
    const now = new Date().toISOString();
    let paymentCounter = 0;

    const validPaid = () => {
      const paymentId = `fuzz-pay-${SEED}-${++paymentCounter}`;
      return {
        id: `fuzz-cb-${paymentCounter}`,
        payment_id: paymentId,
        callback_virtual_account_id: multiUse.gatewayId,
        owner_id: "owner-1",
        external_id: multiUse.externalId,
        account_number: multiUse.accountNumber ?? "8808000000000001",
        bank_code: "BCA",
        amount: 10_000 + int(1_000_000),
        merchant_code: "77001",
        transaction_timestamp: now,
        created: now,
        updated: now,
      } as Record<string, unknown>;
    };
    // What the receiver decides on: wrong there, a callback is refused. The rest it only shows (account,
    // bank, times: taken as sent, missing or in another format) or never reads.
    const requiredFields = ["id", "payment_id", "external_id", "account_number", "amount"];
    const stringFields = ["id", "payment_id", "external_id"];
    const shownFields = ["bank_code", "sender_name", "transaction_timestamp"];
    const junkStrings = ["\u0000", "\ud800", "‮evil", "💸💸💸", "𝔞𝔪𝔬𝔲𝔫𝔱", "<script>alert(1)</script>", "' OR 1=1 --", "\n\r\t", "ﾠ", "null"];
    const badAmounts: unknown[] = ["12.5", "-1", "1e3", " 100", "100 ", "0x10", "", "Rp 10.000", "１２３", -5, 1.5, 1e300, "9".repeat(40), true, null, [], {}, Number.MAX_SAFE_INTEGER + 2];
    const wrongValues: unknown[] = [123, -1, 0, true, false, null, [], [1, 2], {}, { a: 1 }, 1.5, "x".repeat(5_000)];
    const headers = (extra: Record<string, string> = {}) => ({ "content-type": "application/json", [CALLBACK_TOKEN_HEADER]: CALLBACK_TOKEN, ...extra });
    const paidPath = CALLBACK_PATHS["virtual-account-paid"];
    const paths = Object.values(CALLBACK_PATHS);

    const generators: Array<() => FuzzRequest> = [
      // valid (some with junk extra fields, which receivers ignore, or with the fields it only shows or never
      // reads missing, null or in another format: a real payment is not refused over them), sometimes sent twice
      () => {
        const p = validPaid();
        if (rnd() < 0.5) p[`extra_${int(100)}`] = pick([...junkStrings, 1, null, { nested: [1, 2, 3] }]);
        if (rnd() < 0.3) p.amount = String(p.amount);
        if (rnd() < 0.3) delete p[pick(["callback_virtual_account_id", "owner_id", "merchant_code", "created", "updated", ...shownFields])];
        if (rnd() < 0.2) p[pick(["owner_id", "merchant_code", "created", "updated", "callback_virtual_account_id"])] = pick(wrongValues);
        if (rnd() < 0.2) p[pick(shownFields)] = pick([null, ...wrongValues, ...junkStrings]);
        if (rnd() < 0.2) p.transaction_timestamp = pick(["2026-11-26 17:00:00", "2026-11-26T17:00:00", "2026-11-26T17:00:00.123456+0700"]);
        if (rnd() < 0.2) p.account_number = pick(["8808 0000 0000 0001", 8808000000000001, "8808-0000-0000-0001"]);
        return { label: "valid", method: "POST", path: paidPath, headers: headers(), body: JSON.stringify(p), expect: "valid", eventId: callbackEventId("virtual-account-paid", p as { id: string; payment_id: string }) };
      },
      // bad JSON
      () => {
        const text = JSON.stringify(validPaid());
        const broken = pick([text.slice(0, int(text.length)), `${text},`, `{${text}`, text.replace(/"/g, "'"), "{", "[", "]", "nul", "NaN", "{\"a\":}", "\u0000\u0001", "{\"amount\": 01}", text.replace(":", "::")]);
        return { label: "bad-json", method: "POST", path: pick(paths), headers: headers(), body: broken, expect: "4xx" };
      },
      // JSON that is not an object
      () => ({ label: "not-object", method: "POST", path: pick(paths), headers: headers(), body: pick(["null", "[]", "[{}]", "\"str\"", "42", "true", "{}"]), expect: "4xx" }),
      // a required field missing
      () => {
        const p = validPaid();
        delete p[pick(requiredFields)];
        return { label: "missing-field", method: "POST", path: paidPath, headers: headers(), body: JSON.stringify(p), expect: "4xx" };
      },
      // a string field with the wrong type
      () => {
        const p = validPaid();
        if (rnd() < 0.7) p[pick(stringFields)] = pick(wrongValues.filter((v) => typeof v !== "string"));
        // the VA number as neither text nor a number
        else p.account_number = pick(wrongValues.filter((v) => typeof v === "boolean" || (typeof v === "object" && v !== null)));
        return { label: "wrong-type", method: "POST", path: paidPath, headers: headers(), body: JSON.stringify(p), expect: "4xx" };
      },
      // amounts that are not whole rupiah, or numbers as strings where they do not belong
      () => {
        const p = validPaid();
        p.amount = pick(badAmounts);
        return { label: "bad-amount", method: "POST", path: paidPath, headers: headers(), body: JSON.stringify(p), expect: "4xx" };
      },
      // unicode junk where the VA's digits belong
      () => {
        const p = validPaid();
        p.account_number = pick(junkStrings);
        return { label: "unicode-junk", method: "POST", path: paidPath, headers: headers(), body: JSON.stringify(p), expect: "4xx" };
      },
      // prototype pollution attempts
      () => {
        const p = JSON.stringify(validPaid());
        const body = pick([
          p.replace("{", '{"__proto__":{"polluted":"yes"},'),
          p.replace("{", '{"constructor":{"prototype":{"polluted":"yes"}},'),
          p.replace('"owner_id":"owner-1"', '"owner_id":{"__proto__":{"polluted":"yes"}}'),
          '{"__proto__":{"polluted":"yes"}}',
        ]);
        return { label: "proto", method: "POST", path: paidPath, headers: headers(), body, expect: "4xx" };
      },
      // deeply nested values, within the size limit
      () => {
        const depth = 1_000 + int(10_000);
        const nested = rnd() < 0.5 ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth / 4)}1${"}".repeat(depth / 4)}`;
        const body = rnd() < 0.5 ? nested : JSON.stringify(validPaid()).replace('"owner-1"', nested);
        return { label: "deep", method: "POST", path: paidPath, headers: headers(), body, expect: "4xx" };
      },
      // huge bodies
      () => {
        const size = 66_000 + int(100_000);
        const p = validPaid();
        p.owner_id = "x".repeat(size);
        return { label: "huge", method: "POST", path: paidPath, headers: headers(), body: JSON.stringify(p), expect: "4xx" };
      },
      // wrong content types
      () => {
        const type = pick(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "application/json-patch+json", "text/json", "application/xml", "", "*/*"]);
        const h: Record<string, string> = { [CALLBACK_TOKEN_HEADER]: CALLBACK_TOKEN };
        if (type !== "") h["content-type"] = type;
        return { label: "content-type", method: "POST", path: paidPath, headers: h, body: JSON.stringify(validPaid()), expect: "4xx" };
      },
      // missing or wrong token on an otherwise valid callback
      () => {
        const h: Record<string, string> = { "content-type": "application/json" };
        const choice = int(5);
        if (choice === 1) h[CALLBACK_TOKEN_HEADER] = "";
        if (choice === 2) h[CALLBACK_TOKEN_HEADER] = CALLBACK_TOKEN.slice(0, -1);
        // (HTTP trims a header's surrounding spaces, so "token " is the token: repeat it with a space between.)
        if (choice === 3) h[CALLBACK_TOKEN_HEADER] = `${CALLBACK_TOKEN} `.repeat(2 + int(3));
        if (choice === 4) h[CALLBACK_TOKEN_HEADER] = "x".repeat(1 + int(4_000));
        return { label: "token", method: "POST", path: pick(paths), headers: h, body: JSON.stringify(validPaid()), expect: "4xx" };
      },
      // the right body on the wrong event's path
      () => {
        const event = pick(["virtual-account-created", "retail-outlet-paid", "disbursement"] as CallbackEvent[]);
        return { label: "wrong-path", method: "POST", path: CALLBACK_PATHS[event], headers: headers(), body: JSON.stringify(validPaid()), expect: "4xx" };
      },
      // wrong methods and unknown paths
      () => ({
        label: "route",
        method: pick(["GET", "PUT", "DELETE", "PATCH"]),
        path: pick([...paths, "/callbacks", "/%00", "/%ff%fe", `/callbacks/${"a".repeat(300)}`]),
        headers: headers(),
        ...(rnd() < 0.5 ? {} : { body: "{}" }),
        expect: "4xx",
      }),
    ];

    const requests: FuzzRequest[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      // One in eight is valid; one valid in four is sent a second time, later.
      const r = rnd() < 0.125 ? (generators[0] as () => FuzzRequest)() : (generators[1 + int(generators.length - 1)] as () => FuzzRequest)();
      requests.push(r);
      if (r.expect === "valid" && rnd() < 0.25) requests.push({ ...r, label: "valid-repeat" });
    }

    const outcomes: { request: FuzzRequest; status: number | string }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++] as FuzzRequest;
        try {
          const answer = await fetch(`${shop.webhookUrl}${request.path}`, {
            method: request.method,
            headers: request.headers,
            ...(request.body !== undefined && request.method !== "GET" ? { body: request.body } : {}),
          });
          await answer.arrayBuffer();
          outcomes.push({ request, status: answer.status });
        } catch (error) {
          outcomes.push({ request, status: `network error: ${(error as Error).message}` });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const byLabel = new Map<string, Map<string | number, number>>();
    for (const { request, status } of outcomes) {
      const m = byLabel.get(request.label) ?? new Map<string | number, number>();
      m.set(status, (m.get(status) ?? 0) + 1);
      byLabel.set(request.label, m);
    }
    console.log(`fuzz seed ${SEED}: ${outcomes.length} requests`, Object.fromEntries([...byLabel].map(([k, v]) => [k, Object.fromEntries(v)])));

    const wrong = outcomes.filter(({ request, status }) =>
      request.expect === "valid" ? status !== 200 : !(typeof status === "number" && status >= 400 && status < 500),
    );
    expect(wrong.map((w) => `${w.request.label} ${w.request.method} ${w.request.path.slice(0, 60)} -> ${w.status}`)).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(REQUESTS);
    // The bar: at least 2,000 malformed or hostile requests among them.
    expect(requests.filter((r) => r.expect === "4xx").length).toBeGreaterThanOrEqual(2_000);

    // Every valid callback recorded exactly once: one dedupe mark each, one outbox item each, no more.
    const validIds = new Set(requests.filter((r) => r.expect === "valid").map((r) => r.eventId as string));
    for (const eventId of validIds) expect(await shop.eventLog.get(eventId)).toMatchObject({ known: true, externalId: multiUse.externalId });
    const pending = await shop.outbox.pending({ limit: 10_000 });
    expect(pending).toHaveLength(validIds.size);
    expect(new Set(pending.map((p) => p.id))).toEqual(new Set([...validIds].map((id) => `${id}:chat:${SHOP_GROUP}`)));
    expect((await shop.store.payments.get(multiUse.externalId))?.status).toBe("paid");

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const health = await fetch(`${shop.webhookUrl}/healthz`);
    expect(health.status).toBe(200);
  });
});
