import { createRequire } from "node:module";

type LockFile = { pragma(sql: string): unknown; exec(sql: string): void; close(): void };
const openLockFile = createRequire(import.meta.url)("better-sqlite3") as new (path: string, options: { timeout: number }) => LockFile;

/** Thrown when another process holds the shop's file. */
export class SqliteFileInUseError extends Error {
  constructor(readonly lockPath: string, options: { cause: unknown }) {
    super(`another process holds ${lockPath}`, options);
    this.name = "SqliteFileInUseError";
  }
}

/**
 * One bot per SQLite file. Two bots on one file each stop the other's Telegram updates (409) and both answer
 * the gateway's callbacks; "one process owns the file" is what the store's in-process locks rely on. The mark
 * is SQLite's own file lock, held by an open exclusive transaction on a file beside the shop's: the operating
 * system lets go of it when the process ends, however it ends (SIGKILL included), so a restart never finds a
 * stale one. A second bot waits `waitMs` (a restart's old process may still be stopping), then is refused.
 */
export function holdSqliteFile(path: string, waitMs = 5_000): { release(): void } {
  const lockPath = `${path}.instance-lock`;
  const lock = new openLockFile(lockPath, { timeout: waitMs });
  try {
    lock.pragma("locking_mode = EXCLUSIVE");
    lock.exec("BEGIN EXCLUSIVE");
  } catch (error) {
    lock.close();
    if (/BUSY|LOCKED/.test(String((error as { code?: string }).code))) throw new SqliteFileInUseError(lockPath, { cause: error });
    throw error;
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      lock.close();
    },
  };
}
