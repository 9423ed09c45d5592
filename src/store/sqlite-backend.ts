import { EventEmitter } from "node:events";
import { existsSync, mkdirSync, realpathSync, statSync } from "node:fs";
import { StartError } from "../start-error.js";
import { basename, dirname, join, resolve } from "node:path";
import Keyv, { type KeyvStoreAdapter, type StoredData } from "keyv";
import { assertNamespaceName, createKeyedMutex, codecCache, decodeCallbackPayment, patchPayment, PAYMENTS_NAMESPACE, type Backend } from "./backend.js";
import { keyvRecordSerializer } from "./record-serializer.js";
import { holdSqliteFile, SqliteFileInUseError } from "./sqlite-instance-lock.js";
import { startSqliteWorker, type OnceStatus, type Row, type Statement, type WireOutcome, type WireUnit } from "./sqlite-worker.js";
import type { AtomicOps, CountNoted, OnceResult, OnceUnit, QueueEntry, StoreLogger, WorkQueues } from "./types.js";

/**
 * SQLite backend: one file owned by this process, reached through two connections on a worker thread
 * (see sqlite-worker.ts for why a thread and why better-sqlite3): a writer and a reader.
 *
 * Every write goes through a group commit: writes that arrive in the same tick, or while a COMMIT is in
 * flight, are applied together inside one `BEGIN IMMEDIATE ... COMMIT`, each in a savepoint of its own so
 * one failing write does not undo the others, and every caller's promise resolves only after the COMMIT
 * that holds its write has returned. Reads go to the reader connection, which in WAL mode sees only
 * committed data: nobody reads a write that a crash could still take back (e.g. a dedupe mark whose COMMIT
 * has not returned yet). A read waits at most for the commit the worker is running (a few milliseconds).
 *
 * Durability: WAL with synchronous=FULL. In WAL mode FULL fsyncs the log at every commit, so a write is on
 * disk when its promise resolves, surviving power loss and not only a killed process (NORMAL would only
 * survive the latter, and for a paid callback we have already answered 2xx that is exactly what must not
 * happen). One fsync per commit measured ~2,000 commits/s here; the group commit makes that the number of
 * transactions per second, not of writes.
 *
 * Read-modify-writes (payment updates, `applyOnce`'s payment) are compare-and-set: read, decide, and write
 * only if the row is unchanged at COMMIT time, else read again. Keyv namespaces live in keyv's own table;
 * the atomic primitives, ordered indexes and work queues in three small tables of the same file.
 */

const SWEEP_EVERY_MS = 60 * 60 * 1000;
/**
 * Upper bound of units per transaction, so one commit's latency stays bounded under a flood: a commit holds
 * the SQLite worker, and every read behind it, for its whole length (~0.1 ms per callback). 6,000 callbacks
 * at once: 8.5-9.2k/s with 500, reads waiting at most 54-100 ms; 7.5-7.9k/s with 2,000, reads 158-180 ms.
 */
const MAX_BATCH = 500;
/** Payments remembered as last written (see `recentPayments`). */
const RECENT_PAYMENTS = 10_000;
/** Compare-and-set retries before giving up on a row that keeps changing under us. */
const CAS_ATTEMPTS = 50;

const SCHEMA = [
  // keyv's own table, in the layout keyv's SQLite adapter (@keyv/sqlite) creates (table "keyv", keySize 255).
  `CREATE TABLE IF NOT EXISTS keyv(key VARCHAR(255) PRIMARY KEY, value TEXT )`,
  `CREATE TABLE IF NOT EXISTS pallabot_atomic(key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_ms INTEGER)`,
  `CREATE TABLE IF NOT EXISTS pallabot_index(name TEXT NOT NULL, member TEXT NOT NULL, score REAL NOT NULL,
     PRIMARY KEY(name, member))`,
  `CREATE INDEX IF NOT EXISTS pallabot_index_by_score ON pallabot_index(name, score)`,
  `CREATE TABLE IF NOT EXISTS pallabot_queue(
     queue TEXT NOT NULL, id TEXT NOT NULL, created_ms INTEGER NOT NULL, body TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0, not_before_ms INTEGER, last_error TEXT,
     lease_owner TEXT, lease_until_ms INTEGER,
     done_until_ms INTEGER,
     PRIMARY KEY(queue, id))`,
  // Only pending rows are indexed by age, so pending() and stats() never walk the delivered history.
  `CREATE INDEX IF NOT EXISTS pallabot_queue_pending ON pallabot_queue(queue, created_ms) WHERE done_until_ms IS NULL`,
];

