import { describe, expect, it } from "vitest";
import { parseGatewayDateTime, toGatewayDateTime } from "../../src/domain/jakarta-time.js";

describe("the gateway's expiry times (Jakarta, no zone written)", () => {
  it("reads 'YYYY-MM-DD HH:mm:ss' as Jakarta time, and writes it back the same", () => {
    expect(parseGatewayDateTime("2026-11-25 17:00:00")?.toISOString()).toBe("2026-11-25T10:00:00.000Z");
    expect(parseGatewayDateTime("2026-11-25T17:00:00")?.toISOString()).toBe("2026-11-25T10:00:00.000Z");
    expect(parseGatewayDateTime("2026-01-01 03:30:15")?.toISOString()).toBe("2025-12-31T20:30:15.000Z");
    expect(parseGatewayDateTime("2028-02-29 12:00:00")?.toISOString()).toBe("2028-02-29T05:00:00.000Z");
    expect(toGatewayDateTime(new Date("2025-12-31T20:30:15.000Z"))).toBe("2026-01-01 03:30:15");
  });

  it("refuses a date that does not exist instead of rolling it over", () => {
    for (const text of ["2026-02-30 00:00:00", "2027-02-29 10:00:00", "2026-13-01 00:00:00", "2026-11-25 24:00:00", "2026-11-25 23:60:00", "2026-11-25 23:59:60", "2026-00-10 10:00:00"]) {
      expect(parseGatewayDateTime(text), text).toBeNull();
    }
    expect(parseGatewayDateTime("25-11-2026 17:00:00")).toBeNull();
    expect(parseGatewayDateTime("2026-11-25 17:00")).toBeNull();
  });
});
