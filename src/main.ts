import { loadConfig, ConfigError, type Config } from "./config.js";
import { createLogger } from "./logger.js";
import { startApp } from "./app.js";
import { createI18n } from "./i18n.js";
import { DEMO_OWNER, runOfflineChat } from "./offline-demo.js";

/**
 * `npm start`: picks its mode from the environment (see README): the offline demo without BOT_TOKEN,
 * the real bot on the in-process sandbox without PALLAPI_KEY, production with both.
 */

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const offline = config.botToken === undefined;
  if (offline) {
    // The person at the terminal owns the demo shop; logs go to a file-free stderr at warn so the chat stays readable.
    config = { ...config, ownerIds: [...new Set([...config.ownerIds, DEMO_OWNER.id])], logLevel: process.env.LOG_LEVEL ? config.logLevel : "warn" };
  }
  const logger = createLogger({
    level: config.logLevel,
    secrets: [config.botToken, config.pallapiKey, config.pallapiCallbackToken, config.telegramWebhookSecret],
    ...(offline ? { destination: (await import("pino")).default.destination({ dest: 2, sync: false }) } : {}),
  });

  const app = await startApp(config, logger, { portFallback: offline });

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      logger.info({ reason }, "shutting down");
      const deadline = setTimeout(() => {
        logger.error("shutdown took too long, exiting");
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      await app.stop();
      logger.flush();
      process.exit(0);
    })();
    return stopping;
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));

  if (offline && app.localTelegram && app.sandbox) {
    const i18n = createI18n();
    process.stdout.write(`${i18n.t("id", "demo-welcome")}\n`);
    await runOfflineChat({ telegram: app.localTelegram, sandbox: app.sandbox, store: app.store, i18n, input: process.stdin, output: process.stdout });
    await shutdown("chat closed");
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`pallabot failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
