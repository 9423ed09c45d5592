import { createHash, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import Keyv from "keyv";
import KeyvRedis from "@keyv/redis";
import {
  ConnectionTimeoutError,
  createClient,
  ClientOfflineError,
  DisconnectsClientError,
  ErrorReply,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
} from "@redis/client";
import { outcomeWithin } from "../deadline.js";
import { StartError } from "../start-error.js";
import { assertNamespaceName, codecCache, decodeCallbackPayment, patchPayment, PAYMENTS_NAMESPACE, type Backend } from "./backend.js";
import { keyvRecordSerializer } from "./record-serializer.js";
import type { AtomicOps, OnceResult, OnceUnit, QueueEntry, StoreLogger, WorkQueues } from "./types.js";

/**
 * Redis backend: one @redis/client connection per store, shared by every keyv namespace (each a
 * @keyv/redis adapter over that client) and by the atomic primitives. Several bot instances each open
 * their own store on the same Redis and agree through it: every check-and-change is one command
 * (SET NX PX, GETDEL, ZADD) or one Lua script, never a read followed by a separate write.
 *
 * A callback's unit (`applyOnce`: dedupe mark, payment, outbox entries) is one Lua script, so it is
 * atomic; the payment is read first and the script writes only if it is unchanged (compare-and-set,
 * retried), and payment updates do the same, so neither can overwrite the other. Concurrent callers' commands
 * are pipelined on the one connection by @redis/client. Nothing is cached here: several instances share
 * this Redis (the linked-groups list is cached for `groupsCacheMs` in the access repository).
 *
 * Lease and backoff times are compared with the caller's clock (`now`), passed into the scripts, so tests
 * can move time and instances agree as far as their clocks do (NTP); key expiries (PX) use Redis' clock.
 * Scripts derive item keys from a prefix argument, which is fine for one Redis (or a primary with
 * replicas) but not for Redis Cluster.
 */

const INCREMENT_WITHIN = `
local existed = redis.call('EXISTS', KEYS[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local by = tonumber(ARGV[1])
if current + by > tonumber(ARGV[2]) then return false end
local value = redis.call('INCRBY', KEYS[1], by)
if existed == 0 and ARGV[3] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return value`;

// KEYS[1] counter, KEYS[2] note; ARGV: by, max, ttl ms, note value, "1" to replace a note already there.
const INCREMENT_WITHIN_NOTED = `
local noted = redis.call('GET', KEYS[2])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if noted and ARGV[5] ~= '1' then return {current, 'before', noted} end
local by = tonumber(ARGV[1])
if current + by > tonumber(ARGV[2]) then return false end
local existed = redis.call('EXISTS', KEYS[1])
local value = redis.call('INCRBY', KEYS[1], by)
if existed == 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[3])
if noted then return {value, 'replaced', noted} end
return {value}`;

const DELETE_IF_EQUAL = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// KEYS[1] pending zset; ARGV[1] key prefix of the queue; then (id, createdAtMs, body) triples.
const QUEUE_ADD = `
local added = 0
for i = 2, #ARGV, 3 do
  local id = ARGV[i]
  local item = ARGV[1] .. 'item:' .. id
  if redis.call('EXISTS', item) == 0 and redis.call('EXISTS', ARGV[1] .. 'done:' .. id) == 0 then
    redis.call('HSET', item, 'body', ARGV[i + 2], 'created', ARGV[i + 1], 'attempts', 0)
    redis.call('ZADD', KEYS[1], ARGV[i + 1], id)
    added = added + 1
  end
end
return added`;

// A live lease held by someone else blocks a claim. KEYS[1] item; ARGV owner, now.
const LEASE_CHECK = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local lease = redis.call('HMGET', KEYS[1], 'leaseOwner', 'leaseUntil')
if lease[1] and lease[1] ~= ARGV[1] and tonumber(lease[2]) > tonumber(ARGV[2]) then return 0 end`;

const QUEUE_CLAIM = `${LEASE_CHECK}
local notBefore = redis.call('HGET', KEYS[1], 'notBefore')
if notBefore and tonumber(notBefore) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'leaseOwner', ARGV[1], 'leaseUntil', tonumber(ARGV[2]) + tonumber(ARGV[3]))
return 1`;

// Only by the lease's holder (see WorkQueues.release). KEYS[1] item; ARGV owner, now, notBefore, error.
const QUEUE_RELEASE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'leaseOwner') ~= ARGV[1] then return 0 end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HDEL', KEYS[1], 'leaseOwner', 'leaseUntil')
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'notBefore', ARGV[3]) else redis.call('HDEL', KEYS[1], 'notBefore') end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'lastError', ARGV[4]) end
return 1`;