const LIVE = "(expires_ms IS NULL OR expires_ms > ?)";
/**
 * Who may touch an undelivered queue item (claim or release it): nobody holds it, the caller (?3) does,
 * or the holder's lease ran out by now (?4). The same rule as the Redis backend's LEASE_CHECK (for claims).
 */
const FREE_TO = "done_until_ms IS NULL AND (lease_owner IS NULL OR lease_owner = ?3 OR lease_until_ms <= ?4)";
/** Who may release an undelivered queue item: its lease's holder (?3) only, as the Redis backend's QUEUE_RELEASE. */
const HELD_BY = "done_until_ms IS NULL AND lease_owner = ?3";

/**
 * `mkdirSync(dir, { recursive: true })`, one folder at a time: Node's own recursive form never returns for a
 * folder under /proc (seen on Node 20), and the start hung without a word instead of refusing STORE_URL.
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let at = dir; !existsSync(at) && dirname(at) !== at; at = dirname(at)) missing.unshift(at);
  // A file where the folder should be: mkdirSync's own error (EEXIST) names it, as the recursive form did.
  if (missing.length === 0 && !statSync(dir).isDirectory()) mkdirSync(dir);
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      // Another process (a second instance starting) made it in between.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

export async function createSqliteBackend(options: {
  url: string;
  now: () => Date;
  logger?: StoreLogger | undefined;
}): Promise<Backend> {
  const file = options.url.replace(/^sqlite:\/\//, "");
  if (file === "") throw new Error("STORE_URL sqlite:// needs a file path, e.g. sqlite://./data/pallabot.sqlite");
  let path = file === ":memory:" ? file : resolve(file);
  let worker: Awaited<ReturnType<typeof startSqliteWorker>>;
  let instance: { release(): void } | undefined;
  try {
    if (path !== ":memory:") {
      makeFolders(dirname(path));
      path = fileItself(path);
      instance = holdSqliteFile(path);
    }
    worker = await startSqliteWorker({
      path,
      schema: SCHEMA,
      onError: (error) => options.logger?.error({ err: error }, "sqlite store worker failed"),
      maxUnitsPerTransaction: MAX_BATCH,
    });
  } catch (error) {
    instance?.release();
    if (error instanceof SqliteFileInUseError) {
      throw new StartError(
        "store_unreachable",
        "STORE_URL",
        `STORE_URL: the SQLite file ${path} is in use by another pallabot; stop that one first, or give this one a STORE_URL of its own (two bots on one file take each other's Telegram updates)`,
        { cause: error },
      );
    }
    // A folder the bot's user may not write (a Docker volume owned by root, say): the setting and the file,
    // in one line, instead of SQLite's "unable to open database file" and a stack.
    const reason = sqliteReason(error);
    throw new StartError("store_unreachable", "STORE_URL", `STORE_URL: cannot open the SQLite file ${path} (${reason}); check that the folder exists or can be made, and that this user may write it`, { cause: error });
  }
  const nowMs = () => options.now().getTime();
  const fileWatch = watchTheFile(path, options.logger);
  const read = (sql: string, ...params: unknown[]) => fileWatch.guard(() => worker.read(sql, params));
  const writer = createGroupCommit({ commit: (units) => fileWatch.guard(() => worker.commit(units)) }, options.logger);
  const statements = (list: Statement[]) => writer.submit({ kind: "statements", statements: list }) as Promise<Row[][]>;
  const writeRows = async (sql: string, ...params: unknown[]) => (await statements([{ sql, params }]))[0] ?? [];

  const namespaces = new Map<string, Keyv>();
  const codecOf = codecCache(namespace);
  const rawKey = (name: string, key: string) => `${name}:${key}`;
  // The payments this process wrote last, as stored: the bot saves a payment, and its paid callback then
  // needs no read before its unit. Only a guess to start from: the unit's compare-and-set checks it at COMMIT
  // and a stale one costs a read and a retry. (This process owns the file, and every write goes through it.)
  const recentPayments = new Map<string, string>();
  const rememberPayment = (key: string, raw: string) => {
    recentPayments.delete(key);
    recentPayments.set(key, raw);
    if (recentPayments.size > RECENT_PAYMENTS) recentPayments.delete(recentPayments.keys().next().value as string);
  };
  const readRaw = async (key: string) => {
    const rows = await read(`SELECT value FROM keyv WHERE key = ?`, key);
    return rows[0] === undefined ? null : String(rows[0].value);
  };

  // Callbacks for one payment (a multi-use VA paid many times at once) take turns instead of failing each
  // other's compare-and-set; one process owns the file, so an in-process lock is enough.
  const paymentTurns = createKeyedMutex();
  const applyOnce = <T>(unit: OnceUnit<T>): Promise<OnceResult<T>> =>
    unit.externalId === undefined ? applyOnceNow(unit) : paymentTurns(unit.externalId, () => applyOnceNow(unit));

  async function applyOnceNow<T>(unit: OnceUnit<T>): Promise<OnceResult<T>> {
    const codec = codecOf(PAYMENTS_NAMESPACE);
    const paymentKey = unit.externalId === undefined ? undefined : rawKey(PAYMENTS_NAMESPACE, unit.externalId);
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const remembered = paymentKey === undefined ? undefined : recentPayments.get(paymentKey);
      const raw = paymentKey === undefined ? null : (remembered ?? (await readRaw(paymentKey)));
      const now = nowMs();
      const current = await decodeCallbackPayment(codec, raw, now, unit.externalId, options.logger);
      const plan = unit.plan(current);
      const next =
        plan.paymentPatch !== undefined && current !== undefined ? await codec.encode(patchPayment(current, plan.paymentPatch, new Date(now))) : null;
      const status = (await writer.submit({
        kind: "once",
        markKey: unit.key,
        markValue: plan.value,
        markExpiresMs: unit.ttlMs === undefined ? null : now + unit.ttlMs,
        nowMs: now,
        payment: paymentKey === undefined ? null : { key: paymentKey, expected: raw, next },
        queueRows: (plan.queued ?? []).flatMap((q) => q.entries.map((e) => [q.queue, e.id, e.createdAtMs, e.body] as [string, string, number, string])),
      })) as OnceStatus;
      if (status.status === "duplicate") return { first: false };
      if (status.status === "applied") {
        if (paymentKey !== undefined && (next ?? raw) !== null) rememberPayment(paymentKey, (next ?? raw) as string);
        return { first: true, result: plan.result, queuedCount: status.queuedCount };
      }
      // conflict: the payment changed since we read it; decide again from what it is now.
      if (paymentKey !== undefined) recentPayments.delete(paymentKey);
    }
    throw new Error(`payment ${unit.externalId ?? ""} kept changing; gave up after ${CAS_ATTEMPTS} attempts`);
  }

  async function updateRecord<V>(name: string, key: string, change: (current: V | undefined) => V | undefined) {
    const codec = codecOf(name);
    const k = rawKey(name, key);
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const raw = await readRaw(k);
      const previous = await codec.decode<V>(raw, nowMs());
      const next = change(previous);
      if (next === undefined) return { previous, next };
      const value = await codec.encode(next);
      if ((await writer.submit({ kind: "cas", key: k, expected: raw, value })) === true) {
        if (name === PAYMENTS_NAMESPACE) rememberPayment(k, value);
        return { previous, next };
      }
    }
    throw new Error(`record ${name}/${key} kept changing; gave up after ${CAS_ATTEMPTS} attempts`);
  }

  const atomic: AtomicOps = {
    async setIfAbsent(key, value, ttlMs) {
      const now = nowMs();
      const rows = await writeRows(
        `INSERT INTO pallabot_atomic(key, value, expires_ms) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_ms = excluded.expires_ms
           WHERE pallabot_atomic.expires_ms IS NOT NULL AND pallabot_atomic.expires_ms <= ?
         RETURNING key`,
        key,
        value,
        ttlMs === undefined ? null : now + ttlMs,
        now,
      );
      return rows.length === 1;
    },
    async get(key) {
      const rows = await read(`SELECT value FROM pallabot_atomic WHERE key = ? AND ${LIVE}`, key, nowMs());
      return rows[0] === undefined ? undefined : String(rows[0].value);
    },
    async delete(key) {
      await writeRows(`DELETE FROM pallabot_atomic WHERE key = ?`, key);
    },
    async incrementWithin(key, by, max, ttlMs) {
      if (!Number.isSafeInteger(by) || !Number.isSafeInteger(max)) throw new Error("incrementWithin takes integers");
      if (by > max) return null;
      const now = nowMs();
      // A stale (expired) counter restarts from `by`, with a fresh window.
      const rows = await writeRows(
        `INSERT INTO pallabot_atomic(key, value, expires_ms) VALUES(?3, ?2, ?5)
         ON CONFLICT(key) DO UPDATE SET
           value = CASE WHEN pallabot_atomic.expires_ms IS NOT NULL AND pallabot_atomic.expires_ms <= ?1
                        THEN excluded.value ELSE CAST(pallabot_atomic.value AS INTEGER) + ?2 END,
           expires_ms = CASE WHEN pallabot_atomic.expires_ms IS NOT NULL AND pallabot_atomic.expires_ms <= ?1
                        THEN excluded.expires_ms ELSE pallabot_atomic.expires_ms END
           WHERE (pallabot_atomic.expires_ms IS NOT NULL AND pallabot_atomic.expires_ms <= ?1)
              OR CAST(pallabot_atomic.value AS INTEGER) + ?2 <= ?4
         RETURNING value`,
        now,
        by,
        key,
        max,
        ttlMs === undefined ? null : now + ttlMs,
      );
      return rows[0] === undefined ? null : Number(rows[0].value);
    },
    async take(key) {
      const rows = await writeRows(`DELETE FROM pallabot_atomic WHERE key = ? RETURNING value, expires_ms`, key);
      const row = rows[0];
      if (row === undefined) return undefined;
      if (row.expires_ms !== null && Number(row.expires_ms) <= nowMs()) return undefined;
      return String(row.value);
    },
    async incrementWithinNoted(key, by, max, ttlMs, note) {
      if (!Number.isSafeInteger(by) || !Number.isSafeInteger(max)) throw new Error("incrementWithinNoted takes integers");
      const now = nowMs();
      return (await writer.submit({ kind: "countNoted", key, by, max, expiresMs: now + ttlMs, nowMs: now, note })) as CountNoted | null;
    },
  };

  const queues: WorkQueues = {
    async add(queue, entries) {
      if (entries.length === 0) return 0;
      // A delivered row stays (with done_until_ms) until the sweep, so re-adding it is a no-op too. Rows
      // travel as one JSON parameter; ids as hex, since SQLite's JSON functions would not keep a NUL in them.
      const rows = await writeRows(
        `INSERT INTO pallabot_queue(queue, id, created_ms, body)
         SELECT ?1, CAST(unhex(value->>0) AS TEXT), value->>1, value->>2 FROM json_each(?2) WHERE true
         ON CONFLICT(queue, id) DO NOTHING RETURNING id`,
        queue,
        JSON.stringify(entries.map((e) => [Buffer.from(e.id, "utf8").toString("hex"), e.createdAtMs, e.body])),
      );
      return rows.length;
    },
    async pending(queue, { limit, readyAtMs, skip }) {
      const ready = readyAtMs === undefined ? null : readyAtMs;
      const rows = await read(
        `SELECT id, created_ms, body, attempts, not_before_ms, last_error, lease_owner, lease_until_ms
         FROM pallabot_queue
         WHERE queue = ?1 AND done_until_ms IS NULL
           AND (?2 IS NULL OR ((not_before_ms IS NULL OR not_before_ms <= ?2)
                           AND (lease_until_ms IS NULL OR lease_until_ms <= ?2)))
         ORDER BY created_ms, rowid LIMIT ?3 OFFSET ?4`,
        queue,
        ready,
        limit,
        skip ?? 0,
      );
      return rows.map(toQueueEntry);
    },
    async claim(queue, id, owner, ttlMs) {
      const now = nowMs();
      const rows = await writeRows(
        `UPDATE pallabot_queue SET lease_owner = ?3, lease_until_ms = ?4 + ?5
         WHERE queue = ?1 AND id = ?2 AND ${FREE_TO} AND (not_before_ms IS NULL OR not_before_ms <= ?4)
         RETURNING id`,
        queue,
        id,
        owner,
        now,
        ttlMs,
      );
      return rows.length === 1;
    },
    async release(queue, id, owner, retry) {
      const rows = await writeRows(
        `UPDATE pallabot_queue SET attempts = attempts + 1, not_before_ms = ?5, last_error = COALESCE(?6, last_error),
           lease_owner = NULL, lease_until_ms = NULL
         WHERE queue = ?1 AND id = ?2 AND ${HELD_BY}
         RETURNING id`,
        queue,
        id,
        owner,
        nowMs(),
        retry.notBeforeMs ?? null,
        retry.error ?? null,
      );
      return rows.length === 1;
    },
    async complete(queue, id, rememberMs) {
      const rows = await writeRows(
        `UPDATE pallabot_queue SET done_until_ms = ?3, body = '', last_error = NULL, lease_owner = NULL, lease_until_ms = NULL
         WHERE queue = ?1 AND id = ?2 AND done_until_ms IS NULL RETURNING id`,
        queue,
        id,
        nowMs() + rememberMs,
      );
      return rows.length === 1;
    },
    async stats(queue) {
      const rows = await read(
        `SELECT COUNT(*) AS depth, MIN(created_ms) AS oldest FROM pallabot_queue WHERE queue = ? AND done_until_ms IS NULL`,
        queue,
      );
      const row = rows[0];
      return {
        depth: Number(row?.depth ?? 0),
        oldestCreatedAtMs: row?.oldest === null || row?.oldest === undefined ? undefined : Number(row.oldest),
      };
    },
  };

  function namespace(name: string): Keyv {
    assertNamespaceName(name);
    let keyv = namespaces.get(name);
    if (keyv === undefined) {
      const written =
        name === PAYMENTS_NAMESPACE
          ? { set: rememberPayment, forget: (key?: string) => (key === undefined ? recentPayments.clear() : recentPayments.delete(key)) }
          : undefined;
      keyv = new Keyv(namespacedAdapter(read, writeRows, name, written), { namespace: name, throwOnErrors: true, ...keyvRecordSerializer });
      namespaces.set(name, keyv);
    }
    return keyv;
  }

  const sweep = () => {
    const now = nowMs();
    return statements([
      { sql: `DELETE FROM pallabot_atomic WHERE expires_ms IS NOT NULL AND expires_ms <= ?`, params: [now] },
      { sql: `DELETE FROM pallabot_queue WHERE done_until_ms IS NOT NULL AND done_until_ms <= ?`, params: [now] },
      // keyv keeps expiries inside the JSON value and only drops a stale key when it is read again.
      {
        sql: `DELETE FROM keyv WHERE json_valid(value) AND json_type(value, '$.expires') IN ('integer', 'real')
                AND json_extract(value, '$.expires') <= ?`,
        params: [now],
      },
    ]);
  };
  try {
    // The first write: a file this user may read but not write (a backup restored as root, say) fails here.
    await sweep();
    // One process owns the file (the instance lock), so a lease found now is one a process took and never gave
    // back: it was killed or crashed. Waited out, it held the paid notices that process had claimed (and a
    // transfer's timer) for up to a lease, a minute, after the restart.
    await writeRows(`UPDATE pallabot_queue SET lease_owner = NULL, lease_until_ms = NULL WHERE lease_owner IS NOT NULL AND done_until_ms IS NULL`);
  } catch (error) {
    await worker.close().catch(() => undefined);
    instance?.release();
    const reason = sqliteReason(error);
    // Locked: another process holds the file (an old container still running on the same volume, say).
    const advice = /BUSY|LOCKED/.test(reason) ? "another process has it open; stop that one first" : "check that this user may write it, and its folder";
    throw new StartError("store_unreachable", "STORE_URL", `STORE_URL: cannot write the SQLite file ${path} (${reason}); ${advice}`, { cause: error });
  }
  const sweeper = setInterval(() => {
    sweep().catch((error: unknown) => options.logger?.warn({ err: error }, "sqlite store sweep failed"));
  }, SWEEP_EVERY_MS);
  sweeper.unref();

  let closed = false;
  return {
    backend: "sqlite",
    atomic,
    queues,
    withLock: createKeyedMutex(),
    now: options.now,
    applyOnce,
    updateRecord,
    index: {
      async add(name, member, score, options = {}) {
        await writeRows(
          `INSERT INTO pallabot_index(name, member, score) VALUES(?, ?, ?)
           ON CONFLICT(name, member) DO UPDATE SET score = ${options.onlyHigher === true ? "MAX(score, excluded.score)" : "excluded.score"}`,
          name,
          member,
          score,
        );
      },
      async remove(name, member) {
        await writeRows(`DELETE FROM pallabot_index WHERE name = ? AND member = ?`, name, member);
      },
      async range(name, { limit, newestFirst }) {
        const order = newestFirst ? "DESC" : "ASC";
        const rows = await read(
          `SELECT member FROM pallabot_index WHERE name = ? ORDER BY score ${order}, member ${order} LIMIT ?`,
          name,
          limit,
        );
        return rows.map((r) => String(r.member));
      },
    },
    namespace,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      fileWatch.stop();
      // Writes already handed to the writer still commit (their callers are waiting on them).
      await writer.idle();
      await worker.close();
      instance?.release();
    },
  };
}

/**
 * The file a path names, through any symlink (of the file or of a folder above it): the instance lock sits
 * beside it, so two bots given one file under two names still find each other's lock, and the second is
 * refused (each would clear the other's leases at open, and both would tell the shop).
 */
