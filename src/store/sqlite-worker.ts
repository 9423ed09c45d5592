import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * The SQLite connections live on a worker thread of their own, opened with better-sqlite3, whose calls are
 * synchronous: a whole group commit (its reads, every row, the COMMIT and its fsync) runs in one go on the
 * worker, with no trip through a thread pool per statement, and the main thread only posts the units and
 * hears back once. Synchronous calls are why it is a thread: on the main thread the fsync of every COMMIT
 * would stop the HTTP server.
 *
 * The worker holds the writer connection (WAL, synchronous=FULL: every COMMIT is fsynced) and a read-only
 * connection (in WAL mode it sees only committed data); a second worker checkpoints the WAL on a connection
 * of its own, so a checkpoint never stalls a commit. Statements are prepared once and kept. It understands a
 * few kinds of units, as plain data (no closures cross threads): statements, compare-and-set of a keyv row,
 * and the once-units of `applyOnce`. Its source is a string run with `eval: true` so that it works the same
 * under tsx, vitest and the compiled build; it loads the driver from the path the main thread resolved.
 *
 * The tables are keyv's own, in the layout keyv's SQLite adapter (@keyv/sqlite) creates, plus the store's three.
 */

export type Row = Record<string, unknown>;

export interface Statement {
  sql: string;
  params: unknown[];
}

export type WireUnit =
  /** Runs in order in one savepoint; answers each statement's rows. */
  | { kind: "statements"; statements: Statement[] }
  /** Writes `value` to keyv row `key` only if the row is still `expected` (null: absent). Answers true/false. */
  | { kind: "cas"; key: string; expected: string | null; value: string }
  /** `AtomicOps.incrementWithinNoted`. Answers a CountNoted, or null when the counter would pass `max`. */
  | {
      kind: "countNoted";
      key: string;
      by: number;
      max: number;
      expiresMs: number;
      nowMs: number;
      note: { key: string; value: string; replace: boolean };
    }
  /** See `OnceUnit`: the mark, the payment (compare-and-set) and queue rows, all or nothing. */
  | {
      kind: "once";
      markKey: string;
      markValue: string;
      markExpiresMs: number | null;
      nowMs: number;
      payment: { key: string; expected: string | null; next: string | null } | null;
      queueRows: Array<[string, string, number, string]>;
    };

export type WireOutcome =
  | { ok: true; value: unknown }
  | { ok: false; error: { message: string; code?: string | undefined } };

export type OnceStatus = { status: "duplicate" } | { status: "conflict" } | { status: "applied"; queuedCount: number };

export interface SqliteWorker {
  /**
   * Resolves once the COMMIT of the transaction holding these units returned (or rejects: nothing of it is
   * durable). Calls may overlap: the worker queues them and merges the ones that waited into one transaction.
   */
  commit(units: WireUnit[]): Promise<WireOutcome[]>;
  /** One statement on the reader connection. */
  read(sql: string, params: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export async function startSqliteWorker(options: {
  path: string;
  schema: string[];
  onError: (error: unknown) => void;
  /** Most units in one transaction (commit messages that queued up are merged up to this). */
  maxUnitsPerTransaction: number;
}): Promise<SqliteWorker> {
  const require = createRequire(import.meta.url);
  const driverPath = require.resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driverPath, path: options.path, schema: options.schema, maxUnits: options.maxUnitsPerTransaction },
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  let failed: Error | undefined;
  const failAll = (error: Error) => {
    failed = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on("message", (message: { id: number; ok: boolean; value?: unknown; error?: { message: string; code?: string } }) => {
    const p = pending.get(message.id);
    if (p === undefined) return;
    pending.delete(message.id);
    if (pending.size === 0) worker.unref();
    if (message.ok) p.resolve(message.value);
    else p.reject(toError(message.error));
  });
  worker.on("error", (error) => {
    options.onError(error);
    failAll(error instanceof Error ? error : new Error(String(error)));
  });
  worker.on("exit", (code) => failAll(new Error(`sqlite worker exited (${code})`)));

  const call = <T>(message: object): Promise<T> => {
    if (failed !== undefined) return Promise.reject(failed);
    const id = nextId++;
    // Like a socket with a request in flight, the worker keeps the process alive only while it has work.
    if (pending.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, ...message });
    });
  };

  await call({ type: "open" });
  const checkpointer = options.path === ":memory:" ? undefined : startCheckpointer(driverPath, options.path, options.onError);
  return {
    commit: (units) => call<WireOutcome[]>({ type: "commit", units }),
    read: (sql, params) => call<Row[]>({ type: "read", sql, params }),
    async close() {
      await checkpointer?.terminate();
      if (failed === undefined) await call({ type: "close" }).catch(() => undefined);
      await worker.terminate();
    },
  };
}

