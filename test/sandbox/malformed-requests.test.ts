import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/index.js";
import { API_KEY, startSandbox } from "./support.js";

/**
 * Whatever a buggy integration or a curious person sends, the sandbox answers a 4xx with the documented
 * error shape, never a 500 or a hang, and goes on serving the next merchant's request.
 */

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

const auth = { authorization: `Bearer ${API_KEY}` };
const urlencoded = { ...auth, "content-type": "application/x-www-form-urlencoded" };
const json = { ...auth, "content-type": "application/json" };
const goodVa = { bank_code: "BCA", name: "Siti Aminah", is_single_use: "true", amount: "150000", external_id: "will-be-replaced" };
const vaForm = (overrides: Record<string, string | undefined>) => {
  const fields = { ...goodVa, external_id: `bad-${Math.random().toString(36).slice(2)}`, ...overrides };
  return new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined)).toString();
};
const big = "a".repeat(1_100_000);
const boundary = "----pallabot-test-boundary";
const multipartBody = (parts: string) => `${parts}--${boundary}--\r\n`;
const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

interface Case {
  name: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
}

const VA = "/api/v2/create-virtual-account";
const RETAIL = "/api/v2/create-retail-payment";
const DISBURSE = "/api/v2/create-disbursement";

const cases: Case[] = [
  { name: "no Authorization header", headers: { "content-type": "application/x-www-form-urlencoded" }, body: vaForm({}), status: 401 },
  { name: "a wrong key", headers: { authorization: "Bearer not-the-key", "content-type": "application/x-www-form-urlencoded" }, body: vaForm({}), status: 401 },
  { name: "Bearer with no key", headers: { authorization: "Bearer ", "content-type": "application/x-www-form-urlencoded" }, body: vaForm({}), status: 401 },
  { name: "Basic auth instead of the key", headers: { authorization: "Basic dXNlcjpwYXNz", "content-type": "application/x-www-form-urlencoded" }, body: vaForm({}), status: 401 },
  { name: "an empty form", headers: urlencoded, body: "", status: 400 },
  { name: "no amount", headers: urlencoded, body: vaForm({ amount: undefined }), status: 400 },
  { name: "no external_id", headers: urlencoded, body: vaForm({ external_id: undefined }), status: 400 },
  { name: "no name at all", headers: urlencoded, body: vaForm({ name: undefined }), status: 400 },
  { name: 'amount written "10.000"', headers: urlencoded, body: vaForm({ amount: "10.000" }), status: 400 },
  { name: "a negative amount", headers: urlencoded, body: vaForm({ amount: "-10000" }), status: 400 },
  { name: "amount in words", headers: urlencoded, body: vaForm({ amount: "seratus ribu" }), status: 400 },
  { name: "amount in exponent form", headers: urlencoded, body: vaForm({ amount: "1e5" }), status: 400 },
  { name: "amount with sen", headers: urlencoded, body: vaForm({ amount: "10000.50" }), status: 400 },
  { name: "amount under the bank's minimum", headers: urlencoded, body: vaForm({ amount: "9999" }), status: 400 },
  { name: "amount over BCA's maximum", headers: urlencoded, body: vaForm({ amount: "50000001" }), status: 400 },
  { name: "a bank the VA endpoint does not serve", headers: urlencoded, body: vaForm({ bank_code: "BRI" }), status: 400 },
  { name: 'is_single_use "yes"', headers: urlencoded, body: vaForm({ is_single_use: "yes" }), status: 400 },
  { name: "a name with digits", headers: urlencoded, body: vaForm({ name: "Budi 123" }), status: 400 },
  { name: "a name with a bank's name in it", headers: urlencoded, body: vaForm({ name: "Bank Budi" }), status: 400 },
  { name: "a 65-character name", headers: urlencoded, body: vaForm({ name: "A".repeat(65) }), status: 400 },
  { name: "a 65-character external_id", headers: urlencoded, body: vaForm({ external_id: "x".repeat(65) }), status: 400 },
  { name: "an external_id with spaces", headers: urlencoded, body: vaForm({ external_id: "order 12" }), status: 400 },
  { name: "amount sent twice", headers: urlencoded, body: `${vaForm({})}&amount=20000`, status: 400 },
  { name: "JSON with wrong types", headers: json, body: JSON.stringify({ ...goodVa, external_id: "json-types", amount: [150000], name: { first: "Siti" } }), status: 400 },
  { name: "a JSON array", headers: json, body: "[]", status: 400 },
  { name: "a JSON string", headers: json, body: '"hello"', status: 400 },
  { name: "broken JSON", headers: json, body: '{"amount": ', status: 400 },
  { name: "an empty JSON body", headers: json, body: "", status: 400 },
  { name: "text/plain", headers: { ...auth, "content-type": "text/plain" }, body: vaForm({}), status: 415 },
  { name: "XML", headers: { ...auth, "content-type": "application/xml" }, body: "<va><amount>10000</amount></va>", status: 415 },
  { name: "a body with no content type", headers: auth, body: vaForm({}), status: 415 },
  { name: "a urlencoded body over 1 MB", headers: urlencoded, body: vaForm({ name: big }), status: 413 },
  { name: "a JSON body over 1 MB", headers: json, body: JSON.stringify({ ...goodVa, name: big }), status: 413 },
  {
    name: "a multipart body over 1 MB",
    headers: { ...auth, "content-type": `multipart/form-data; boundary=${boundary}` },
    body: multipartBody(field("name", big)),
    status: 413,
  },
  { name: "multipart with no boundary", headers: { ...auth, "content-type": "multipart/form-data" }, body: field("amount", "10000"), status: 400 },
  {
    name: "multipart cut off mid-part",
    headers: { ...auth, "content-type": `multipart/form-data; boundary=${boundary}` },
    body: `${field("bank_code", "BCA")}--${boundary}\r\nContent-Disposition: form-data; name="amount"\r\n\r\n100`,
    status: 400,
  },
  {
    name: "multipart with a garbled part header",
    headers: { ...auth, "content-type": `multipart/form-data; boundary=${boundary}` },
    body: `--${boundary}\r\nthis is not a header\r\n\r\nvalue\r\n--${boundary}--\r\n`,
    status: 400,
  },
  {
    name: "multipart with a file instead of a field",
    headers: { ...auth, "content-type": `multipart/form-data; boundary=${boundary}` },
    body: multipartBody(
      Object.entries({ ...goodVa, external_id: "with-file" }).map(([k, v]) => field(k, v)).join("") +
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="ktp.jpg"\r\nContent-Type: image/jpeg\r\n\r\nJPEGDATA\r\n`,
    ),
    status: 400,
  },
  { name: "Indomaret, which is not served", path: RETAIL, headers: urlencoded, body: "retail_outlet_name=INDOMARET&name=Siti&amount=20000&external_id=rp-indo", status: 400 },
  { name: "an Alfamart amount over 5 million", path: RETAIL, headers: urlencoded, body: "retail_outlet_name=ALFAMART&name=Siti&amount=5000001&external_id=rp-big", status: 400 },
  {
    name: "a disbursement to an unknown bank",
    path: DISBURSE,
    headers: urlencoded,
    body: "bank_code=XYZ&account_name=Dono&account_number=1234567890&description=Gaji&external_id=d-xyz&amount=20000",
    status: 400,
  },
  {
    name: "an account number with letters",
    path: DISBURSE,
    headers: urlencoded,
    body: "bank_code=BCA&account_name=Dono&account_number=12ab567890&description=Gaji&external_id=d-letters&amount=20000",
    status: 400,
  },
  {
    name: "a disbursement email that is not one",
    path: DISBURSE,
    headers: urlencoded,
    body: "bank_code=BCA&account_name=Dono&account_number=1234567890&description=Gaji&external_id=d-mail&amount=20000&email_to=dono-at-gmail",
    status: 400,
  },
  {
    name: "a disbursement with no description",
    path: DISBURSE,
    headers: urlencoded,
    body: "bank_code=BCA&account_name=Dono&account_number=1234567890&external_id=d-nodesc&amount=20000",
    status: 400,
  },
  { name: "an unknown endpoint", path: "/api/v2/create-qris", headers: urlencoded, body: vaForm({}), status: 404 },
  { name: "GET on a create endpoint", method: "GET", headers: auth, status: 404 },
  { name: "an idempotency key with spaces", headers: { ...urlencoded, "x-idempotency-key": "two words" }, body: vaForm({}), status: 400 },
  { name: "paying a VA that does not exist", path: "/sandbox/simulate/virtual-accounts/nope/pay", headers: json, body: "{}", status: 404 },
  { name: "a fault with a nonsense status", path: "/sandbox/faults", headers: json, body: JSON.stringify({ status: "broken" }), status: 400 },
];

let served = 0;
async function aMerchantCanStillCreateAVirtualAccount(): Promise<void> {
  served++;
  const res = await fetch(`${sandbox.url}${VA}`, {
    method: "POST",
    headers: urlencoded,
    body: new URLSearchParams({ ...goodVa, external_id: `after-bad-${served}` }),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ external_id: `after-bad-${served}`, status: "pending" });
}

describe("malformed requests to the sandbox", () => {
  it(`has at least 30 of them to try (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)("answers $name with $status and the error shape, then serves the next request", async (c) => {
    const res = await fetch(`${sandbox.url}${c.path ?? VA}`, {
      method: c.method ?? "POST",
      headers: c.headers ?? {},
      ...(c.body !== undefined ? { body: c.body } : {}),
    });
    expect(res.status).toBe(c.status);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["error_code", "message"]);
    expect(body.error_code).toMatch(/^[A-Z_]+$/);
    expect(typeof body.message).toBe("string");
    // A refusal never echoes the key back.
    expect(JSON.stringify(body)).not.toContain(API_KEY);
    await aMerchantCanStillCreateAVirtualAccount();
  });

  it("refuses a reused external_id with 409, and created nothing for any of the bad requests", async () => {
    const first = await fetch(`${sandbox.url}${VA}`, { method: "POST", headers: urlencoded, body: vaForm({ external_id: "order-409" }) });
    expect(first.status).toBe(200);
    const again = await fetch(`${sandbox.url}${VA}`, { method: "POST", headers: urlencoded, body: vaForm({ external_id: "order-409" }) });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error_code: "DUPLICATE_EXTERNAL_ID", message: expect.any(String) });
    const objects = sandbox.objects();
    expect(objects.virtual_accounts.map((v) => v.external_id).filter((id) => !id.startsWith("after-bad-"))).toEqual(["order-409"]);
    expect(objects.retail_payments).toEqual([]);
    expect(objects.disbursements).toEqual([]);
  });
});