// KEYS[1] item, KEYS[2] done marker, KEYS[3] pending zset; ARGV id, rememberMs.
const QUEUE_COMPLETE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
return 1`;

// KEYS[1] pending zset; ARGV prefix, limit, readyAt ('' = all), most entries to look at, how many of the
// entries kept to pass over first.
const QUEUE_PENDING = `
local out = {}
local limit = tonumber(ARGV[2])
local readyAt = tonumber(ARGV[3])
local budget = tonumber(ARGV[4])
local skip = tonumber(ARGV[5])
local start = 0
while #out < limit and start < budget do
  local ids = redis.call('ZRANGE', KEYS[1], start, start + 99)
  if #ids == 0 then break end
  for _, id in ipairs(ids) do
    local f = redis.call('HMGET', ARGV[1] .. 'item:' .. id,
      'body', 'created', 'attempts', 'notBefore', 'lastError', 'leaseOwner', 'leaseUntil')
    local keep = f[1] ~= false
    if keep and readyAt then
      if f[4] and tonumber(f[4]) > readyAt then keep = false end
      if f[7] and tonumber(f[7]) > readyAt then keep = false end
    end
    if keep and skip > 0 then
      skip = skip - 1
    elseif keep then
      out[#out + 1] = { id, f[1], f[2], f[3], f[4] or '', f[5] or '', f[6] or '', f[7] or '' }
      if #out >= limit then break end
    end
  end
  start = start + 100
end
return out`;

// A unit applied once and whole (see OnceUnit): the mark, the payment (only if it is still what the caller
// read: compare-and-set) and the queue entries. KEYS[1] mark, KEYS[2] payment, KEYS[2+q] queue q's pending
// zset. ARGV: value, ttl ('' none), payment check ('none' | 'absent' | 'equal'), expected payment, new payment
// ('' leave it), number of queues, then per queue: key prefix, count, (id, createdAtMs, body) triples.
// Returns -1 when the mark exists (nothing written), -2 when the payment changed meanwhile (nothing
// written: read again and retry), otherwise how many queue entries were new.
const APPLY_ONCE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
if ARGV[3] ~= 'none' then
  local current = redis.call('GET', KEYS[2])
  if ARGV[3] == 'absent' then
    if current then return -2 end
  elseif current ~= ARGV[4] then return -2 end
end
if ARGV[2] ~= '' then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) else redis.call('SET', KEYS[1], ARGV[1]) end
if ARGV[5] ~= '' then redis.call('SET', KEYS[2], ARGV[5], 'KEEPTTL') end
local added = 0
local a = 7
for q = 1, tonumber(ARGV[6]) do
  local prefix = ARGV[a]
  local count = tonumber(ARGV[a + 1])
  a = a + 2
  for _ = 1, count do
    local id, created, body = ARGV[a], ARGV[a + 1], ARGV[a + 2]
    a = a + 3
    local item = prefix .. 'item:' .. id
    if redis.call('EXISTS', item) == 0 and redis.call('EXISTS', prefix .. 'done:' .. id) == 0 then
      redis.call('HSET', item, 'body', body, 'created', created, 'attempts', 0)
      redis.call('ZADD', KEYS[2 + q], created, id)
      added = added + 1
    end
  end
end
return added`;

// Compare-and-set of one record: KEYS[1]; ARGV 'absent' | 'equal', expected, new value (its TTL kept).
const SET_IF_UNCHANGED = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == 'absent' then
  if current then return 0 end
elseif current ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[3], 'KEEPTTL')
return 1`;

/** Compare-and-set retries before giving up on a record that keeps changing under us. */
const CAS_ATTEMPTS = 50;

/** How far pending() may look past entries that are backing off or leased, per call. */
const PENDING_SCAN_BUDGET = 5_000;
const LOCK_TTL_MS = 15_000;
const COMMAND_TIMEOUT_MS = 5_000;
const LOCK_WAIT_MS = 10_000;
/** The connection watchdog's PING period, and how long a PING may go unanswered before the connection is
 * dropped: a command written to a Redis that hangs fails within about the two together. */
const PING_EVERY_MS = 3_000;
const PING_DEADLINE_MS = 5_000;
/** A connection with nothing written or read for this long is dropped. Only the handshake of a new connection
 * can be this quiet (a ready one is pinged every PING_EVERY_MS), so this bounds a Redis that accepts the
 * connection but hangs before answering it. */
const SOCKET_IDLE_MS = 8_000;
/** How long the first connection may take before the start fails (STORE_URL wrong, Redis not there). */
export const FIRST_CONNECT_MS = 30_000;
/** While the first connection is tried, one warning at most this often (the tries themselves are faster). */
const FIRST_CONNECT_WARN_EVERY_MS = 5_000;

/** A command written just before its connection broke fails with the socket's own error (a Redis killed
 * mid-write: "read ECONNRESET"), not with one of node-redis's classes. */
const CONNECTION_LOST = new Set(["ECONNRESET", "EPIPE", "ECONNREFUSED", "ECONNABORTED", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * True when a command failed because Redis could not be reached (gone, restarting, hung: the command timed out
 * waiting to be sent, or its connection was dropped under it, in which case it may still have been applied), not
 * because Redis answered it with an error, and not because the store was closed. Such a failure may pass.
 */
export function isRedisUnreachable(error: unknown): boolean {
  return (
    [TimeoutError, DisconnectsClientError, SocketClosedUnexpectedlyError, ClientOfflineError, ConnectionTimeoutError, SocketTimeoutError].some(
      (type) => error instanceof type,
    ) || CONNECTION_LOST.has((error as NodeJS.ErrnoException | undefined)?.code ?? "")
  );
}

/** For the start: how long the first connection may take, and a stop that ends the wait. */
export interface FirstConnectOptions {
  /** Default FIRST_CONNECT_MS. */
  connectTimeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

export async function createRedisBackend(
  options: {
    url: string;
    now: () => Date;
    logger?: StoreLogger | undefined;
    keyPrefix: string;
  } & FirstConnectOptions,
): Promise<Backend> {
  // While Redis is down the client queues commands until it reconnects, for as long as that takes:
  // callbacks hang unanswered (Palladium retries only once its own wait ends), and so do the notifier and
  // /metrics. With a timeout, each fails after a few seconds and is tried again by whoever sent it. (It
  // covers the wait to be sent, not a reply from a server that hangs with the connection open: node-redis
  // cannot drop a command it has written without losing the order of the replies. The watchdog below and
  // the socket's idle timeout drop the whole connection for that.)
  const client = createClient({
    url: options.url,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS },
    socket: { socketTimeout: SOCKET_IDLE_MS, reconnectStrategy: reconnectDelay },
  });
  // Until the first connection is made, a failed try is a short warning (see connectFirst); after it, an error.
  let connected = false;
  let onFirstTryFailed: ((error: unknown) => void) | undefined;
  client.on("error", (error: unknown) => {
    if (connected) options.logger?.error({ err: error }, "redis store error");
    else onFirstTryFailed?.(error);
  });
  // Each keyv namespace's adapter listens on this one client.
  client.setMaxListeners(100);
  await connectFirst(client, options, (listener) => (onFirstTryFailed = listener));
  await refusedCommandsAtStart(client, options.url);
  await warnOfEviction(client, options.logger);
  connected = true;
  const stopWatchdog = watchConnection(client, options.logger);
  const nowMs = () => options.now().getTime();
  const prefix = options.keyPrefix;
  const atomicKey = (key: string) => `${prefix}:atomic:${key}`;
  const queuePrefix = (queue: string) => `${prefix}:queue:${queue}:`;

  // EVALSHA with a fallback to EVAL the first time a server sees a script.
  const shas = new Map<string, string>();
  async function run(script: string, keys: string[], args: Array<string | number>): Promise<unknown> {
    let sha = shas.get(script);
    if (sha === undefined) {
      sha = createHash("sha1").update(script).digest("hex");
      shas.set(script, sha);
    }
    const call = { keys, arguments: args.map(String) };
    try {
      return await client.evalSha(sha, call);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return await client.eval(script, call);
    }
  }

  const atomic: AtomicOps = {
    async setIfAbsent(key, value, ttlMs) {
      const reply = await client.set(atomicKey(key), value, {
        condition: "NX",
        ...(ttlMs === undefined ? {} : { expiration: { type: "PX" as const, value: Math.max(1, Math.ceil(ttlMs)) } }),
      });
      return reply === "OK";
    },
    async get(key) {
      const value = await client.get(atomicKey(key));
      return value ?? undefined;
    },
    async delete(key) {
      await client.del(atomicKey(key));
    },
    async incrementWithin(key, by, max, ttlMs) {
      if (!Number.isSafeInteger(by) || !Number.isSafeInteger(max)) throw new Error("incrementWithin takes integers");
      const reply = await run(INCREMENT_WITHIN, [atomicKey(key)], [by, max, ttlMs === undefined ? "" : Math.ceil(ttlMs)]);
      return reply === null || reply === undefined ? null : Number(reply);
    },
    async take(key) {
      const value = await client.getDel(atomicKey(key));
      return value ?? undefined;
    },
    async incrementWithinNoted(key, by, max, ttlMs, note) {
      if (!Number.isSafeInteger(by) || !Number.isSafeInteger(max)) throw new Error("incrementWithinNoted takes integers");
      const reply = (await run(INCREMENT_WITHIN_NOTED, [atomicKey(key), atomicKey(note.key)], [by, max, Math.max(1, Math.ceil(ttlMs)), note.value, note.replace ? "1" : "0"])) as
        | [number, string?, string?]
        | null;
      if (reply === null || reply === undefined) return null;
      const [value, met, noted] = reply;
      return { value: Number(value), ...(met === "before" ? { countedBefore: noted } : met === "replaced" ? { replaced: noted } : {}) };
    },
  };

  const queues: WorkQueues = {
    async add(queue, entries) {
      if (entries.length === 0) return 0;
      const args: Array<string | number> = [queuePrefix(queue)];
      for (const e of entries) args.push(e.id, e.createdAtMs, e.body);
      return Number(await run(QUEUE_ADD, [`${queuePrefix(queue)}pending`], args));
    },
    async pending(queue, { limit, readyAtMs, skip = 0 }) {
      const rows = (await run(
        QUEUE_PENDING,
        [`${queuePrefix(queue)}pending`],
        [queuePrefix(queue), limit, readyAtMs ?? "", Math.max(PENDING_SCAN_BUDGET, skip + limit), skip],
      )) as string[][];
      return rows.map(toQueueEntry);
    },
    async claim(queue, id, owner, ttlMs) {
      return Number(await run(QUEUE_CLAIM, [`${queuePrefix(queue)}item:${id}`], [owner, nowMs(), ttlMs])) === 1;
    },
    async release(queue, id, owner, retry) {
      const reply = await run(
        QUEUE_RELEASE,
        [`${queuePrefix(queue)}item:${id}`],
        [owner, nowMs(), retry.notBeforeMs ?? "", retry.error ?? ""],
      );
      return Number(reply) === 1;
    },
    async complete(queue, id, rememberMs) {
      const q = queuePrefix(queue);
      const reply = await run(QUEUE_COMPLETE, [`${q}item:${id}`, `${q}done:${id}`, `${q}pending`], [id, Math.ceil(rememberMs)]);
      return Number(reply) === 1;
    },
    async stats(queue) {
      const key = `${queuePrefix(queue)}pending`;
      const [depth, oldest] = await Promise.all([client.zCard(key), client.zRangeWithScores(key, 0, 0)]);
      return { depth: Number(depth), oldestCreatedAtMs: oldest[0]?.score };
    },
  };

  async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const lockKey = `${prefix}:lock:${key}`;
    const token = randomUUID();
    const giveUpAt = Date.now() + LOCK_WAIT_MS;
    while ((await client.set(lockKey, token, { condition: "NX", expiration: { type: "PX", value: LOCK_TTL_MS } })) !== "OK") {
      if (Date.now() > giveUpAt) throw new Error(`store lock ${key} still held after ${LOCK_WAIT_MS} ms`);
      await sleep(5 + Math.floor(Math.random() * 20));
    }
    try {
      return await fn();
    } finally {
      await run(DELETE_IF_EQUAL, [lockKey], [token]);
    }
  }

  const namespaces = new Map<string, Keyv>();
  const codecOf = codecCache(namespace);
  // Where keyv (@keyv/redis, namespace `<prefix>:<name>`, separator "::") keeps a namespace's record.
  const recordKey = (name: string, key: string) => `${prefix}:${name}::${key}`;

  async function applyOnce<T>(unit: OnceUnit<T>): Promise<OnceResult<T>> {
    const codec = codecOf(PAYMENTS_NAMESPACE);
    const paymentKey = unit.externalId === undefined ? `${prefix}:none` : recordKey(PAYMENTS_NAMESPACE, unit.externalId);
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const raw = unit.externalId === undefined ? null : await client.get(paymentKey);
      const current = await decodeCallbackPayment(codec, raw, nowMs(), unit.externalId, options.logger);
      const plan = unit.plan(current);
      const next =
        plan.paymentPatch !== undefined && current !== undefined ? await codec.encode(patchPayment(current, plan.paymentPatch, options.now())) : "";
      const queued = plan.queued ?? [];
      const keys = [atomicKey(unit.key), paymentKey, ...queued.map((q) => `${queuePrefix(q.queue)}pending`)];
      const args: Array<string | number> = [
        plan.value,
        unit.ttlMs === undefined ? "" : Math.max(1, Math.ceil(unit.ttlMs)),
        unit.externalId === undefined ? "none" : raw === null ? "absent" : "equal",
        raw ?? "",
        next,
        queued.length,
      ];
      for (const q of queued) {
        args.push(queuePrefix(q.queue), q.entries.length);
        for (const e of q.entries) args.push(e.id, e.createdAtMs, e.body);
      }
      const reply = Number(await run(APPLY_ONCE, keys, args));
      if (reply === -1) return { first: false };
      if (reply >= 0) return { first: true, result: plan.result, queuedCount: reply };
    }
    throw new Error(`payment ${unit.externalId ?? ""} kept changing; gave up after ${CAS_ATTEMPTS} attempts`);
  }

  async function updateRecord<V>(name: string, key: string, change: (current: V | undefined) => V | undefined) {
    const codec = codecOf(name);
    const redisKey = recordKey(name, key);
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const raw = await client.get(redisKey);
      const previous = await codec.decode<V>(raw, nowMs());
      const next = change(previous);
      if (next === undefined) return { previous, next };
      const set = await run(SET_IF_UNCHANGED, [redisKey], [raw === null ? "absent" : "equal", raw ?? "", await codec.encode(next)]);
      if (Number(set) === 1) return { previous, next };
    }
    throw new Error(`record ${name}/${key} kept changing; gave up after ${CAS_ATTEMPTS} attempts`);
  }

  function namespace(name: string): Keyv {
    assertNamespaceName(name);
    let keyv = namespaces.get(name);
    if (keyv === undefined) {
      // One adapter per namespace (keyv writes its namespace onto the adapter), all on the one client.
      const adapter = new KeyvRedis(client, { throwOnErrors: true });
      keyv = new Keyv(adapter, { namespace: `${prefix}:${name}`, useKeyPrefix: false, throwOnErrors: true, ...keyvRecordSerializer });
      namespaces.set(name, keyv);
    }
    return keyv;
  }

  let closed = false;
  return {
    backend: "redis",
    atomic,
    queues,
    withLock,
    now: options.now,
    applyOnce,
    updateRecord,
    index: {
      async add(name, member, score, options = {}) {
        await client.zAdd(`${prefix}:index:${name}`, { score, value: member }, options.onlyHigher === true ? { GT: true } : undefined);
      },
      async remove(name, member) {
        await client.zRem(`${prefix}:index:${name}`, member);
      },
      async range(name, { limit, newestFirst }) {
        if (limit <= 0) return [];
        return client.zRange(`${prefix}:index:${name}`, 0, limit - 1, newestFirst ? { REV: true } : undefined);
      },
    },
    namespace,
    async close() {
      if (closed) return;
      closed = true;
      stopWatchdog();
      if (client.isOpen) await client.close();
    },
  };
}

/**
 * The first connection, bounded: node-redis's connect() keeps trying for as long as Redis is not there (the
 * reconnect strategy never gives up, which is right once the bot runs), so the start waited forever, logging
 * a stack every two seconds. Here the tries go on until `connectTimeoutMs`, with one warning line (no stack)
 * at most every few seconds, then the client is destroyed and the start fails with a StartError naming
 * STORE_URL and where it points (host:port, never the password). A stop (`signal`) ends the wait at once.
 */
async function connectFirst(
  client: { connect(): Promise<unknown>; destroy(): void; readonly isOpen: boolean },
  options: { url: string; logger?: StoreLogger | undefined } & FirstConnectOptions,
  listen: (onFailedTry: (error: unknown) => void) => void,
): Promise<void> {
  const where = redisAddress(options.url);
  const timeoutMs = options.connectTimeoutMs ?? FIRST_CONNECT_MS;
  let lastReason: string | undefined;
  // Redis answered, but refused us (WRONGPASS, NOAUTH): the password or user in STORE_URL, not the network.
  let refused = false;
  let tries = 0;
  let lastWarnAt: number | undefined;
  const signal = options.signal;
  if (signal?.aborted) throw signal.reason;
  // Ended by a stop (`signal`), or by a refused password or user: asking again will not make it right.
  const giveUp = new AbortController();
  const onStop = () => giveUp.abort();
  signal?.addEventListener("abort", onStop, { once: true });
  listen((error) => {
    tries += 1;
    lastReason = connectFailure(error);
    refused = error instanceof ErrorReply;
    if (refused && /^(WRONGPASS|NOAUTH|NOPERM)$/.test(lastReason)) giveUp.abort();
    const now = Date.now();
    if (lastWarnAt !== undefined && now - lastWarnAt < FIRST_CONNECT_WARN_EVERY_MS) return;
    lastWarnAt = now;
    options.logger?.warn({ redis: where, reason: lastReason, tries }, "redis store not reachable yet; trying again");
  });

  const connecting = client.connect();
  const outcome = await outcomeWithin(connecting, timeoutMs, giveUp.signal);
  signal?.removeEventListener("abort", onStop);
  if (outcome === "resolved") return;
  // The client gave up by itself: its own error says why.
  if (outcome === "rejected") await connecting;
  // Stop trying: destroy ends node-redis's connect loop (a try under way fails and is not followed by another).
  listen(() => undefined);
  connecting.catch(() => undefined);
  if (client.isOpen) client.destroy();
  if (outcome === "stopped" && signal?.aborted) throw signal.reason;
  throw new StartError(
    "store_unreachable",
    "STORE_URL",
    refused
      ? `STORE_URL: Redis at ${where} refused the connection (${lastReason}); check the user and password in STORE_URL`
      : `STORE_URL: Redis at ${where} not reachable (${lastReason ?? `no answer within ${Math.round(timeoutMs / 1000)} s`})`,
  );
}

/**
 * A Redis that wants a password, reached without one, accepts the connection and refuses every command
 * (NOAUTH): the bot would start and then answer every callback with 503. One command at start finds it, and
 * the start fails like a wrong password does, naming STORE_URL.
 */
async function refusedCommandsAtStart(client: { ping(): Promise<unknown>; destroy(): void; readonly isOpen: boolean }, url: string): Promise<void> {
  try {
    await client.ping();
  } catch (error) {
    if (!(error instanceof ErrorReply)) throw error;
    if (client.isOpen) client.destroy();
    throw new StartError(
      "store_unreachable",
      "STORE_URL",
      `STORE_URL: Redis at ${redisAddress(url)} refused commands (${connectFailure(error)}); check the user and password in STORE_URL`,
      { cause: error },
    );
  }
}

/**
 * A Redis that evicts keys when full (allkeys-* or volatile-*: the default of several managed services) drops
 * the store's keys that expire first: the day's transfer counter among them, so the daily limit starts again
 * as if nothing had been sent. Said at start, naming the setting. Read through INFO (a managed Redis may
 * refuse CONFIG); one that does not answer it is left unsaid.
 */
async function warnOfEviction(client: { info(section: string): Promise<string> }, logger: StoreLogger | undefined): Promise<void> {
  const policy = /^maxmemory_policy:(\S+)/m.exec(await client.info("memory").catch(() => ""))?.[1];
  if (policy === undefined || policy === "noeviction") return;
  logger?.warn(
    { maxmemoryPolicy: policy },
    "redis store evicts keys when full (maxmemory-policy): the day's transfer limit and other counters may be dropped and start again; set maxmemory-policy noeviction",
  );
}

/** host:port of a redis:// URL: what an operator needs to find it, without the user or password. */
function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "6379"}`;
  } catch {
    return "STORE_URL";
  }
}

