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

/**
 * Palladium's expiration_date is "YYYY-MM-DD HH:mm:ss" with no zone; like the Indonesian gateways it
 * copies, it is Jakarta time (UTC+7, no daylight saving).
 */
export function parseGatewayDateTime(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h - 7, mi, s));
  // Date.UTC rolls an impossible date over ("02-30" becomes March 2nd): such a date is no expiry at all.
  return Number.isNaN(date.getTime()) || toGatewayDateTime(date).replace(" ", "T") !== text.replace(" ", "T") ? null : date;
}

/** The inverse of parseGatewayDateTime, used by the sandbox. */
export function toGatewayDateTime(date: Date): string {
  const j = new Date(date.getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${j.getUTCFullYear()}-${p(j.getUTCMonth() + 1)}-${p(j.getUTCDate())} ${p(j.getUTCHours())}:${p(j.getUTCMinutes())}:${p(j.getUTCSeconds())}`;
}
