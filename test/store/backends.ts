import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { createStore, type Store } from "../../src/store/index.js";
import { startRedisServer, type RunningRedis } from "../support/redis-server.js";

/** A clock that runs with real time but can be moved ahead, e.g. to let a lease expire. */
export function movableClock() {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance(ms: number) {
      offsetMs += ms;
    },
  };
}

export interface BackendFixture {
  name: "sqlite" | "redis";
  /** Opens a store on the same data each time (same SQLite file / same Redis and key prefix). */
  open(options?: { now?: () => Date }): Promise<Store>;
  /** Forgets the data: the next open() starts empty. */
  fresh(): void;
  teardown(): Promise<void>;
}

export async function sqliteFixture(): Promise<BackendFixture & { url(): string }> {
  const dir = mkdtempSync(join(tmpdir(), "pallabot-store-"));
  let file = join(dir, "nested", "shop.sqlite");
  return {
    name: "sqlite",
    url: () => `sqlite://${file}`,
    open: (options = {}) => createStore({ url: `sqlite://${file}`, now: options.now }),
    fresh() {
      file = join(dir, randomUUID(), "shop.sqlite");
    },
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function redisFixture(): Promise<BackendFixture & { redis: RunningRedis }> {
  const redis = await startRedisServer();
  let keyPrefix = `test-${randomUUID()}`;
  return {
    name: "redis",
    redis,
    open: (options = {}) => createStore({ url: redis.url, keyPrefix, now: options.now }),
    fresh() {
      keyPrefix = `test-${randomUUID()}`;
    },
    teardown: () => redis.stop(),
  };
}

export const backendFactories = [
  ["sqlite", sqliteFixture],
  ["redis", redisFixture],
] as const;
