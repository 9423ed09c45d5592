import type { PaymentPatch, PaymentRecord, Store, StoreLogger } from "./types.js";

/** Members ordered by a numeric score (a time), for "newest first" lists without scanning a namespace. */
export interface SortedIndex {
  /** Sets a member's score; with `onlyHigher`, only raises it (a later write of an older score leaves it). */
  add(name: string, member: string, score: number, options?: { onlyHigher?: boolean }): Promise<void>;
  remove(name: string, member: string): Promise<void>;
  /** Members by score; `newestFirst` reverses the order. */
  range(name: string, options: { limit: number; newestFirst: boolean }): Promise<string[]>;
}

/** What a backend (SQLite or Redis) provides; the repositories are written once on top of it. */
export type Backend = Omit<Store, "payments" | "access"> & {
  index: SortedIndex;
  /**
   * Read-modify-write of one record of a namespace, atomic against every other write of the store
   * (`applyOnce` included): `change` gets the record as it is and returns the new one, or undefined to
   * leave it. It may run more than once (Redis retries after a concurrent change), so keep it pure.
   */
  updateRecord<V>(namespace: string, key: string, change: (current: V | undefined) => V | undefined): Promise<{ previous: V | undefined; next: V | undefined }>;
};

/** The keyv namespace that holds payments; `applyOnce` reads and writes it directly. */
export const PAYMENTS_NAMESPACE = "store_payments";

/** A payment after a unit's patch: the identity fields stay, updatedAt moves to `now`. */
export function patchPayment(current: PaymentRecord, patch: PaymentPatch, now: Date): PaymentRecord {
  return {
    ...current,
    ...patch,
    externalId: current.externalId,
    createdBy: current.createdBy,
    createdAt: current.createdAt,
    updatedAt: now.toISOString(),
  };
}

/** keyv's own stored form (`{ value, expires }` through its serializer), so records stay readable by keyv. */
export interface RecordCodec {
  encode(value: unknown): Promise<string>;
  /** undefined for nothing stored, or an expired entry. */
  decode<V>(raw: string | null | undefined, nowMs: number): Promise<V | undefined>;
}

/** One codec per keyv namespace, made on first use. */
/**
 * A callback's payment as stored, or undefined when its row does not parse (a hand edit, a disk that filled
 * up mid-write). Thrown, it answered that payment's every callback 503 until the gateway gave up a day later
 * and the shop never heard of the money; read as absent, the callback is recorded as for a payment the bot
 * does not know, and the owners are told of it with its reference.
 */
export async function decodeCallbackPayment(
  codec: RecordCodec,
  raw: string | null | undefined,
  nowMs: number,
  externalId: string | undefined,
  logger: StoreLogger | undefined,
): Promise<PaymentRecord | undefined> {
  try {
    return await codec.decode<PaymentRecord>(raw, nowMs);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    logger?.error({ externalId, err: error }, "a stored payment could not be read; its callback is recorded as for an unknown payment and the owners told");
    return undefined;
  }
}

export function codecCache(namespace: (name: string) => { serialize?: unknown; deserialize?: unknown }): (name: string) => RecordCodec {
  const codecs = new Map<string, RecordCodec>();
  return (name) => {
    let codec = codecs.get(name);
    if (codec === undefined) {
      codec = keyvCodec(namespace(name));
      codecs.set(name, codec);
    }
    return codec;
  };
}

export function keyvCodec(keyv: { serialize?: unknown; deserialize?: unknown }): RecordCodec {
  const serialize = keyv.serialize as ((data: unknown) => string | Promise<string>) | undefined;
  const deserialize = keyv.deserialize as ((data: string) => unknown) | undefined;
  if (serialize === undefined || deserialize === undefined) throw new Error("keyv namespace without a serializer");
  return {
    async encode(value) {
      return serialize({ value, expires: undefined });
    },
    async decode<V>(raw: string | null | undefined, nowMs: number) {
      if (raw === null || raw === undefined) return undefined;
      const data = (await deserialize(raw)) as { value?: V; expires?: number | null } | undefined;
      if (data === undefined || data === null) return undefined;
      if (typeof data.expires === "number" && data.expires <= nowMs) return undefined;
      return data.value ?? undefined;
    },
  };
}

export const NAMESPACE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function assertNamespaceName(name: string): void {
  if (!NAMESPACE_NAME.test(name)) throw new Error(`store namespace must match ${NAMESPACE_NAME}: ${JSON.stringify(name)}`);
}

/** Serialises async work per key inside one process. */
export function createKeyedMutex() {
  const tails = new Map<string, Promise<unknown>>();
  return async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
