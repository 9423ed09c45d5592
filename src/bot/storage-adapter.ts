import { setTimeout as sleep } from "node:timers/promises";
import type { StorageAdapter } from "grammy";
import type Keyv from "keyv";

/** See `retryWrites`: a write that failed in a way worth waiting out is tried again until it is acknowledged or `forMs` is over. */
export interface WriteRetry {
  forMs: number;
  /** Whether the store may come back from this failure (a connection lost), rather than having refused the write. */
  when: (error: unknown) => boolean;
  /** Told once per write that failed and is being tried again. */
  onRetry?: (key: string, error: unknown) => void;
}

/**
 * grammY sessions and conversations v2 both take a read/write/delete adapter; there is no published one
 * for keyv 5, and this is all it takes. Values go through keyv's JSON serializer, so they must be plain data.
 *
 * A row that does not parse (a hand edit, a disk that filled up mid-write) is dropped and read as nothing:
 * thrown, it failed every update of that person, /cancel included, and the bot fell silent to them for
 * good. They lose a language choice or a flow in progress, and `onUnreadable` says so in the log.
 */
export function keyvStorageAdapter<T>(
  keyv: Keyv,
  options: { onUnreadable?: (key: string, error: unknown) => void; retryWrites?: WriteRetry } = {},
): StorageAdapter<T> {
  const persist = async (key: string, change: () => Promise<unknown>): Promise<void> => {
    const retry = options.retryWrites;
    const giveUpAt = Date.now() + (retry?.forMs ?? 0);
    for (let attempt = 0; ; attempt++) {
      try {
        await change();
        return;
      } catch (error) {
        if (retry === undefined || !retry.when(error) || Date.now() >= giveUpAt) throw error;
        if (attempt === 0) retry.onRetry?.(key, error);
        await sleep(Math.min(250 * 2 ** attempt, 2_000));
      }
    }
  };
  return {
    read: async (key) => {
      try {
        return ((await keyv.get(key)) as T | undefined) ?? undefined;
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        options.onUnreadable?.(key, error);
        await keyv.delete(key);
        return undefined;
      }
    },
    write: (key, value) => persist(key, () => keyv.set(key, value)),
    delete: (key) => persist(key, () => keyv.delete(key)),
  };
}
