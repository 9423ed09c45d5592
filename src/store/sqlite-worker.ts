import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * The SQLite connections live on a worker thread of their own. Why: node-sqlite3 is asynchronous, and each
 * statement costs two or three trips through the event loop (prepare, run, finalize). On the main thread,
 * under a flood of callbacks, every trip waits behind HTTP parsing, so a transaction of ten statements took
 * 5-10 ms of waiting although SQLite needed well under one. On the worker, whose event loop does nothing
 * else, a whole group commit costs the main thread one message each way.
 *
 * The worker holds the writer connection (WAL, synchronous=FULL: every COMMIT is fsynced) and a read-only
 * connection (in WAL mode it sees only committed data). It talks to node-sqlite3 (the driver @keyv/sqlite
 * uses, and the table layout @keyv/sqlite creates) directly, with prepared statements kept for reuse:
 * a statement then costs one trip to the thread pool, and a group commit of callbacks of any size two
 * (one read; one script of writes from BEGIN IMMEDIATE to COMMIT). It understands a few kinds of units,
 * as plain data (no closures cross threads): statements, compare-and-set of a keyv row, and the once-units
 * of `applyOnce`. Its source is a string run with `eval: true` so that it works the same under tsx, vitest
 * and the compiled build; it finds the driver through the path of @keyv/sqlite that the main thread resolved.
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
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      keyvSqlitePath: require.resolve("@keyv/sqlite"),
      path: options.path,
      schema: options.schema,
      maxUnits: options.maxUnitsPerTransaction,
    },
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
  return {
    commit: (units) => call<WireOutcome[]>({ type: "commit", units }),
    read: (sql, params) => call<Row[]>({ type: "read", sql, params }),
    async close() {
      if (failed === undefined) await call({ type: "close" }).catch(() => undefined);
      await worker.terminate();
    },
  };
}

function toError(wire: { message: string; code?: string | undefined } | undefined): Error {
  const error = new Error(wire?.message ?? "sqlite worker error") as Error & { code?: string };
  if (wire?.code !== undefined) error.code = wire.code;
  return error;
}

