import { describe, expect, it } from "vitest";
import { readGatewayTime, toGatewayDateTime } from "../../src/domain/jakarta-time.js";

describe("the gateway's times (expiry documented as Jakarta time with no zone written)", () => {
  it("reads 'YYYY-MM-DD HH:mm:ss' as Jakarta time, and writes it back the same", () => {
    expect(readGatewayTime("2026-11-25 17:00:00")).toBe("2026-11-25T10:00:00.000Z");
    expect(readGatewayTime("2026-11-25T17:00:00")).toBe("2026-11-25T10:00:00.000Z");
    expect(readGatewayTime("2026-01-01 03:30:15")).toBe("2025-12-31T20:30:15.000Z");
    expect(readGatewayTime("2028-02-29 12:00:00")).toBe("2028-02-29T05:00:00.000Z");
    expect(toGatewayDateTime(new Date("2025-12-31T20:30:15.000Z"))).toBe("2026-01-01 03:30:15");
  });

  it("reads the other forms gateways write: an offset, UTC, Unix seconds or milliseconds", () => {
    expect(readGatewayTime("2052-12-22T17:00:00.000Z")).toBe("2052-12-22T17:00:00.000Z");
    expect(readGatewayTime("2052-12-23 00:00:00+07:00")).toBe("2052-12-22T17:00:00.000Z");
    expect(readGatewayTime("2052-12-23T00:00:00+0700")).toBe("2052-12-22T17:00:00.000Z");
    expect(readGatewayTime("2052-12-23T00:00:00+07")).toBe("2052-12-22T17:00:00.000Z");
    expect(readGatewayTime(1_795_662_000)).toBe("2026-11-26T03:00:00.000Z");
    expect(readGatewayTime("1795662000000")).toBe("2026-11-26T03:00:00.000Z");
  });

  it("reads nothing from a date that does not exist, a placeholder, or another shape, instead of rolling it over", () => {
    for (const text of ["2026-02-30 00:00:00", "2027-02-29 10:00:00", "2026-13-01 00:00:00", "2026-11-25 24:00:00", "2026-11-25 23:60:00", "2026-11-25 23:59:60", "2026-00-10 10:00:00"]) {
      expect(readGatewayTime(text), text).toBeUndefined();
    }
    for (const other of ["25-11-2026 17:00:00", "2026-11-25", "0000-00-00 00:00:00", "0001-01-01T00:00:00Z", "", null, {}, -1, Number.NaN]) {
      expect(readGatewayTime(other), String(other)).toBeUndefined();
    }
  });
});
