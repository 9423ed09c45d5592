import pino from "pino";
import { loadConfig, ConfigError, storePassword, type Config } from "./config.js";
import { createLogger, createSecretList, type Logger } from "./logger.js";
import { startApp } from "./app.js";
import { createI18n } from "./i18n.js";
import { DEMO_OWNER, runOfflineChat } from "./offline-demo.js";
import { StartError } from "./start-error.js";

/**
 * `npm start`: picks its mode from the environment (see README): the offline demo without BOT_TOKEN,
 * the real bot on the in-process sandbox without PALLAPI_KEY, production with both.
 */

const SHUTDOWN_DEADLINE_MS = 10_000;
const DEMO_STORE_URL = "sqlite://:memory:";

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      // Without BOT_TOKEN this is the offline demo, whose person reads a terminal: the problems as lines.
      // Otherwise JSON like every other line, so a log pipeline keeps it. The problems name variables, never values.
      if (!process.env.BOT_TOKEN?.trim()) {
        process.stderr.write(`${err.message}\n`);
        process.exit(1);
      }
      const logger = createLogger({ level: "info", destination: pino.destination({ dest: 2, sync: true }) });
      logger.fatal({ problems: err.problems }, err.message);
      process.exit(1);
    }
    throw err;
  }
  const offline = config.botToken === undefined;
  offlineDemo = offline;
  if (offline) {
    // The person at the terminal owns the demo shop; logs go to a file-free stderr at warn so the chat stays readable.
    // Its payments are make-believe and the sandbox forgets them when the demo ends, so the shop lives in
    // memory too: each run starts empty, and nothing of it lands among a real shop's payments in data/ or
    // counts against its daily transfer limit (unless STORE_URL says where to keep it).
    config = {
      ...config,
      ownerIds: [...new Set([...config.ownerIds, DEMO_OWNER.id])],
      logLevel: process.env.LOG_LEVEL ? config.logLevel : "warn",
      storeUrl: process.env.STORE_URL?.trim() ? config.storeUrl : DEMO_STORE_URL,
      // Its sandbox, callbacks and /metrics are for this machine only: nobody on the café's Wi-Fi needs them.
      host: process.env.HOST?.trim() ? config.host : "127.0.0.1",
    };
  }
  // The app adds the secrets it makes at start (the derived webhook secret, the sandbox's key and token).
  const secrets = createSecretList([
    config.botToken,
    config.pallapiKey,
    config.pallapiCallbackToken,
    config.telegramWebhookSecret,
    config.metricsToken,
    storePassword(config.storeUrl),
  ]);
  const logger = createLogger({
    level: config.logLevel,
    secrets,
    ...(offline ? { destination: pino.destination({ dest: 2, sync: false }) } : {}),
  });
  startupLogger = logger;

  // Signals count from the first moment: a SIGTERM during start ends the start's waits for Telegram or Redis
  // at once (the start then stops what it had started), and otherwise waits for the start, then stops cleanly.
  const startCut = new AbortController();
  const starting = startApp(config, logger, { portFallback: offline, secrets, signal: startCut.signal, onFatal: (reason) => void shutdown(reason, 1) });
  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string, exitCode = 0) => {
    stopping ??= (async () => {
      logger.info({ reason }, "shutting down");
      const deadline = setTimeout(() => {
        logger.error("shutdown took too long, exiting");
        logger.flush(() => process.exit(1));
      }, SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      const stopRequested = new Error(`stopped during the start (${reason})`);
      startCut.abort(stopRequested);
      let cutShort = false;
      const running = await starting.catch((err: unknown) => {
        cutShort = err === stopRequested;
        return undefined;
      });
      await running?.stop();
      // A start that failed by itself exits 1 (main's catch says why); one cut short by this stop ended as asked.
      logger.flush(() => process.exit(running || cutShort ? exitCode : 1));
    })();
    return stopping;
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  // A start cut short by a stop is not a failed start: shutdown() ends the process.
  const app = await starting.catch((err: unknown) => {
    if (stopping) return undefined;
    throw err;
  });
  if (app === undefined) return;

  if (offline && app.localTelegram && app.sandbox) {
    const port = Number(new URL(app.url).port || 80);
    const portTaken = port !== config.port ? { wanted: config.port, port } : undefined;
    await runOfflineChat({ telegram: app.localTelegram, sandbox: app.sandbox, store: app.store, i18n: createI18n(), input: process.stdin, output: process.stdout, portTaken });
    await shutdown("chat closed");
  }
}

/** Set once the configured logger exists, so a failed start is logged with its secrets scrubbed. */
let startupLogger: Logger | undefined;
/** Whether this run is the offline demo (no BOT_TOKEN), whose failed start is told at the terminal. */
let offlineDemo = false;

main().catch((err: unknown) => {
  const logger = startupLogger ?? createLogger({ level: "info", destination: pino.destination({ dest: 2, sync: true }) });
  if (err instanceof StartError) {
    // A setting to fix, not a bug: one line naming it; the stack only for whoever runs at debug.
    logger.debug({ err }, "pallabot failed to start");
    // The demo's person reads a terminal, not a log pipeline: the same line, as a sentence.
    if (offlineDemo) process.stderr.write(`${err.message}\n`);
    else logger.fatal({ variable: err.variable, code: err.code }, err.message);
  } else {
    logger.fatal({ err }, "pallabot failed to start");
  }
  logger.flush(() => process.exit(1));
});
