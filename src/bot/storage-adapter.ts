import type { StorageAdapter } from "grammy";
import type Keyv from "keyv";

/**
 * grammY sessions and conversations v2 both take a read/write/delete adapter; there is no published one
 * for keyv 5, and this is all it takes. Values go through keyv's JSON serializer, so they must be plain data.
 */
export function keyvStorageAdapter<T>(keyv: Keyv): StorageAdapter<T> {
  return {
    read: async (key) => ((await keyv.get(key)) as T | undefined) ?? undefined,
    write: async (key, value) => {
      await keyv.set(key, value);
    },
    delete: async (key) => {
      await keyv.delete(key);
    },
  };
}
