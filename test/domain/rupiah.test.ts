import { describe, expect, it } from "vitest";
import { formatRupiah, parseRupiah, readRupiah } from "../../src/domain/rupiah.js";

describe("amounts as shop people type them", () => {
  it.each([
    ["150000", 150_000],
    ["150.000", 150_000],
    ["Rp 150.000", 150_000],
    ["rp150.000,-", 150_000],
    ["Rp. 150.000,00", 150_000],
    ["150,000", 150_000],
    ["150rb", 150_000],
    ["150 ribu", 150_000],
    ["150k", 150_000],
    ["1,5jt", 1_500_000],
    ["1.5 jt", 1_500_000],
    ["2 juta", 2_000_000],
    ["1,25jt", 1_250_000],
    ["2 JT", 2_000_000],
    [",5jt", 500_000],
    ["1,999999jt", 1_999_999],
  ])("reads %j as %d", (typed, amount) => {
    expect(parseRupiah(typed)).toBe(amount);
  });

  it.each(["", "abc", "-5", "150.5", "1.50.000", "12,34", "150 dollars", "1e6", "Rp", "9".repeat(41), "0x10", "1,5", "1,2345678jt", "1,0000005jt", "1,9999999jt", "12,3456rb", "1,0000000001M"])(
    "refuses %j rather than guessing",
    (typed) => {
      expect(parseRupiah(typed)).toBeNull();
    },
  );

  // An English cashier's "2M" is two million; on an Indonesian price tag "2M" is two miliar. Neither is guessed.
  it.each([
    ["2M", "2", 2_000_000],
    ["2m", "2", 2_000_000],
    ["1.5M", "1.5", 1_500_000],
    ["1,5m", "1,5", 1_500_000],
    ["5 M", "5", 5_000_000],
    ["Rp 2M", "2", 2_000_000],
    ["1.500m", "1.500", 1_500_000_000],
  ])("refuses %j as ambiguous, with the number typed (%j) and both readings (%d as juta)", (typed, number, asJuta) => {
    expect(readRupiah(typed)).toEqual({ ok: false, reason: "ambiguous_m", number, asJuta, asMiliar: asJuta * 1000 });
    expect(parseRupiah(typed)).toBeNull();
  });

  it.each([
    ["1,500rb", 1_500, 1_500_000],
    ["1.500rb", 1_500, 1_500_000],
    ["25,000k", 25_000, 25_000_000],
    ["12,345rb", 12_345, 12_345_000],
    ["2,250jt", 2_250_000, 2_250_000_000],
  ])("refuses %j as ambiguous: one group of three digits before a suffix is %d to some and %d to others", (typed, smaller, larger) => {
    expect(readRupiah(typed)).toEqual({ ok: false, reason: "ambiguous_separator", smaller, larger });
    expect(parseRupiah(typed)).toBeNull();
  });

  // Rupiah have no sen here: an amount with them is refused with the whole rupiah either side, not rounded.
  it.each([
    ["150.000,50", 150_000],
    ["Rp 150.000,5", 150_000],
    ["150,000.50", 150_000],
    ["1500.25", 1_500],
    ["20000,99", 20_000],
  ])("refuses %j as sen, offering %d and one more", (typed, below) => {
    expect(readRupiah(typed)).toEqual({ ok: false, reason: "sen", below, above: below + 1 });
  });

  it("tells digits too many for any amount ('999999999999999999999') from digits it cannot read", () => {
    expect(readRupiah("999999999999999999999")).toEqual({ ok: false, reason: "huge" });
    expect(readRupiah("9.999.999.999.999.999.999")).toEqual({ ok: false, reason: "huge" });
    expect(readRupiah("9007199254740991")).toEqual({ ok: true, amount: Number.MAX_SAFE_INTEGER });
  });

  it("reads zero sen after a decimal point as whole rupiah, and leaves a small '150.5' unreadable (maybe 150.500)", () => {
    expect(readRupiah("15000.00")).toEqual({ ok: true, amount: 15_000 });
    expect(readRupiah("150.5")).toEqual({ ok: false, reason: "unreadable" });
    expect(readRupiah("-150.000,50")).toEqual({ ok: false, reason: "negative" });
  });

  it.each([
    ["2jt", 2_000_000],
    ["2 juta", 2_000_000],
    ["2 miliar", 2_000_000_000],
    ["2 milyar", 2_000_000_000],
    ["1,5 Miliar", 1_500_000_000],
    ["1.5 mio", 1_500_000],
    ["150rb", 150_000],
    ["150 ribu", 150_000],
    ["150k", 150_000],
  ])("still reads the unambiguous %j as %d", (typed, amount) => {
    expect(readRupiah(typed)).toEqual({ ok: true, amount });
  });

  it.each(["-5000", "-5.000", "−5.000", "- 5000", "Rp -5.000", "-Rp 5.000", "-5rb", "-1,5jt", "-0"])("tells %j apart as a negative amount", (typed) => {
    expect(readRupiah(typed)).toEqual({ ok: false, reason: "negative" });
    expect(parseRupiah(typed)).toBeNull();
  });

  it.each(["-abc", "--5000", "-", "-2M5", "1.2.3M", "1,0000005M", "10000000M"])("calls %j unreadable: neither a negative amount nor two readable meanings", (typed) => {
    expect(readRupiah(typed)).toEqual({ ok: false, reason: "unreadable" });
  });

  it("formats with Indonesian grouping and the Rp sign", () => {
    expect(formatRupiah(3_450_000)).toBe("Rp 3.450.000");
    expect(formatRupiah(10_000)).toBe("Rp 10.000");
  });
});