function fileItself(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return join(realpathSync(dirname(path)), basename(path)); // not made yet
  }
}

/** What SQLite said, for a start error: its code ("SQLITE_READONLY") when it gave one, else its message. */
function sqliteReason(error: unknown): string {
  return (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));
}

/** How often the shop's file is checked to be the one the store opened. */
const FILE_CHECK_EVERY_MS = 1_000;

/**
 * The file deleted or replaced under the running bot (a backup put back, a volume swapped): SQLite goes on
 * writing to the file it opened, which nobody will ever read again, so a paid callback would be answered
 * 200 and lost at the next start. Once the path no longer names the opened file, every read and write is
 * refused, with a line an operator can act on: callbacks get 503 (Palladium retries), /healthz says so,
 * and people are told to try again, until the bot is restarted on the file now there.
 */
function watchTheFile(path: string, logger: StoreLogger | undefined) {
  // "unknown": the path could not be looked at this time (EACCES, a stale NFS handle): no verdict, and no
  // throw either, which in a timer would end the process.
  const identity = (): string | undefined => {
    try {
      const stats = statSync(path, { throwIfNoEntry: false });
      return stats === undefined ? undefined : `${stats.dev}:${stats.ino}`;
    } catch {
      return "unknown";
    }
  };
  const opened = path === ":memory:" ? undefined : identity();
  let lost: Error | undefined;
  const check = () => {
    if (opened === undefined || opened === "unknown" || lost !== undefined) return;
    const now = identity();
    if (now === opened || now === "unknown") return;
    lost = new Error(`STORE_URL: the SQLite file ${path} was deleted or replaced while the bot ran; restart the bot (put a backup back only while it is stopped)`);
    logger?.error({ err: lost }, "the store's file is gone from under it; refusing every read and write until restarted");
  };
  const timer = setInterval(check, FILE_CHECK_EVERY_MS);
  timer.unref();
  return {
    guard<T>(call: () => Promise<T>): Promise<T> {
      return lost === undefined ? call() : Promise.reject(lost);
    },
    stop: () => clearInterval(timer),
  };
}

