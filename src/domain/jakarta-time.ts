/** Times are shown to merchants in Asia/Jakarta (WIB), whatever the server's zone. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(locale: string): Intl.DateTimeFormat {
  let f = formatters.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "id-ID", {
      timeZone: "Asia/Jakarta",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hour12: false,
    });
    formatters.set(locale, f);
  }
  return f;
}

/** "25 Nov 2026, 23.45 WIB" (id) / "25 Nov 2026, 23:45 WIB" (en). */
export function formatJakartaTime(date: Date, locale: string): string {
  return `${formatterFor(locale).format(date)} WIB`;
}

/** Palladium's documented form of a time, "YYYY-MM-DD HH:mm:ss" in Jakarta time: the sandbox writes its expiries so. */
export function toGatewayDateTime(date: Date): string {
  const j = new Date(date.getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${j.getUTCFullYear()}-${p(j.getUTCMonth() + 1)}-${p(j.getUTCDate())} ${p(j.getUTCHours())}:${p(j.getUTCMinutes())}:${p(j.getUTCSeconds())}`;
}

const EARLIEST_MS = Date.UTC(2000, 0, 1);
const LATEST_MS = Date.UTC(2100, 0, 1);
const plausible = (ms: number) => (ms >= EARLIEST_MS && ms < LATEST_MS ? new Date(ms).toISOString() : undefined);

/** Seconds or milliseconds since 1970, told apart by size (seconds reach 1e11 only in the year 5138). */
function readUnixTime(value: number): string | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  return plausible(value < 1e11 ? value * 1000 : value);
}

/**
 * A time a gateway sent, in any of the forms gateways write (see the callbacks' `shownTime`): ISO 8601 with
 * an offset or without one (Jakarta time), or Unix seconds or milliseconds, as a number or digits. ISO in
 * UTC, or undefined when it is none of these, impossible (30 February), or outside 2000-2099.
 */
export function readGatewayTime(value: unknown): string | undefined {
  if (typeof value === "number") return readUnixTime(value);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  if (/^\d{9,13}$/.test(trimmed)) return readUnixTime(Number(trimmed));
  const iso = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(trimmed);
  if (!iso) return undefined;
  const [, year = "", month = "", day = "", hour = "", minute = "", second = "00", fraction = "", zone] = iso;
  // Date.parse rolls 30 February over into March: a date that does not exist is not read as another one.
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  const offset = zone === undefined ? "+07:00" : /^z$/i.test(zone) ? "Z" : `${zone.slice(0, 3)}:${zone.slice(3).replace(":", "") || "00"}`;
  const ms = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${fraction.slice(0, 4)}${offset}`);
  return Number.isNaN(ms) ? undefined : plausible(ms);
}
