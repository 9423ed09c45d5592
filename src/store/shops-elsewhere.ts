import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { PAYMENTS_NAMESPACE } from "./backend.js";
import type { Store } from "./types.js";

export interface ShopElsewhere {
  file: string;
  payments: number;
}

/**
 * Other shop files with payments in them, looked for when the store the bot opened has none: a STORE_URL
 * changed (to Redis, to another path), or an upgrade that moved sandbox mode into a file of its own, starts
 * the bot on an empty shop without a word, and its cashiers are refused and its paid callbacks reported as
 * unknown. Beside a SQLite store, in its folder; beside a Redis one, where the defaults are.
 */
export async function shopsElsewhere(
  store: Pick<Store, "payments">,
  storeUrl: string,
  /** The SQLite store URLs the bot gives a shop by default (config.ts): production's, and sandbox mode's own. */
  defaultUrls: readonly string[],
  cwd = process.cwd(),
): Promise<ShopElsewhere[]> {
  if (storeUrl === "sqlite://:memory:" || (await store.payments.listRecent({ limit: 1 })).length > 0) return [];
  const fileOf = (url: string) => resolve(cwd, url.slice("sqlite://".length));
  const inUse = storeUrl.startsWith("sqlite://") ? fileOf(storeUrl) : undefined;
  const found: ShopElsewhere[] = [];
  for (const byDefault of defaultUrls.map(fileOf)) {
    const file = inUse === undefined ? byDefault : join(dirname(inUse), basename(byDefault));
    if (file === inUse || !existsSync(file)) continue;
    const payments = countPayments(file);
    if (payments > 0) found.push({ file, payments });
  }
  return found;
}

type Database = { prepare(sql: string): { get(...params: unknown[]): unknown }; close(): void };
const openFile = createRequire(import.meta.url)("better-sqlite3") as new (path: string, options: { readonly: boolean; fileMustExist: boolean }) => Database;

/** Read-only and without the store's workers: another shop's file is only looked at, never opened as a store. */
function countPayments(file: string): number {
  let db: Database | undefined;
  try {
    db = new openFile(file, { readonly: true, fileMustExist: true });
    const row = db.prepare("SELECT count(*) AS n FROM keyv WHERE key LIKE ?").get(`${PAYMENTS_NAMESPACE}:%`) as { n?: number } | undefined;
    return row?.n ?? 0;
  } catch {
    // Not a shop's file (no keyv table), locked, unreadable: nothing to point at.
    return 0;
  } finally {
    db?.close();
  }
}
