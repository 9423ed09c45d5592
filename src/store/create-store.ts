import { createAccessRepository } from "./access.js";
import type { Backend } from "./backend.js";
import { createPaymentRepository } from "./payments.js";
import { createRedisBackend, type FirstConnectOptions } from "./redis-backend.js";
import { createSqliteBackend } from "./sqlite-backend.js";
import type { Store, StoreOptions } from "./types.js";

/**
 * Opens the store named by `url` (STORE_URL): SQLite for one process, Redis for several instances.
 * Namespaces whose names start with `store_` are the store's own; pick other names for sessions etc.
 * `connectTimeoutMs` and `signal` bound the first connection to Redis (see redis-backend.ts).
 */
export async function createStore(options: StoreOptions & FirstConnectOptions): Promise<Store> {
  const now = options.now ?? (() => new Date());
  let backend: Backend;
  if (options.url.startsWith("sqlite://")) {
    backend = await createSqliteBackend({ url: options.url, now, logger: options.logger });
  } else if (/^rediss?:\/\//.test(options.url)) {
    backend = await createRedisBackend({
      url: options.url,
      now,
      logger: options.logger,
      keyPrefix: options.keyPrefix ?? "pallabot",
      connectTimeoutMs: options.connectTimeoutMs,
      signal: options.signal,
    });
  } else {
    throw new Error("store URL must be sqlite://path/file.sqlite or redis://host:6379");
  }
  const { index: _index, ...rest } = backend;
  return {
    ...rest,
    payments: createPaymentRepository(backend, { logger: options.logger }),
    access: createAccessRepository(backend, { groupsCacheMs: options.groupsCacheMs }),
  };
}