/** Why a try failed, in a word: the system's code (ECONNREFUSED, ENOTFOUND), Redis' reply (WRONGPASS), or the error's name. */
function connectFailure(error: unknown): string {
  const e = error as { code?: unknown; errors?: { code?: unknown }[]; name?: unknown; message?: unknown } | undefined;
  if (typeof e?.code === "string") return e.code;
  const inner = e?.errors?.find((x) => typeof x?.code === "string")?.code;
  if (typeof inner === "string") return inner;
  // Redis' own words start with a code: "WRONGPASS invalid username-password pair ...".
  if (error instanceof ErrorReply) return /^[A-Z]+/.exec(error.message)?.[0] ?? "refused";
  // The client's own errors (a connection or socket timeout) keep the plain name "Error": their message says it.
  if (typeof e?.name === "string" && e.name !== "Error") return e.name;
  return typeof e?.message === "string" && e.message !== "" ? (e.message.split(/\.\s/)[0] ?? e.message).slice(0, 80) : "unknown error";
}

/** The library's own backoff, minus its giving up for good on a socket timeout: here that is a Redis that
 * stopped answering (SOCKET_IDLE_MS), to be waited for like one that went away. */
function reconnectDelay(retries: number): number {
  return Math.min(2 ** retries * 50, 2_000) + Math.floor(Math.random() * 200);
}

