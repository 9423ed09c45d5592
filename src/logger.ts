import pino, { type DestinationStream, type Logger, type LevelWithSilent } from "pino";

export type { Logger };

/** Field names that may carry a secret anywhere in a log object. */
const REDACTED_PATHS = [
  "botToken",
  "token",
  "apiKey",
  "callbackToken",
  "secretToken",
  "password",
  "*.botToken",
  "*.token",
  "*.apiKey",
  "*.callbackToken",
  "*.secretToken",
  "headers.authorization",
  'headers["x-callback-token"]',
  'headers["x-telegram-bot-api-secret-token"]',
  "req.headers.authorization",
  'req.headers["x-callback-token"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  "config.headers.Authorization",
  "config.headers.authorization",
];

/**
 * JSON logs (pino) that never carry a secret. Field redaction catches the obvious places; scrubbing the
 * final line by value catches the rest (a bot token inside a grammY error's URL, an API key echoed in an
 * upstream error message).
 */
export function createLogger(options: {
  level: LevelWithSilent;
  secrets?: readonly (string | undefined)[];
  destination?: DestinationStream;
  name?: string;
}): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === "string" && s.length >= 6);
  const scrub = (line: string) => secrets.reduce((text, secret) => text.split(secret).join("[REDACTED]"), line);
  return pino(
    {
      level: options.level,
      name: options.name ?? "pallabot",
      redact: { paths: REDACTED_PATHS, censor: "[REDACTED]" },
      hooks: secrets.length > 0 ? { streamWrite: scrub } : {},
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** For tests and the terminal demo: a logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