interface Waiting {
  unit: WireUnit;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit, main-thread side. Writes that arrive in the same turn of the event loop go to the worker
 * together (setImmediate); they do not wait for a COMMIT in flight: the worker queues them and merges all
 * that waited into its next transaction (see sqlite-worker.ts). A caller hears back only after the COMMIT
 * holding its write returned; if that transaction as a whole fails, every caller in it gets the error
 * (nothing of it is durable, so each may retry).
 */
function createGroupCommit(worker: { commit(units: WireUnit[]): Promise<WireOutcome[]> }, logger: StoreLogger | undefined) {
  let waiting: Waiting[] = [];
  let scheduled = false;
  let inFlight = 0;
  let idleWaiters: Array<() => void> = [];

  async function send(batch: Waiting[]) {
    inFlight++;
    try {
      const outcomes = await worker.commit(batch.map((w) => w.unit));
      batch.forEach((w, i) => {
        const outcome = outcomes[i];
        if (outcome?.ok === true) w.resolve(outcome.value);
        else w.reject(Object.assign(new Error(outcome?.error.message ?? "write lost"), outcome?.error.code ? { code: outcome.error.code } : {}));
      });
    } catch (error) {
      logger?.error({ err: error, writes: batch.length }, "sqlite store: transaction failed, its writes are refused");
      for (const w of batch) w.reject(error);
    } finally {
      inFlight--;
      if (inFlight === 0 && !scheduled) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  function flush() {
    scheduled = false;
    while (waiting.length > 0) void send(waiting.splice(0, MAX_BATCH));
  }

  return {
    submit(unit: WireUnit): Promise<unknown> {
      return new Promise((resolve, reject) => {
        waiting.push({ unit, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    idle(): Promise<void> {
      if (inFlight === 0 && !scheduled) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}

function toQueueEntry(row: Row): QueueEntry {
  const optionalNumber = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
  const optionalString = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
  return {
    id: String(row.id),
    createdAtMs: Number(row.created_ms),
    body: String(row.body),
    attempts: Number(row.attempts),
    notBeforeMs: optionalNumber(row.not_before_ms),
    lastError: optionalString(row.last_error),
    leaseOwner: optionalString(row.lease_owner),
    leaseUntilMs: optionalNumber(row.lease_until_ms),
  };
}

/**
 * Keyv writes its own `namespace` onto the adapter it is given, so each namespace gets this thin view of
 * keyv's table: reads through the reader connection, writes through the group commit.
 */
function namespacedAdapter(
  read: (sql: string, ...params: unknown[]) => Promise<Row[]>,
  write: (sql: string, ...params: unknown[]) => Promise<Row[]>,
  name: string,
  written?: { set(key: string, raw: string): void; forget(key?: string): void },
): KeyvStoreAdapter {
  const view = Object.assign(new EventEmitter(), {
    opts: { dialect: "sqlite", url: "sqlite", namespace: name },
    namespace: name as string | undefined,
    async get<Value>(key: string) {
      const rows = await read(`SELECT value FROM keyv WHERE key = ?`, key);
      return (rows[0]?.value ?? undefined) as StoredData<Value> | undefined;
    },
    async getMany<Value>(keys: string[]) {
      const rows = await read(`SELECT key, value FROM keyv WHERE key IN (SELECT value FROM json_each(?))`, JSON.stringify(keys));
      const found = new Map(rows.map((r) => [String(r.key), r.value]));
      return keys.map((k) => found.get(k) ?? undefined) as Array<StoredData<Value | undefined>>;
    },
    async has(key: string) {
      return (await read(`SELECT 1 FROM keyv WHERE key = ?`, key)).length > 0;
    },
    async set(key: string, value: unknown) {
      written?.forget(key);
      await write(`INSERT INTO keyv(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value);
      if (typeof value === "string") written?.set(key, value);
      return true;
    },
    async delete(key: string) {
      written?.forget(key);
      return (await write(`DELETE FROM keyv WHERE key = ? RETURNING key`, key)).length > 0;
    },
    async deleteMany(keys: string[]) {
      for (const key of keys) written?.forget(key);
      return (await write(`DELETE FROM keyv WHERE key IN (SELECT value FROM json_each(?)) RETURNING key`, JSON.stringify(keys))).length > 0;
    },
    async clear() {
      written?.forget();
      // Namespace names are [A-Za-z0-9_-], so only `_` needs escaping in LIKE.
      await write(`DELETE FROM keyv WHERE key LIKE ? ESCAPE '\\'`, `${name.replace(/_/g, "\\_")}:%`);
    },
    async disconnect() {
      // The store owns the connections; close() closes them once.
    },
  });
  return view as unknown as KeyvStoreAdapter;
}
