import { describe, expect, it } from "vitest";
import {
  checkDescription,
  checkAccountNumber,
  checkAccountHolderName,
  checkCustomerName,
  checkEmail,
  checkVirtualAccountAmount,
  checkRetailAmount,
} from "../../src/domain/validation.js";

describe("the banks' rules, checked before anything is sent", () => {
  it("keeps VA amounts inside each bank's range", () => {
    expect(checkVirtualAccountAmount("BCA", 50_000_000)).toEqual({ ok: true, value: 50_000_000 });
    expect(checkVirtualAccountAmount("BCA", 50_000_001)).toMatchObject({ ok: false, reason: "amount_too_large" });
    expect(checkVirtualAccountAmount("BNI", 50_000_001)).toMatchObject({ ok: true });
    expect(checkVirtualAccountAmount("BNI", 9_999)).toMatchObject({ ok: false, reason: "amount_too_small", min: 10_000 });
    expect(checkRetailAmount("ALFAMART", 5_000_001)).toMatchObject({ ok: false, reason: "amount_too_large", max: 5_000_000 });
    expect(checkVirtualAccountAmount("BCA", 10_000.5)).toMatchObject({ ok: false, reason: "amount_not_integer" });
  });

  it("accepts ordinary customer names and tidies spaces", () => {
    expect(checkCustomerName("  Siti   Nurhaliza ")).toEqual({ ok: true, value: "Siti Nurhaliza" });
    expect(checkCustomerName("O'Brien-Putra, Jr.")).toMatchObject({ ok: true });
  });

  it("reads full-width letters as the plain ones a bank reads, for a customer and for a payee", () => {
    // Found by the review of what people type: they were shown to the payer and sent as the payee's name as typed.
    expect(checkCustomerName("\uFF33\uFF49\uFF54\uFF49 \uFF21\uFF4D\uFF49\uFF4E\uFF41\uFF48")).toEqual({ ok: true, value: "Siti Aminah" });
    expect(checkAccountHolderName("\uFF22\uFF35\uFF24\uFF29 Santoso")).toEqual({ ok: true, value: "BUDI Santoso" });
  });

  it("reads the curly apostrophes and dashes phone keyboards insert as the plain ' and - the gateway takes", () => {
    // Phone keyboards' smart punctuation turns ' into ’ (‘ after a space) and -- into a dash by itself.
    expect(checkCustomerName("Ma\u2019ruf Amin")).toEqual({ ok: true, value: "Ma'ruf Amin" });
    expect(checkCustomerName("Syafi\u2019i")).toEqual({ ok: true, value: "Syafi'i" });
    expect(checkCustomerName("Nur \u2018Aini")).toEqual({ ok: true, value: "Nur 'Aini" });
    expect(checkCustomerName("Ma\u02bcruf")).toEqual({ ok: true, value: "Ma'ruf" });
    for (const dash of ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"]) {
      expect(checkCustomerName(`Siti${dash}Aminah`), dash).toEqual({ ok: true, value: "Siti-Aminah" });
    }
    expect(checkCustomerName("Siti \u2013 Aminah")).toEqual({ ok: true, value: "Siti - Aminah" });
    // Still the same rules once plain: punctuation alone names nobody, an institution's name is refused.
    expect(checkCustomerName("\u2019\u2013")).toMatchObject({ ok: false, reason: "name_bad_characters" });
    expect(checkCustomerName("Budi\u2013BCA")).toMatchObject({ ok: false, reason: "name_institution", word: "bca" });
    // Quotation marks are not apostrophes: still refused, as the gateway would.
    expect(checkCustomerName("\u201cBudi\u201d")).toMatchObject({ ok: false, reason: "name_bad_characters" });
  });

  it("refuses names banks reject", () => {
    expect(checkCustomerName("   ")).toMatchObject({ ok: false, reason: "name_empty" });
    expect(checkCustomerName("Budi 123")).toMatchObject({ ok: false, reason: "name_bad_characters" });
    expect(checkCustomerName("Toko @Budi")).toMatchObject({ ok: false, reason: "name_bad_characters" });
    for (const punctuation of [".", "-", "'", "...", " , ", ".-'"]) {
      expect(checkCustomerName(punctuation), punctuation).toMatchObject({ ok: false, reason: "name_bad_characters" });
    }
    expect(checkCustomerName("O'Neil-Putri Jr.")).toEqual({ ok: true, value: "O'Neil-Putri Jr." });
    expect(checkCustomerName("A".repeat(65))).toMatchObject({ ok: false, reason: "name_too_long" });
    expect(checkCustomerName("Bank Budi")).toMatchObject({ ok: false, reason: "name_institution", word: "bank" });
    expect(checkCustomerName("Budi BCA")).toMatchObject({ ok: false, reason: "name_institution", word: "bca" });
  });

  it("checks account numbers per bank", () => {
    expect(checkAccountNumber("BCA", "123 456 7890")).toEqual({ ok: true, value: "1234567890" });
    expect(checkAccountNumber("BCA", "12345abc90")).toMatchObject({ ok: false, reason: "account_number_not_digits" });
    expect(checkAccountNumber("BRI", "1234567890")).toMatchObject({ ok: false, reason: "account_number_length" });
  });

  it("checks e-mail addresses", () => {
    expect(checkEmail("dono@gmail.com")).toMatchObject({ ok: true });
    expect(checkEmail("dono@gmail")).toMatchObject({ ok: false });
    expect(checkEmail("dono gmail.com")).toMatchObject({ ok: false });
    // A copied e-mail link is its address (found by the review of what people type).
    expect(checkEmail("mailto:siti@toko.co.id")).toEqual({ ok: true, value: "siti@toko.co.id" });
    expect(checkEmail("MAILTO:siti@toko.co.id")).toEqual({ ok: true, value: "siti@toko.co.id" });
  });
});

describe("a transfer's description", () => {
  it("is counted in characters as the owner counts them: 200 emoji fit, 256 letters do not, and the refusal's count is the owner's", () => {
    expect(checkDescription("🧾".repeat(200))).toMatchObject({ ok: true });
    expect(checkDescription("a".repeat(255))).toMatchObject({ ok: true });
    expect(checkDescription("a".repeat(256))).toMatchObject({ ok: false, reason: "description_invalid" });
    expect(checkDescription("🧾".repeat(256))).toMatchObject({ ok: false, reason: "description_invalid" });
  });
});