const WORKER_SOURCE = String.raw`
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { createRequire } = require("node:module");
// The driver @keyv/sqlite itself uses, resolved from there: statements are prepared once and reused, so each
// runs in one trip to the thread pool instead of three.
const sqlite3 = createRequire(workerData.keyvSqlitePath)("sqlite3");
const STATEMENT_CACHE = 256;

function connect(path, readOnly) {
  return new Promise((resolve, reject) => {
    const mode = readOnly ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
    const db = new sqlite3.Database(path, mode, (error) => (error ? reject(error) : resolve(db)));
  }).then((db) => {
    db.configure("busyTimeout", 5000);
    const cache = new Map();
    const statement = (sql) => {
      let st = cache.get(sql);
      if (st === undefined) {
        st = db.prepare(sql);
        cache.set(sql, st);
        if (cache.size > STATEMENT_CACHE) {
          const [oldest, old] = cache.entries().next().value;
          cache.delete(oldest);
          old.finalize();
        }
      }
      return st;
    };
    return {
      all(sql, params) {
        const st = statement(sql);
        return new Promise((resolve, reject) =>
          st.all(params, (error, rows) => {
            if (error) {
              // A statement that failed to prepare must not stay cached.
              if (cache.get(sql) === st) cache.delete(sql);
              reject(error);
            } else resolve(rows);
          }),
        );
      },
      exec(sql) {
        return new Promise((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
      },
      close() {
        for (const st of cache.values()) st.finalize();
        cache.clear();
        return new Promise((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
      },
    };
  });
}

const CHECKPOINT_EVERY_MS = 1000;
let writer, reader, checkpointer, checkpointTimer;

async function open() {
  writer = await connect(workerData.path, false);
  await writer.all("PRAGMA journal_mode=WAL", []);
  await writer.all("PRAGMA synchronous=FULL", []);
  for (const sql of workerData.schema) await writer.all(sql, []);
  await writer.all("CREATE TEMP TABLE IF NOT EXISTS pallabot_read_check(ok INTEGER NOT NULL CONSTRAINT " + READ_STILL_HOLDS + " CHECK (ok))", []);
  if (workerData.path === ":memory:") {
    reader = writer;
    return;
  }
  reader = await connect(workerData.path, true);
  // Checkpoints (copying the WAL back into the file, and fsyncing it) would otherwise run inside whichever
  // COMMIT crosses 1,000 pages, stalling every callback waiting on it. A passive checkpoint on a connection
  // of its own runs beside the writer instead: it never blocks a commit.
  await writer.all("PRAGMA wal_autocheckpoint=0", []);
  checkpointer = await connect(workerData.path, false);
  let checkpointing = false;
  checkpointTimer = setInterval(() => {
    if (checkpointing) return;
    checkpointing = true;
    checkpointer.all("PRAGMA wal_checkpoint(PASSIVE)", []).catch(() => undefined).finally(() => (checkpointing = false));
  }, CHECKPOINT_EVERY_MS);
}

function wireError(error) {
  return { message: error && error.message ? String(error.message) : String(error), code: error && error.code ? String(error.code) : undefined };
}

async function inSavepoint(fn) {
  await writer.all("SAVEPOINT pallabot_write", []);
  try {
    const value = await fn();
    await writer.all("RELEASE pallabot_write", []);
    return { ok: true, value };
  } catch (error) {
    // If this fails too, the transaction is gone and the whole batch fails.
    await writer.all("ROLLBACK TO pallabot_write", []);
    await writer.all("RELEASE pallabot_write", []);
    return { ok: false, error: wireError(error) };
  }
}

async function runStatements(statements) {
  const results = [];
  for (const s of statements) results.push(await writer.all(s.sql, s.params));
  return results;
}

async function runCas(unit) {
  const rows = await writer.all("SELECT value FROM keyv WHERE key = ?", [unit.key]);
  const current = rows.length === 0 ? null : rows[0].value;
  if (current !== unit.expected) return false;
  await writer.all("INSERT INTO keyv(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [unit.key, unit.value]);
  return true;
}

// JSON text as an SQL string literal. JSON.stringify escapes every control character (NUL included) and
// lone surrogates, so the only character that needs care inside the quotes is the quote itself.
const literal = (value) => "'" + JSON.stringify(value).replace(/'/g, "''") + "'";
// Keys and ids come from the gateway and may hold any character, NUL included, which SQLite's JSON functions
// do not carry through intact: they travel as hex and are turned back into the very same text in SQL.
const hex = (text) => Buffer.from(text, "utf8").toString("hex").toUpperCase();
const TEXT_OF_HEX = "CAST(unhex(value) AS TEXT)";
const textAt = (i) => "CAST(unhex(value->>" + i + ") AS TEXT)";

// All once-units of a batch in one read and one write, whatever their number. What the read finds holds until
// COMMIT: inside BEGIN IMMEDIATE nobody else writes, and when the read comes first (begin given: the script
// opens the transaction) the script checks, right after BEGIN, that no other connection committed since the
// read, and fails with read_still_holds if one did. Units apply in order, each seeing the ones before it. The
// writes go as one script (exec: one trip to the thread pool) with the rows inlined as JSON literals, ending
// with finish (COMMIT, or RELEASE of the savepoint); any error in it stops the script and the caller rolls back.
async function runOnces(units, finish, begin) {
  const nowMs = units[0].nowMs;
  const markKeys = [...new Set(units.map((u) => u.markKey))];
  const paymentKeys = [...new Set(units.filter((u) => u.payment).map((u) => u.payment.key))];
  const queueIds = [];
  for (const u of units) for (const row of u.queueRows) queueIds.push([hex(row[0]), hex(row[1])]);
  const found = await writer.all(
    "SELECT 'm' AS kind, hex(key) AS a, NULL AS b FROM pallabot_atomic WHERE key IN (SELECT " + TEXT_OF_HEX + " FROM json_each(?1)) AND (expires_ms IS NULL OR expires_ms > ?4) " +
      "UNION ALL SELECT 'p', hex(key), value FROM keyv WHERE key IN (SELECT " + TEXT_OF_HEX + " FROM json_each(?2)) " +
      "UNION ALL SELECT 'q', hex(queue), hex(id) FROM pallabot_queue WHERE (queue, id) IN (SELECT " + textAt(0) + ", " + textAt(1) + " FROM json_each(?3))" +
      // Read outside the transaction: what other connections had committed so far, checked again after BEGIN.
      (begin === undefined ? "" : " UNION ALL SELECT 'v', data_version, NULL FROM pragma_data_version()"),
    [JSON.stringify(markKeys.map(hex)), JSON.stringify(paymentKeys.map(hex)), JSON.stringify(queueIds), nowMs],
  );
  const marks = new Set();
  const payments = new Map(paymentKeys.map((k) => [hex(k), null]));
  const queued = new Set();
  let dataVersion;
  for (const r of found) {
    if (r.kind === "v") dataVersion = Number(r.a);
    else if (r.kind === "m") marks.add(r.a);
    else if (r.kind === "p") payments.set(r.a, r.b);
    else queued.add(r.a + ":" + r.b);
  }
  const outcomes = [];
  const markRows = [];
  const changed = new Set();
  const queueRows = [];
  units.forEach((unit) => {
    const mark = hex(unit.markKey);
    const payment = unit.payment ? hex(unit.payment.key) : undefined;
    if (marks.has(mark)) return outcomes.push({ ok: true, value: { status: "duplicate" } });
    if (payment !== undefined && payments.get(payment) !== unit.payment.expected) {
      return outcomes.push({ ok: true, value: { status: "conflict" } });
    }
    marks.add(mark);
    markRows.push([mark, unit.markValue, unit.markExpiresMs]);
    if (payment !== undefined && unit.payment.next !== null) {
      payments.set(payment, unit.payment.next);
      changed.add(payment);
    }
    // Pending or delivered rows (delivered ones stay, with done_until_ms, until the sweep) are not added again.
    let queuedCount = 0;
    for (const row of unit.queueRows) {
      const queue = hex(row[0]);
      const id = hex(row[1]);
      if (queued.has(queue + ":" + id)) continue;
      queued.add(queue + ":" + id);
      queueRows.push([queue, id, row[2], row[3]]);
      queuedCount++;
    }
    outcomes.push({ ok: true, value: { status: "applied", queuedCount } });
  });
  // After BEGIN IMMEDIATE nobody else can commit; if nobody did since the read either (data_version counts
  // commits by other connections only, not ours, the reader's or checkpoints), the read still holds.
  const script =
    begin === undefined
      ? []
      : [begin, "INSERT INTO temp.pallabot_read_check(ok) SELECT data_version = " + dataVersion + " FROM pragma_data_version()", "DELETE FROM temp.pallabot_read_check"];
  if (markRows.length > 0) {
    // Absent or expired (checked above): an expired mark is simply replaced.
    script.push(
      "INSERT INTO pallabot_atomic(key, value, expires_ms) SELECT " + textAt(0) + ", value->>1, value->>2 FROM json_each(" + literal(markRows) + ") WHERE true " +
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_ms = excluded.expires_ms",
    );
  }
  if (changed.size > 0) {
    script.push(
      "INSERT INTO keyv(key, value) SELECT " + textAt(0) + ", value->>1 FROM json_each(" + literal([...changed].map((key) => [key, payments.get(key)])) + ") WHERE true " +
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    );
  }
  if (queueRows.length > 0) {
    script.push(
      "INSERT INTO pallabot_queue(queue, id, created_ms, body) SELECT " + textAt(0) + ", " + textAt(1) + ", value->>2, value->>3 FROM json_each(" + literal(queueRows) + ") WHERE true " +
        "ON CONFLICT(queue, id) DO NOTHING",
    );
  }
  script.push(finish);
  await writer.exec(script.join(";\n"));
  return outcomes;
}

// Named so that a failed read check is told apart from any other error.
const READ_STILL_HOLDS = "read_still_holds";

async function commit(units) {
  if (units.every((unit) => unit.kind === "once")) {
    // Alone, the once-units need neither a savepoint nor a trip of its own for BEGIN: their read goes first,
    // and their script opens the transaction and ends with the COMMIT; if anything in it fails, everything
    // rolls back. At a steady trickle of callbacks each commits alone, and a trip saved is latency saved.
    try {
      return await runOnces(units, "COMMIT", "BEGIN IMMEDIATE");
    } catch (error) {
      await writer.all("ROLLBACK", []).catch(() => undefined);
      // Another connection (a second process on this file) committed between the read and BEGIN: what was
      // read may be stale, so the batch goes again the careful way, its read inside the transaction.
      if (!String(error && error.message).includes(READ_STILL_HOLDS)) throw error;
    }
  }
  const outcomes = new Array(units.length);
  const onces = [];
  units.forEach((unit, i) => {
    if (unit.kind === "once") onces.push(i);
  });
  await writer.all("BEGIN IMMEDIATE", []);
  let committed = false;
  try {
    for (let i = 0; i < units.length; i++) {
      const unit = units[i];
      if (unit.kind === "statements") outcomes[i] = await inSavepoint(() => runStatements(unit.statements));
      else if (unit.kind === "cas") outcomes[i] = await inSavepoint(() => runCas(unit));
    }
    if (onces.length === units.length) {
      const values = await runOnces(units, "COMMIT");
      committed = true;
      values.forEach((value, i) => (outcomes[i] = value));
    } else if (onces.length > 0) {
      await writer.all("SAVEPOINT pallabot_once", []);
      let settled;
      try {
        settled = { ok: true, value: await runOnces(onces.map((i) => units[i]), "RELEASE pallabot_once") };
      } catch (error) {
        await writer.all("ROLLBACK TO pallabot_once", []);
        await writer.all("RELEASE pallabot_once", []);
        settled = { ok: false, error: wireError(error) };
      }
      onces.forEach((unitIndex, k) => (outcomes[unitIndex] = settled.ok ? settled.value[k] : settled));
    }
    if (!committed) await writer.all("COMMIT", []);
  } catch (error) {
    await writer.all("ROLLBACK", []).catch(() => undefined);
    throw error;
  }
  return outcomes;
}

// Commits queue here, not on the main thread: the next transaction starts the moment the last one returned,
// with every commit message that arrived meanwhile merged into it (up to MAX_UNITS units), instead of waiting
// for the main thread to hear of the COMMIT and send the next batch. Each message still hears back only after
// the COMMIT that holds its units; if that transaction fails, every message in it gets the error.
const MAX_UNITS = workerData.maxUnits;
let commitQueue = [];
let committing = false;
let whenCommitsDone = [];

function queueCommit(message) {
  commitQueue.push(message);
  if (committing) return;
  committing = true;
  // One turn first, so that messages posted together share the transaction.
  setImmediate(commitQueued);
}

async function commitQueued() {
  while (commitQueue.length > 0) {
    const taken = [commitQueue.shift()];
    let count = taken[0].units.length;
    while (commitQueue.length > 0 && count + commitQueue[0].units.length <= MAX_UNITS) {
      const next = commitQueue.shift();
      taken.push(next);
      count += next.units.length;
    }
    try {
      const outcomes = await commit(taken.flatMap((m) => m.units));
      let at = 0;
      for (const m of taken) {
        parentPort.postMessage({ id: m.id, ok: true, value: outcomes.slice(at, at + m.units.length) });
        at += m.units.length;
      }
    } catch (error) {
      for (const m of taken) parentPort.postMessage({ id: m.id, ok: false, error: wireError(error) });
    }
  }
  committing = false;
  const waiters = whenCommitsDone;
  whenCommitsDone = [];
  for (const resolve of waiters) resolve();
}

const commitsDone = () => (committing ? new Promise((resolve) => whenCommitsDone.push(resolve)) : Promise.resolve());

parentPort.on("message", (message) => {
  if (message.type === "commit") return queueCommit(message);
  let work;
  if (message.type === "open") work = open();
  else if (message.type === "read") work = reader.all(message.sql, message.params);
  else if (message.type === "close") {
    work = (async () => {
      await commitsDone();
      if (checkpointTimer) clearInterval(checkpointTimer);
      if (checkpointer) await checkpointer.close();
      if (reader && reader !== writer) await reader.close();
      if (writer) await writer.close();
    })();
  } else work = Promise.reject(new Error("unknown message " + message.type));
  work.then(
    (value) => parentPort.postMessage({ id: message.id, ok: true, value }),
    (error) => parentPort.postMessage({ id: message.id, ok: false, error: wireError(error) }),
  );
});
`;