interface WatchedClient {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  readonly socketEpoch: number;
  ping(): Promise<unknown>;
  destroy(): void;
  connect(): Promise<unknown>;
}

/**
 * Drops a ready connection when Redis stops answering on it while it stays open (the process hangs, or a
 * network path dies without a reset): otherwise the commands already written wait for replies that never
 * come, and every command written after them too, for as long as that lasts. node-redis has no deadline for
 * a written command: its `pingInterval` waits for each PING's reply as long as it takes (and pings again only
 * after it), and `socket.socketTimeout` is an idle timer that every write restarts, so the commands callers
 * keep sending to a hung Redis keep it from firing. So: PING every few seconds, and when one goes unanswered
 * past the deadline, destroy the client, which fails every command waiting on it (none is sent again: a
 * write whose reply was lost is reported failed, never sent twice), and connect it again, which keeps trying
 * until Redis answers; commands sent meanwhile wait in the offline queue and fail after the command timeout.
 *
 * Only a ready client is destroyed here: while one is (re)connecting, node-redis's connect loop is running,
 * and a destroy then would race it into a second one. A handshake that hangs is the idle timeout's.
 */
function watchConnection(client: WatchedClient, logger: StoreLogger | undefined): () => void {
  let stopped = false;
  let probing = false;
  const timer = setInterval(() => {
    if (stopped || probing || !client.isReady) return;
    probing = true;
    const epoch = client.socketEpoch;
    // An error reply or a connection dropped meanwhile is an answer too: the library reconnects by itself then.
    void outcomeWithin(client.ping(), PING_DEADLINE_MS).then((outcome) => {
      probing = false;
      // Only the connection the PING went out on, and only while it is ready (see above).
      if (outcome !== "late" || stopped || !client.isOpen || !client.isReady || client.socketEpoch !== epoch) return;
      logger?.warn({ deadlineMs: PING_DEADLINE_MS }, "redis store did not answer a PING in time; dropping the connection");
      client.destroy();
      client.connect().catch((error: unknown) => logger?.error({ err: error }, "redis store could not reconnect"));
    });
  }, PING_EVERY_MS);
  // A store left open must not keep the process alive.
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

function toQueueEntry(row: string[]): QueueEntry {
  const [id = "", body = "", created = "0", attempts = "0", notBefore = "", lastError = "", leaseOwner = "", leaseUntil = ""] = row;
  return {
    id,
    createdAtMs: Number(created),
    body,
    attempts: Number(attempts),
    notBeforeMs: notBefore === "" ? undefined : Number(notBefore),
    lastError: lastError === "" ? undefined : lastError,
    leaseOwner: leaseOwner === "" ? undefined : leaseOwner,
    leaseUntilMs: leaseUntil === "" ? undefined : Number(leaseUntil),
  };
}
