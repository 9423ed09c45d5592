import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalBotApi, privateChat, type LocalBotApi, type TelegramUser } from "../../src/telegram-local/index.js";
import { freePort, startAppProcess, tempFolder, type AppProcess } from "./support.js";

/**
 * Long polling that Telegram ends for good (409: another process polls with the same token, e.g. an old
 * container still running; 401: the token was revoked). The process must not stay up, healthy to look at
 * and deaf: it stops and exits non-zero, for its supervisor to restart it.
 */

const OWNER: TelegramUser = { id: 7301, first_name: "Bu Sari" };
let telegram: LocalBotApi;
let folder: ReturnType<typeof tempFolder>;
let run: AppProcess | undefined;

beforeAll(async () => {
  folder = tempFolder("polling-stops");
  telegram = createLocalBotApi({ botUsername: "toko_sari_bot" });
  await telegram.listen({ host: "127.0.0.1", port: 0 });
  telegram.addChat(privateChat(OWNER));
});
afterAll(async () => {
  if (run && run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
  await telegram.close();
  folder.remove();
});

describe("Telegram ends long polling for good", () => {
  it("a 409 Conflict stops the process with exit code 1 and says why", async () => {
    run = await startAppProcess(
      { BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, OWNER_IDS: String(OWNER.id), STORE_URL: folder.storeUrl, LOG_LEVEL: "info" },
      await freePort(),
    );
    telegram.failNext("getUpdates", 1, {
      error_code: 409,
      description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    });
    // A message ends the long poll in hand; the next getUpdates meets the conflict.
    telegram.sendText(OWNER, privateChat(OWNER), "/start");
    const exit = await run.exited;
    expect(exit).toEqual({ code: 1, signal: null });
    expect(run.stdout()).toContain("long polling stopped");
    expect(run.stdout()).toContain('"msg":"pallabot stopped"');
  }, 30_000);
});
