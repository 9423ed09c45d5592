import { afterEach, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../../src/app.js";
import { createLocalBotApi, type LocalBotApi } from "../../src/telegram-local/index.js";
import { configFrom, memoryLogger, tempFolder } from "./support.js";

/**
 * An owner's first real start, with OWNER_IDS forgotten: the bot answers nobody, so the log says so once,
 * with what to do, instead of leaving the owner to wonder why the bot ignores them.
 */

const WARNING = "OWNER_IDS is empty: nobody can use the bot; set it to your Telegram user id";

let telegram: LocalBotApi | undefined;
let app: RunningApp | undefined;
let folder: ReturnType<typeof tempFolder> | undefined;
afterEach(async () => {
  await app?.stop();
  await telegram?.close();
  folder?.remove();
  app = telegram = folder = undefined;
});

async function startWith(env: Record<string, string>): Promise<{ msg?: string; level?: number }[]> {
  folder = tempFolder("owner-ids");
  telegram = createLocalBotApi({ botUsername: "toko_baru_bot" });
  await telegram.listen({ host: "127.0.0.1", port: 0 });
  const logs = memoryLogger();
  const config = configFrom({ BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, STORE_URL: folder.storeUrl, ...env }, { port: 0 });
  app = await startApp(config, logs.logger, { secrets: logs.secrets });
  return logs.lines.map((l) => JSON.parse(l) as { msg?: string; level?: number });
}

describe("the first start of a new shop's bot", () => {
  it("warns once, at start, when OWNER_IDS is unset", async () => {
    const lines = await startWith({});
    const warnings = lines.filter((l) => l.msg === WARNING);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.level).toBe(40);
    expect(lines.some((l) => l.msg === "pallabot started")).toBe(true);
  });

  it("says nothing of the kind when an owner is set", async () => {
    const lines = await startWith({ OWNER_IDS: "7101" });
    expect(lines.some((l) => l.msg === "pallabot started")).toBe(true);
    expect(lines.filter((l) => l.msg === WARNING)).toEqual([]);
  });
});
