import type { Store } from "./types.js";

/** Members ordered by a numeric score (a time), for "newest first" lists without scanning a namespace. */
export interface SortedIndex {
  add(name: string, member: string, score: number): Promise<void>;
  remove(name: string, member: string): Promise<void>;
  /** Members by score; `newestFirst` reverses the order. */
  range(name: string, options: { limit: number; newestFirst: boolean }): Promise<string[]>;
}

/** What a backend (SQLite or Redis) provides; the repositories are written once on top of it. */
export type Backend = Omit<Store, "payments" | "access"> & { index: SortedIndex };

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
