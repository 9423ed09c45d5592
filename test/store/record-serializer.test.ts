import { defaultDeserialize, defaultSerialize } from "@keyv/serialize";
import { describe, expect, it } from "vitest";
import { deserializeRecord, serializeRecord } from "../../src/store/record-serializer.js";
import { seededRandom } from "../support/seeded-random.js";

/**
 * The store's serializer must write exactly what keyv's own writes and read exactly what it reads: data
 * files written before it (and keyv reading ours) depend on it. Checked against @keyv/serialize itself, on
 * generated records full of the strings keyv treats specially.
 */

const STRINGS = [
  "",
  ":",
  "::",
  ":Budi",
  "::Budi",
  ":base64:QnVkaQ==",
  "Budi Santoso",
  'a":b',
  '":',
  '[":x"]',
  "Toko \"Maju\" Jaya",
  "Rp 150.000 — Ibu Sri",
  "emoji 💸 and \u0000 and \n",
  "2025-06-01T04:00:00.000Z",
  " :space first",
  "key:",
];

function generate(rnd: () => number, depth: number): unknown {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const kind = Math.floor(rnd() * (depth > 3 ? 6 : 10));
  switch (kind) {
    case 0:
    case 1:
      return pick(STRINGS);
    case 2:
      return pick([0, -1, 150_000, 1.5, -0, Number.MAX_SAFE_INTEGER, Number.NaN]);
    case 3:
      return pick([true, false, null]);
    case 4:
      return new Date(Date.UTC(2025, 5, 1, Math.floor(rnd() * 24)));
    case 5:
      return Buffer.from(pick(STRINGS));
    case 6:
    case 7: {
      const object: Record<string, unknown> = {};
      const fields = Math.floor(rnd() * 5);
      for (let i = 0; i < fields; i++) object[rnd() < 0.2 ? pick(STRINGS) : `field${i}`] = rnd() < 0.1 ? undefined : generate(rnd, depth + 1);
      return object;
    }
    default:
      return Array.from({ length: Math.floor(rnd() * 4) }, () => (rnd() < 0.1 ? undefined : generate(rnd, depth + 1)));
  }
}

describe("the store's record serializer", () => {
  it("writes and reads 3,000 generated records exactly as keyv's serializer does", () => {
    const rnd = seededRandom(20261126);
    let special = 0;
    for (let i = 0; i < 3_000; i++) {
      const record = { value: generate(rnd, 0), expires: rnd() < 0.5 ? undefined : 1_760_000_000_000 + i };
      const written = serializeRecord(record);
      expect(written, `record ${i}`).toBe(defaultSerialize(record));
      expect(deserializeRecord(written), `record ${i}`).toEqual(defaultDeserialize(written));
      if (/[:,[]":/.test(written) || written.includes('"type":"Buffer"')) special++;
    }
    // The generator must exercise both ways: records keyv escapes (or holds Buffers in), and plain ones.
    expect(special).toBeGreaterThan(500);
    expect(special).toBeLessThan(2_500);
  });

  it("a payment whose customer name begins with ':' is stored escaped and read back as it was", () => {
    const record = { value: { externalId: "va-1", customerName: ":Budi", amount: 150_000, tags: [":a", "b"] }, expires: undefined };
    const written = serializeRecord(record);
    expect(written).toBe('{"value":{"externalId":"va-1","customerName":"::Budi","amount":150000,"tags":["::a","b"]}}');
    expect(deserializeRecord(written)).toEqual({ value: record.value });
  });

  it("reads escaped strings written with whitespace (by something other than keyv) as keyv does", () => {
    const text = JSON.stringify({ value: { name: "::Budi", photo: ":base64:QQ==", list: [ "::x" ] } }, null, 2);
    expect(deserializeRecord(text)).toEqual(defaultDeserialize(text));
    expect(deserializeRecord<{ value: { name: string } }>(text).value.name).toBe(":Budi");
  });
});
