import { EventEmitter } from "node:events";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Keyv, { type KeyvStoreAdapter, type StoredData } from "keyv";
import KeyvSqlite from "@keyv/sqlite";
import { assertNamespaceName, createKeyedMutex, type Backend } from "./backend.js";
import type { AtomicOps, QueueEntry, StoreLogger, WorkQueues } from "./types.js";

/**
 * SQLite backend: one connection (the one @keyv/sqlite opens) to one file, owned by this process.
 *
 * Keyv namespaces live in keyv's own table. The atomic primitives, ordered indexes and work queues live in
 * three small tables of the same file, and every one of their operations is a single SQL statement
 * (INSERT .. ON CONFLICT .. RETURNING, UPDATE .. WHERE .. RETURNING, DELETE .. RETURNING). A statement
 * is atomic in SQLite itself, so these need no read-then-write, no BEGIN on the shared connection, and
 * stay correct even if a second process opened the file. Read-modify-write in JS (payment updates) goes
 * through an in-process keyed mutex (`withLock`).
 *
 * Durability: WAL with synchronous=FULL. In WAL mode FULL fsyncs the log at every commit, so a write is
 * on disk when its promise resolves, surviving power loss and not only a killed process (NORMAL would
 * only survive the latter). It measured about 2,000 commits/s here against 280 for the default rollback
 * journal; NORMAL was 9,000/s but can lose the last commits on power loss, which for a paid callback we
 * have already answered 2xx is exactly what must not happen. The cost of one fsync per commit is paid
 * down by coalescing concurrent setIfAbsent and outbox adds into multi-row statements (see `coalesce`).
 */

type Query = (sql: string, ...params: unknown[]) => Promise<Array<Record<string, unknown>>>;

const SWEEP_EVERY_MS = 60 * 60 * 1000;
/** SQLite allows 32,766 bound parameters; a row binds 3 or 4. */
const ROWS_PER_STATEMENT = 500;

