import { createClient } from "@redis/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore } from "../../src/store/index.js";
import { startRedisServer, type RunningRedis } from "../support/redis-server.js";

/**
 * A Redis that evicts keys when full (volatile-lru: the default of several managed services) drops the keys
 * that expire first, the day's transfer counter among them: the daily limit started again as if nothing had
 * been sent, and nothing said why. The start now says so, naming the setting.
 */

let redis: RunningRedis;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

async function policy(value: string): Promise<void> {
  const admin = createClient({ url: redis.url });
  await admin.connect();
  await admin.configSet("maxmemory-policy", value);
  await admin.quit();
}

async function startWarnings(): Promise<Array<{ obj: object; msg?: string | undefined }>> {
  const warnings: Array<{ obj: object; msg?: string | undefined }> = [];
  const store = await createStore({ url: redis.url, logger: { info: () => undefined, error: () => undefined, warn: (obj, msg) => warnings.push({ obj, msg }) } });
  await store.close();
  return warnings;
}

describe("a Redis STORE_URL that evicts keys when full", () => {
  it("is named at start with its policy", async () => {
    await policy("volatile-lru");
    const warnings = await startWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.obj).toEqual({ maxmemoryPolicy: "volatile-lru" });
    expect(warnings[0]?.msg).toContain("set maxmemory-policy noeviction");
  });

  it("says nothing with noeviction (Redis's default)", async () => {
    await policy("noeviction");
    expect(await startWarnings()).toEqual([]);
  });
});
