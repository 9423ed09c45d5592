import pino, { type DestinationStream, type Logger, type LevelWithSilent } from "pino";

export type { Logger };

/** Field names that may carry a secret anywhere in a log object. */
const REDACTED_PATHS = [
  "botToken",
  "token",
  "apiKey",
  "callbackToken",
  "secretToken",
  "webhookSecret",
  "password",
  "*.botToken",
  "*.token",
  "*.apiKey",
  "*.callbackToken",
  "*.secretToken",
  "*.webhookSecret",
  "headers.authorization",
  'headers["x-callback-token"]',
  'headers["x-telegram-bot-api-secret-token"]',
  "req.headers.authorization",
  'req.headers["x-callback-token"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  "config.headers.Authorization",
  "config.headers.authorization",
  "err.config.headers.Authorization",
  "err.config.headers.authorization",
  // What the bot sent Telegram (a GrammyError keeps it): a payment list names customers, numbers and amounts.
  "err.payload",
];

/**
 * The secrets every log line is scrubbed of. A list that grows: some secrets exist only once the app
 * runs (the webhook secret derived from the bot token, the sandbox's generated key and callback token).
 */
export interface SecretList {
  /** Values shorter than 6 characters are ignored: they would match ordinary text. */
  add(...secrets: readonly (string | undefined)[]): void;
  scrub(line: string): string;
}

export function createSecretList(initial: readonly (string | undefined)[] = []): SecretList {
  let forms: string[] = [];
  const list: SecretList = {
    add(...secrets) {
      const next = new Set(forms);
      for (const secret of secrets) {
        if (typeof secret !== "string" || secret.length < 6) continue;
        // As written, as a JSON string escapes it, and as it appears inside a URL.
        next.add(secret);
        next.add(JSON.stringify(secret).slice(1, -1));
        next.add(encodeURIComponent(secret));
      }
      // Longest first, so a secret that contains another is replaced whole.
      forms = [...next].sort((a, b) => b.length - a.length);
    },
    scrub(line) {
      let text = line;
      for (const form of forms) if (text.includes(form)) text = text.split(form).join("[REDACTED]");
      return text;
    },
  };
  list.add(...initial);
  return list;
}

/**
 * Text from outside (a proxy's description quoting the request's path, a fetch error naming its URL) with
 * anything shaped like a bot token (the bot's id, a colon, its secret) taken out. For text that is cut short
 * before it is logged: half a token is no longer the value the logger scrubs.
 */
export function hideBotTokens(text: string): string {
  return text.replace(/\d{5,}:[A-Za-z0-9_-]{6,}/g, "[REDACTED]");
}

/**
 * JSON logs (pino) that never carry a secret. Field redaction catches the obvious places; scrubbing the
 * final line by value catches the rest (a bot token inside a grammY error's URL, an API key echoed in an
 * upstream error message).
 */
export function createLogger(options: {
  level: LevelWithSilent;
  /** Fixed values, or a SecretList the app keeps adding to. */
  secrets?: readonly (string | undefined)[] | SecretList;
  destination?: DestinationStream;
  name?: string;
}): Logger {
  const secrets = options.secrets === undefined || Array.isArray(options.secrets) ? createSecretList(options.secrets ?? []) : (options.secrets as SecretList);
  return pino(
    {
      level: options.level,
      name: options.name ?? "pallabot",
      redact: { paths: REDACTED_PATHS, censor: "[REDACTED]" },
      hooks: { streamWrite: (line) => secrets.scrub(line) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** For tests and the terminal demo: a logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