export async function createSqliteBackend(options: {
  url: string;
  now: () => Date;
  logger?: StoreLogger | undefined;
}): Promise<Backend> {
  const file = options.url.replace(/^sqlite:\/\//, "");
  if (file === "") throw new Error("STORE_URL sqlite:// needs a file path, e.g. sqlite://./data/pallabot.sqlite");
  const path = file === ":memory:" ? file : resolve(file);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });

  const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: "keyv", busyTimeout: 5_000 });
  adapter.on("error", (error: unknown) => options.logger?.error({ err: error }, "sqlite store error"));
  const query = adapter.query as unknown as Query;
  const nowMs = () => options.now().getTime();

  await query("PRAGMA journal_mode=WAL");
  await query("PRAGMA synchronous=FULL");
  await query(
    `CREATE TABLE IF NOT EXISTS pallabot_atomic(key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_ms INTEGER)`,
  );
  await query(
    `CREATE TABLE IF NOT EXISTS pallabot_index(name TEXT NOT NULL, member TEXT NOT NULL, score REAL NOT NULL,
       PRIMARY KEY(name, member))`,
  );
  await query(`CREATE INDEX IF NOT EXISTS pallabot_index_by_score ON pallabot_index(name, score)`);
  await query(
    `CREATE TABLE IF NOT EXISTS pallabot_queue(
       queue TEXT NOT NULL, id TEXT NOT NULL, created_ms INTEGER NOT NULL, body TEXT NOT NULL,
       attempts INTEGER NOT NULL DEFAULT 0, not_before_ms INTEGER, last_error TEXT,
       lease_owner TEXT, lease_until_ms INTEGER,
       done_until_ms INTEGER,
       PRIMARY KEY(queue, id))`,
  );
  // Only pending rows are indexed by age, so pending() and stats() never walk the delivered history.
  await query(
    `CREATE INDEX IF NOT EXISTS pallabot_queue_pending ON pallabot_queue(queue, created_ms) WHERE done_until_ms IS NULL`,
  );

  const live = "(expires_ms IS NULL OR expires_ms > ?)";

  // The two writes on a callback's path (dedupe, outbox) are each coalesced: calls that arrive while a
  // statement is in flight go together into the next multi-row statement, so one fsync commits many.
  const setIfAbsentBatched = coalesce<{ key: string; value: string; ttlMs: number | undefined }, boolean>(async (requests) => {
    const now = nowMs();
    const taken = new Map<string, string>();
    for (let i = 0; i < requests.length; i += ROWS_PER_STATEMENT) {
      const chunk = requests.slice(i, i + ROWS_PER_STATEMENT);
      const rows = await query(
        `INSERT INTO pallabot_atomic(key, value, expires_ms) VALUES ${chunk.map(() => "(?, ?, ?)").join(", ")}
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_ms = excluded.expires_ms
           WHERE pallabot_atomic.expires_ms IS NOT NULL AND pallabot_atomic.expires_ms <= ?
         RETURNING key, value`,
        ...chunk.flatMap((r) => [r.key, r.value, r.ttlMs === undefined ? null : now + r.ttlMs]),
        now,
      );
      for (const row of rows) taken.set(String(row.key), String(row.value));
    }
    // One winner per key: the request whose value was stored (the first such, if values repeat).
    return requests.map((r) => {
      if (taken.get(r.key) !== r.value) return false;
      taken.delete(r.key);
      return true;
    });
  });

  const addBatched = coalesce<{ queue: string; entries: ReadonlyArray<{ id: string; createdAtMs: number; body: string }> }, number>(
    async (requests) => {
      const rows = requests.flatMap((r) => r.entries.map((e) => [r.queue, e.id, e.createdAtMs, e.body] as const));
      const inserted = new Set<string>();
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
        // A delivered row stays (with done_until_ms) until the sweep, so re-adding it is a no-op too.
        const returned = await query(
          `INSERT INTO pallabot_queue(queue, id, created_ms, body) VALUES ${chunk.map(() => "(?, ?, ?, ?)").join(", ")}
           ON CONFLICT(queue, id) DO NOTHING RETURNING queue, id`,
          ...chunk.flat(),
        );
        for (const row of returned) inserted.add(`${String(row.queue)}\u0000${String(row.id)}`);
      }
      return requests.map((r) => {
        let added = 0;
        for (const e of r.entries) if (inserted.delete(`${r.queue}\u0000${e.id}`)) added++;
        return added;
      });
    },
  );

  const atomic: AtomicOps = {
    setIfAbsent: (key, value, ttlMs) => setIfAbsentBatched({ key, value, ttlMs }),
    async get(key) {
      const rows = await query(`SELECT value FROM pallabot_atomic WHERE key = ? AND ${live}`, key, nowMs());
      return rows[0] === undefined ? undefined : String(rows[0].value);
    },
    async delete(key) {
      await query(`DELETE FROM pallabot_atomic WHERE key = ?`, key);
    },
    async incrementWithin(key, by, max, ttlMs) {
      if (!Number.isSafeInteger(by) || !Number.isSafeInteger(max)) throw new Error("incrementWithin takes integers");
      if (by > max) return null;
      const now = nowMs();
      // A stale (expired) counter restarts from `by`, with a fresh window.
      const rows = await query(
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
      const rows = await query(`DELETE FROM pallabot_atomic WHERE key = ? RETURNING value, expires_ms`, key);
      const row = rows[0];
      if (row === undefined) return undefined;
      if (row.expires_ms !== null && Number(row.expires_ms) <= nowMs()) return undefined;
      return String(row.value);
    },
  };

  const queues: WorkQueues = {
    add: (queue, entries) => (entries.length === 0 ? Promise.resolve(0) : addBatched({ queue, entries })),
    async pending(queue, { limit, readyAtMs }) {
      const ready = readyAtMs === undefined ? null : readyAtMs;
      const rows = await query(
        `SELECT id, created_ms, body, attempts, not_before_ms, last_error, lease_owner, lease_until_ms
         FROM pallabot_queue
         WHERE queue = ?1 AND done_until_ms IS NULL
           AND (?2 IS NULL OR ((not_before_ms IS NULL OR not_before_ms <= ?2)
                           AND (lease_until_ms IS NULL OR lease_until_ms <= ?2)))
         ORDER BY created_ms, rowid LIMIT ?3`,
        queue,
        ready,
        limit,
      );
      return rows.map(toQueueEntry);
    },
    async claim(queue, id, owner, ttlMs) {
      const now = nowMs();
      const rows = await query(
        `UPDATE pallabot_queue SET lease_owner = ?3, lease_until_ms = ?4 + ?5
         WHERE queue = ?1 AND id = ?2 AND done_until_ms IS NULL
           AND (lease_owner IS NULL OR lease_owner = ?3 OR lease_until_ms <= ?4)
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
      const rows = await query(
        `UPDATE pallabot_queue SET attempts = attempts + 1, not_before_ms = ?5, last_error = COALESCE(?6, last_error),
           lease_owner = NULL, lease_until_ms = NULL
         WHERE queue = ?1 AND id = ?2 AND done_until_ms IS NULL
           AND (lease_owner IS NULL OR lease_owner = ?3 OR lease_until_ms <= ?4)
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
      const rows = await query(
        `UPDATE pallabot_queue SET done_until_ms = ?3, body = '', last_error = NULL, lease_owner = NULL, lease_until_ms = NULL
         WHERE queue = ?1 AND id = ?2 AND done_until_ms IS NULL RETURNING id`,
        queue,
        id,
        nowMs() + rememberMs,
      );
      return rows.length === 1;
    },
    async stats(queue) {
      const rows = await query(
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

  const namespaces = new Map<string, Keyv>();
  const sweep = async () => {
    const now = nowMs();
    await query(`DELETE FROM pallabot_atomic WHERE expires_ms IS NOT NULL AND expires_ms <= ?`, now);
    await query(`DELETE FROM pallabot_queue WHERE done_until_ms IS NOT NULL AND done_until_ms <= ?`, now);
    // keyv keeps expiries inside the JSON value and only drops a stale key when it is read again.
    await query(
      `DELETE FROM keyv WHERE json_valid(value) AND json_type(value, '$.expires') IN ('integer', 'real')
         AND json_extract(value, '$.expires') <= ?`,
      now,
    );
  };
  await sweep();
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
    index: {
      async add(name, member, score) {
        await query(
          `INSERT INTO pallabot_index(name, member, score) VALUES(?, ?, ?)
           ON CONFLICT(name, member) DO UPDATE SET score = excluded.score`,
          name,
          member,
          score,
        );
      },
      async remove(name, member) {
        await query(`DELETE FROM pallabot_index WHERE name = ? AND member = ?`, name, member);
      },
      async range(name, { limit, newestFirst }) {
        const order = newestFirst ? "DESC" : "ASC";
        const rows = await query(
          `SELECT member FROM pallabot_index WHERE name = ? ORDER BY score ${order}, member ${order} LIMIT ?`,
          name,
          limit,
        );
        return rows.map((r) => String(r.member));
      },
    },
    namespace(name) {
      assertNamespaceName(name);
      let keyv = namespaces.get(name);
      if (keyv === undefined) {
        keyv = new Keyv(namespacedAdapter(adapter, query, name), { namespace: name, throwOnErrors: true });
        namespaces.set(name, keyv);
      }
      return keyv;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      await adapter.disconnect();
    },
  };
}

/**
 * Turns single calls into batches: the first call runs at once; calls made while a batch is in flight
 * wait and then run together. `runBatch` returns one result per request, in order.
 */
function coalesce<Request, Result>(runBatch: (requests: Request[]) => Promise<Result[]>): (request: Request) => Promise<Result> {
  let waiting: Array<{ request: Request; resolve: (r: Result) => void; reject: (e: unknown) => void }> = [];
  let running = false;
  const drain = async () => {
    running = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        const results = await runBatch(batch.map((w) => w.request));
        batch.forEach((w, i) => w.resolve(results[i] as Result));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    running = false;
  };
  return (request) =>
    new Promise<Result>((resolve, reject) => {
      waiting.push({ request, resolve, reject });
      if (!running) void drain();
    });
}

function toQueueEntry(row: Record<string, unknown>): QueueEntry {
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
 * Keyv writes its own `namespace` onto the adapter it is given, so namespaces cannot share one adapter
 * object; they share its connection instead, through this thin view that clears only its own keys.
 */
function namespacedAdapter(shared: KeyvSqlite, query: Query, name: string): KeyvStoreAdapter {
  const view = Object.assign(new EventEmitter(), {
    opts: { dialect: "sqlite", url: "sqlite", namespace: name },
    namespace: name as string | undefined,
    get: <Value>(key: string) => shared.get(key) as Promise<StoredData<Value> | undefined>,
    getMany: <Value>(keys: string[]) => shared.getMany(keys) as Promise<Array<StoredData<Value | undefined>>>,
    set: (key: string, value: unknown) => shared.set(key, value),
    delete: (key: string) => shared.delete(key),
    deleteMany: (keys: string[]) => shared.deleteMany(keys),
    has: (key: string) => shared.has(key),
    async clear() {
      // Namespace names are [A-Za-z0-9_-], so only `_` needs escaping in LIKE.
      await query(`DELETE FROM keyv WHERE key LIKE ? ESCAPE '\\'`, `${name.replace(/_/g, "\\_")}:%`);
    },
    async disconnect() {
      // The store owns the connection; close() closes it once.
    },
  });
  return view as unknown as KeyvStoreAdapter;
}