/**
 * Copies the WAL back into the database file (and fsyncs it) once a second, on a connection and a thread of
 * its own. PASSIVE: it never waits for the writer, and the writer never waits for it. Without it, SQLite
 * checkpoints inside whichever COMMIT crosses 1,000 pages, stalling every callback waiting on that commit.
 */
function startCheckpointer(driverPath: string, path: string, onError: (error: unknown) => void): Worker {
  const worker = new Worker(CHECKPOINTER_SOURCE, { eval: true, workerData: { driverPath, path } });
  worker.on("error", onError);
  // A checkpoint that fails for another reason than a busy writer (a full disk, an I/O error) is told, at
  // most once a minute: the WAL then grows until it is fixed, and the operator should hear of it.
  worker.on("message", (message: { checkpointFailed?: { message: string; code?: string } }) => {
    if (message.checkpointFailed !== undefined) onError(toError(message.checkpointFailed));
  });
  worker.unref();
  return worker;
}

function toError(wire: { message: string; code?: string | undefined } | undefined): Error {
  const error = new Error(wire?.message ?? "sqlite worker error") as Error & { code?: string };
  if (wire?.code !== undefined) error.code = wire.code;
  return error;
}

const CHECKPOINTER_SOURCE = String.raw`
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driverPath);
const db = new Database(workerData.path, { timeout: 5000 });
db.pragma("journal_size_limit=" + 16 * 1024 * 1024);
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
let toldAt = 0;
setInterval(() => {
  try {
    checkpoint.get();
  } catch (error) {
    // Busy or locked: the next second tries again. Anything else is told (at most once a minute).
    const code = error && error.code;
    if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || Date.now() - toldAt < 60000) return;
    toldAt = Date.now();
    parentPort.postMessage({ checkpointFailed: { message: "WAL checkpoint failed: " + String(error && error.message), code } });
  }
}, 1000);
`;

