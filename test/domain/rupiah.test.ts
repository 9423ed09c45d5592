import { describe, expect, it } from "vitest";
import { formatRupiah, parseRupiah } from "../../src/domain/rupiah.js";

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
    ["12,345rb", 12_345],
  ])("reads %j as %d", (typed, amount) => {
    expect(parseRupiah(typed)).toBe(amount);
  });

  it.each(["", "abc", "-5", "150.5", "1.50.000", "12,34", "150 dollars", "1e6", "Rp", "9".repeat(41), "0x10", "1,5", "1,2345678jt", "1,0000005jt", "1,9999999jt", "12,3456rb", "1,0000000001M"])(
    "refuses %j rather than guessing",
    (typed) => {
      expect(parseRupiah(typed)).toBeNull();
    },
  );

  it("formats with Indonesian grouping and the Rp sign", () => {
    expect(formatRupiah(3_450_000)).toBe("Rp 3.450.000");
    expect(formatRupiah(10_000)).toBe("Rp 10.000");
  });
});
