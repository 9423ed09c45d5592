import type { StorageAdapter } from "grammy";
import type Keyv from "keyv";

/**
 * grammY sessions and conversations v2 both take a read/write/delete adapter; there is no published one
 * for keyv 5, and this is all it takes. Values go through keyv's JSON serializer, so they must be plain data.
 *
 * A row that does not parse (a hand edit, a disk that filled up mid-write) is dropped and read as nothing:
 * thrown, it failed every update of that person, /cancel included, and the bot fell silent to them for
 * good. They lose a language choice or a flow in progress, and `onUnreadable` says so in the log.
 */
export function keyvStorageAdapter<T>(keyv: Keyv, options: { onUnreadable?: (key: string, error: unknown) => void } = {}): StorageAdapter<T> {
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
    write: async (key, value) => {
      await keyv.set(key, value);
    },
    delete: async (key) => {
      await keyv.delete(key);
    },
  };
}