const WORKER_SOURCE = String.raw`
"use strict";
const WAL_KEPT_BYTES = 16 * 1024 * 1024;
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driverPath);
const STATEMENT_CACHE = 256;

// The store writes SQL with numbered parameters (?1, ?2: one value used twice); better-sqlite3 binds those by
// name, so they are renamed once, when the statement is prepared.
const NUMBERED = /\?(\d+)/g;

// Whole numbers bind as INTEGER: better-sqlite3 binds every JS number as REAL, which a TEXT column keeps as
// "5.0" (the sqlite3 driver this store used before wrote "5", and files written by it must read the same).
// Booleans bind as 1/0 (SQLite has none), undefined as NULL.
function bindable(value) {
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof value === "boolean") return value ? 1n : 0n;
  return value === undefined ? null : value;
}

function connect(path, readOnly) {
  const db = new Database(path, { readonly: readOnly, timeout: 5000 });
  const cache = new Map();
  const statement = (sql) => {
    let entry = cache.get(sql);
    if (entry === undefined) {
      const numbered = NUMBERED.test(sql);
      NUMBERED.lastIndex = 0;
      entry = { st: db.prepare(numbered ? sql.replace(NUMBERED, "@p$1") : sql), numbered };
      cache.set(sql, entry);
      if (cache.size > STATEMENT_CACHE) cache.delete(cache.keys().next().value);
    }
    return entry;
  };
  const args = (entry, params) => {
    const values = params.map(bindable);
    if (!entry.numbered) return values;
    const named = {};
    values.forEach((v, i) => (named["p" + (i + 1)] = v));
    return [named];
  };
  return {
    /** Rows for a statement that returns them, else [] (and the statement's effect). */
    all(sql, params) {
      const entry = statement(sql);
      return entry.st.reader ? entry.st.all(...args(entry, params)) : (entry.st.run(...args(entry, params)), []);
    },
    /** For writes: how many rows it changed. */
    run(sql, params) {
      const entry = statement(sql);
      return entry.st.run(...args(entry, params)).changes;
    },
    exec(sql) {
      db.exec(sql);
    },
    close() {
      cache.clear();
      db.close();
    },
  };
}

let writer, reader;

function open() {
  writer = connect(workerData.path, false);
  writer.all("PRAGMA journal_mode=WAL", []);
  writer.all("PRAGMA synchronous=FULL", []);
  for (const sql of workerData.schema) writer.exec(sql);
  if (workerData.path === ":memory:") {
    reader = writer;
    return;
  }
  // The checkpointer (sqlite-worker.ts) does this beside the writer instead: see startCheckpointer.
  writer.all("PRAGMA wal_autocheckpoint=0", []);
  // A burst (a day of callbacks redelivered at once) grows the WAL, and SQLite reuses it without ever making
  // it smaller: once checkpointed, the next write cuts it back to this.
  writer.all("PRAGMA journal_size_limit=" + WAL_KEPT_BYTES, []);
  reader = connect(workerData.path, true);
}

function wireError(error) {
  return { message: error && error.message ? String(error.message) : String(error), code: error && error.code ? String(error.code) : undefined };
}

/** One unit in a savepoint of its own: if it fails, only its own writes are undone. */
function inSavepoint(fn) {
  writer.exec("SAVEPOINT pallabot_unit");
  try {
    const value = fn();
    writer.exec("RELEASE pallabot_unit");
    return { ok: true, value };
  } catch (error) {
    // If this fails too, the transaction is gone and the whole batch fails.
    writer.exec("ROLLBACK TO pallabot_unit");
    writer.exec("RELEASE pallabot_unit");
    return { ok: false, error: wireError(error) };
  }
}

function runStatements(statements) {
  return statements.map((s) => writer.all(s.sql, s.params));
}

const KEYV_VALUE = "SELECT value FROM keyv WHERE key = ?";
const KEYV_PUT = "INSERT INTO keyv(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value";

function keyvValue(key) {
  const rows = writer.all(KEYV_VALUE, [key]);
  return rows.length === 0 ? null : rows[0].value;
}

function runCas(unit) {
  if (keyvValue(unit.key) !== unit.expected) return false;
  writer.all(KEYV_PUT, [unit.key, unit.value]);
  return true;
}

const MARK_LIVE = "SELECT 1 FROM pallabot_atomic WHERE key = ? AND (expires_ms IS NULL OR expires_ms > ?)";
const ATOMIC_LIVE_VALUE = "SELECT value FROM pallabot_atomic WHERE key = ? AND (expires_ms IS NULL OR expires_ms > ?)";
// Absent or expired (checked first): an expired mark is simply replaced.
const ATOMIC_PUT =
  "INSERT INTO pallabot_atomic(key, value, expires_ms) VALUES(?, ?, ?) " +
  "ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_ms = excluded.expires_ms";
// Pending or delivered rows (delivered ones stay, with done_until_ms, until the sweep) are not added again.
const QUEUE_ADD = "INSERT INTO pallabot_queue(queue, id, created_ms, body) VALUES(?, ?, ?, ?) ON CONFLICT(queue, id) DO NOTHING";

/**
 * A once-unit: nothing if its mark is live (a duplicate), nothing if its payment is no longer what the caller
 * read (a conflict: the caller decides again), else the mark, the payment and the queue rows. Inside the
 * transaction, so what it reads holds until COMMIT; units of one batch apply in order, each seeing the ones
 * before it.
 */
function runOnce(unit) {
  if (writer.all(MARK_LIVE, [unit.markKey, unit.nowMs]).length > 0) return { status: "duplicate" };
  if (unit.payment && keyvValue(unit.payment.key) !== unit.payment.expected) return { status: "conflict" };
  writer.all(ATOMIC_PUT, [unit.markKey, unit.markValue, unit.markExpiresMs]);
  if (unit.payment && unit.payment.next !== null) writer.all(KEYV_PUT, [unit.payment.key, unit.payment.next]);
  let queuedCount = 0;
  for (const row of unit.queueRows) queuedCount += writer.run(QUEUE_ADD, row);
  return { status: "applied", queuedCount };
}

const COUNTER_ADD = "UPDATE pallabot_atomic SET value = CAST(value AS INTEGER) + ? WHERE key = ?";

function liveAtomic(key, nowMs) {
  const rows = writer.all(ATOMIC_LIVE_VALUE, [key, nowMs]);
  return rows.length === 0 ? undefined : String(rows[0].value);
}

/** AtomicOps.incrementWithinNoted: the counter and its note, both or neither. */
function runCountNoted(unit) {
  const noted = liveAtomic(unit.note.key, unit.nowMs);
  const counter = liveAtomic(unit.key, unit.nowMs);
  const current = counter === undefined ? 0 : Number(counter);
  if (noted !== undefined && !unit.note.replace) return { value: current, countedBefore: noted };
  if (current + unit.by > unit.max) return null;
  // A counter absent or expired starts again from this amount, with a fresh window (as incrementWithin).
  if (counter === undefined) writer.all(ATOMIC_PUT, [unit.key, unit.by, unit.expiresMs]);
  else writer.all(COUNTER_ADD, [unit.by, unit.key]);
  writer.all(ATOMIC_PUT, [unit.note.key, unit.note.value, unit.expiresMs]);
  return noted === undefined ? { value: current + unit.by } : { value: current + unit.by, replaced: noted };
}

const RUN = { statements: (unit) => runStatements(unit.statements), cas: runCas, once: runOnce, countNoted: runCountNoted };

/** One transaction for all the units; each unit's outcome, or throws (and nothing of it is durable). */
function commit(units) {
  writer.exec("BEGIN IMMEDIATE");
  try {
    const outcomes = units.map((unit) => inSavepoint(() => RUN[unit.kind](unit)));
    writer.exec("COMMIT");
    return outcomes;
  } catch (error) {
    try {
      writer.exec("ROLLBACK");
    } catch {
      // Already rolled back by SQLite itself.
    }
    throw error;
  }
}

// Commits queue here, not on the main thread: each transaction takes every commit message that arrived while
// the last one ran (up to MAX_UNITS units). A commit blocks this thread, so between two of them the event
// loop turns once (setImmediate), which is when waiting messages are delivered. Each message hears back only
// after the COMMIT that holds its units; if that transaction fails, every message in it gets the error.
const MAX_UNITS = workerData.maxUnits;
let commitQueue = [];
let scheduled = false;
let whenCommitsDone = [];

function queueCommit(message) {
  commitQueue.push(message);
  if (!scheduled) {
    scheduled = true;
    setImmediate(commitQueued);
  }
}

function commitQueued() {
  const taken = [commitQueue.shift()];
  let count = taken[0].units.length;
  while (commitQueue.length > 0 && count + commitQueue[0].units.length <= MAX_UNITS) {
    const next = commitQueue.shift();
    taken.push(next);
    count += next.units.length;
  }
  try {
    const outcomes = commit(taken.flatMap((m) => m.units));
    let at = 0;
    for (const m of taken) {
      parentPort.postMessage({ id: m.id, ok: true, value: outcomes.slice(at, at + m.units.length) });
      at += m.units.length;
    }
  } catch (error) {
    for (const m of taken) parentPort.postMessage({ id: m.id, ok: false, error: wireError(error) });
  }
  if (commitQueue.length > 0) return setImmediate(commitQueued);
  scheduled = false;
  const waiters = whenCommitsDone;
  whenCommitsDone = [];
  for (const resolve of waiters) resolve();
}

const commitsDone = () => (scheduled ? new Promise((resolve) => whenCommitsDone.push(resolve)) : Promise.resolve());

parentPort.on("message", (message) => {
  if (message.type === "commit") return queueCommit(message);
  let work;
  try {
    if (message.type === "open") work = open();
    else if (message.type === "read") work = reader.all(message.sql, message.params);
    else if (message.type === "close") {
      work = commitsDone().then(() => {
        if (reader && reader !== writer) reader.close();
        if (writer) writer.close();
      });
    } else throw new Error("unknown message " + message.type);
  } catch (error) {
    work = Promise.reject(error);
  }
  Promise.resolve(work).then(
    (value) => parentPort.postMessage({ id: message.id, ok: true, value }),
    (error) => parentPort.postMessage({ id: message.id, ok: false, error: wireError(error) }),
  );
});
`;
