import { isIP } from "node:net";
import { z } from "zod";
import { LEAST_DISBURSEMENT } from "./domain/limits.js";

/**
 * The environment, read once and validated. Every bad variable is named in one error, so an operator
 * fixes them all in one go rather than one restart at a time.
 */

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Where Telegram posts updates in webhook mode: appended to TELEGRAM_WEBHOOK_URL. */
export const TELEGRAM_WEBHOOK_PATH = "/telegram/updates";

/** The variables whose value is a secret copied from somewhere: a quote around one is no part of it. */
const SECRET_NAMES = ["BOT_TOKEN", "PALLAPI_KEY", "PALLAPI_CALLBACK_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "METRICS_TOKEN"] as const;

const digitsToInt = (name: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine(Number.isSafeInteger, `${name} is too large`);

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .optional();

const parsedUrl = (s: string) => {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
};

/** This machine: localhost, 127.0.0.0/8 or ::1 (as URL.hostname writes them). */
function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * A base URL the app appends paths to: a query, a fragment or credentials in it would end up in the middle
 * of every request's URL (or in logs), so they are refused here rather than failing at the first request.
 */
const url = (name: string) =>
  z
    .string()
    .trim()
    .refine((s) => ["http:", "https:"].includes(parsedUrl(s)?.protocol ?? ""), `${name} must be an http(s) URL`)
    .refine((s) => {
      const u = parsedUrl(s);
      return u === undefined || (u.search === "" && u.hash === "" && u.username === "" && u.password === "");
    }, `${name} must be a plain base URL, without ?query, #fragment or user:password@`)
    .transform((s) => s.replace(/\/+$/, ""));

const envSchema = z.object({
  BOT_TOKEN: optionalString.refine((s) => s === undefined || /^\d+:[A-Za-z0-9_-]{20,}$/.test(s), {
    message: "BOT_TOKEN does not look like a token from @BotFather (digits:letters)",
  }),
  TELEGRAM_API_ROOT: optionalString.pipe(url("TELEGRAM_API_ROOT").optional()),
  TELEGRAM_WEBHOOK_URL: optionalString.pipe(url("TELEGRAM_WEBHOOK_URL").optional()),
  // Whoever guesses it can post updates "from" the owner (a transfer included); Telegram takes 1 to 256
  // characters, but a short one is guessed in seconds.
  TELEGRAM_WEBHOOK_SECRET: optionalString.refine((s) => s === undefined || /^[A-Za-z0-9_-]{16,256}$/.test(s), {
    message: "TELEGRAM_WEBHOOK_SECRET must be 16 to 256 characters of A-Z, a-z, 0-9, _ and - (or leave it unset: one is derived from BOT_TOKEN)",
  }),
  OWNER_IDS: z
    .string()
    .default("")
    .refine((s) => s.split(",").every((p) => p.trim() === "" || (/^\d+$/.test(p.trim()) && Number.isSafeInteger(Number(p)) && Number(p) > 0)), {
      message: "OWNER_IDS must be comma-separated Telegram user ids (digits, each above 0)",
    })
    .transform((s) =>
      s
        .split(",")
        .map((p) => p.trim())
        .filter((p) => p !== "")
        .map(Number),
    ),
  STORE_URL: z
    .string()
    .trim()
    .optional()
    .refine((s) => s === undefined || /^sqlite:\/\/.+$/.test(s) || (/^rediss?:\/\/.+$/.test(s) && isRedisUrl(s)), {
      message: "STORE_URL must be sqlite://path/file.sqlite or redis://host:6379 (optionally redis://user:password@host:6379/<database number>, with % in the password written %25)",
    }),
  PALLAPI_BASE_URL: url("PALLAPI_BASE_URL").optional(),
  // A real key or token is far longer: a short value is a part copied by mistake, and one under 6 characters
  // would not even be taken out of the logs. A callback token anyone can guess forges every "paid" notice.
  PALLAPI_KEY: optionalString.refine((s) => s === undefined || s.length >= 12, "PALLAPI_KEY is too short to be a Palladium key: copy the whole Access Token from the dashboard"),
  PALLAPI_CALLBACK_TOKEN: optionalString.refine(
    (s) => s === undefined || s.length >= 16,
    "PALLAPI_CALLBACK_TOKEN must be at least 16 characters: copy the whole callback token from the Palladium dashboard",
  ),
  // Below a second nothing could answer in time; above ten minutes a hung gateway holds a cashier for good
  // (and past 2^31-1 ms Node's timer would fire after 1 ms instead).
  PALLAPI_TIMEOUT_MS: digitsToInt("PALLAPI_TIMEOUT_MS")
    .refine((n) => n >= 1_000 && n <= 600_000, "PALLAPI_TIMEOUT_MS must be between 1000 and 600000 (milliseconds)")
    .default(15_000),
  PORT: digitsToInt("PORT")
    .refine((n) => n > 0 && n < 65536, "PORT must be between 1 and 65535")
    .default(8080),
  HOST: z.string().trim().default("0.0.0.0"),
  // The reverse proxies in front (their addresses or CIDR ranges, comma-separated): their X-Forwarded-For is
  // believed for the client's address in the logs. Unset: nobody's is (anyone could write one).
  TRUST_PROXY: z
    .string()
    .trim()
    .optional()
    .refine((s) => s === undefined || s.split(",").every((part) => isProxyAddress(part.trim())), {
      message: "TRUST_PROXY must be comma-separated addresses or CIDR ranges of your reverse proxies, e.g. 127.0.0.1 or 10.0.0.0/8",
    }),
  LOG_LEVEL: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.enum(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}` }))
    .default("info"),
  DISBURSE_MAX_AMOUNT: digitsToInt("DISBURSE_MAX_AMOUNT").default(25_000_000),
  DISBURSE_DAILY_LIMIT: digitsToInt("DISBURSE_DAILY_LIMIT").default(50_000_000),
  // Anyone who reaches the port may try it: a short one is guessed (the secret list also skips values under 6).
  METRICS_TOKEN: optionalString.refine((s) => s === undefined || s.length >= 16, "METRICS_TOKEN must be at least 16 characters"),
  NOTIFIER_LEASE_MS: digitsToInt("NOTIFIER_LEASE_MS")
    .refine((n) => n >= 1_000, "NOTIFIER_LEASE_MS must be at least 1000")
    .default(60_000),
});

/** Half of it is the longest a notice's send may take before it is cut off and tried again (see the notifier). */
const MIN_SAFE_LEASE_MS = 20_000;

/**
 * Where the shop lives when STORE_URL is unset. Sandbox mode keeps its own file: its simulated payments and
 * transfers must never turn up among the real shop's payments, or count against its daily transfer limit,
 * once PALLAPI_KEY is set.
 */
/** Palladium's QA gateway, as DESIGN.md names it: where a new integration starts (warned of in production mode). */
const DEFAULT_GATEWAY_URL = "https://qa.pallapi.com/api/v2";
export const DEFAULT_STORE_URL = "sqlite://./data/pallabot.sqlite";
export const SANDBOX_STORE_URL = "sqlite://./data/pallabot-sandbox.sqlite";

/** An address or CIDR range fastify's trustProxy takes, or one of its names for a kind of address. */
function isProxyAddress(text: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(text)) return true;
  const [address = "", prefix, ...rest] = text.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/** Every variable the app reads (the README's configuration table and compose.yaml name each one). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export type Config = Readonly<{
  botToken: string | undefined;
  telegramApiRoot: string | undefined;
  telegramWebhookUrl: string | undefined;
  telegramWebhookSecret: string | undefined;
  ownerIds: readonly number[];
  storeUrl: string;
  pallapiBaseUrl: string;
  pallapiKey: string | undefined;
  pallapiCallbackToken: string | undefined;
  pallapiTimeoutMs: number;
  port: number;
  host: string;
  /** TRUST_PROXY: the proxies whose X-Forwarded-For gives the client's address; undefined trusts none. */
  trustProxy: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  disburseMaxAmount: number;
  disburseDailyLimit: number;
  /** How long a notification claimed by an instance stays its own; a crashed instance's work returns after it. */
  notifierLeaseMs: number;
  /** When set, GET /metrics answers only `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** No PALLAPI_KEY: the bot talks to the in-process sandbox and says so. */
  sandboxMode: boolean;
  /** Settings that start the bot but are likely not what the operator meant: logged once at start. */
  warnings: readonly string[];
}>;

const QA_GATEWAY_HOST = /^qa\./i;

/** A Redis URL the client can use: a host, a database number or nothing after it, and user and password decodable. */
function isRedisUrl(s: string): boolean {
  const u = parsedUrl(s);
  if (u === undefined || u.hostname === "" || !/^\/?(\d+)?$/.test(u.pathname)) return false;
  try {
    decodeURIComponent(u.username);
    decodeURIComponent(u.password);
    return true;
  } catch {
    return false;
  }
}

/** The password in a redis:// STORE_URL (redis://user:password@host), for the logger to keep out of its lines. */
export function storePassword(storeUrl: string): string | undefined {
  if (!/^rediss?:\/\//.test(storeUrl)) return undefined;
  const password = parsedUrl(storeUrl)?.password;
  return password ? decodeURIComponent(password) : undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = envSchema.safeParse(present);
  // Never echo a value: it may be a secret. Every problem at once, the ones between two variables too, so
  // the operator fixes the environment in one go.
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`);
  const raw = (name: string): string | undefined => present[name]?.trim();
  if (raw("PALLAPI_KEY") && !raw("PALLAPI_CALLBACK_TOKEN")) {
    problems.push("PALLAPI_CALLBACK_TOKEN: required with PALLAPI_KEY (copy it from the Palladium dashboard)");
  }
  // docker --env-file and systemd's EnvironmentFile keep quotes as part of the value: a quoted callback token
  // was taken as is, and every paid callback then refused with 401 while customers paid.
  for (const name of SECRET_NAMES) {
    if (/^(["']).*\1$/s.test(raw(name) ?? "")) problems.push(`${name}: is wrapped in quotes; remove them (env files passed to docker or systemd keep quotes as part of the value)`);
  }
  const webhookUrl = raw("TELEGRAM_WEBHOOK_URL");
  if (webhookUrl && !raw("BOT_TOKEN")) problems.push("TELEGRAM_WEBHOOK_URL: needs BOT_TOKEN as well");
  // The bot adds the path itself; given twice, Telegram posts to a path nobody serves and the bot hears nothing.
  if (webhookUrl?.replace(/\/+$/, "").endsWith(TELEGRAM_WEBHOOK_PATH)) {
    problems.push(`TELEGRAM_WEBHOOK_URL: give the public base URL only; the bot adds ${TELEGRAM_WEBHOOK_PATH} itself`);
  }
  // Telegram delivers webhooks over HTTPS only; a self-hosted Bot API server (TELEGRAM_API_ROOT) takes plain HTTP.
  if (webhookUrl?.startsWith("http:") && !raw("TELEGRAM_API_ROOT")) {
    problems.push("TELEGRAM_WEBHOOK_URL: must be an https:// URL (Telegram sends webhooks over HTTPS only)");
  }
  // The API key travels in every gateway request: over plain http only to this machine (a local sandbox or stub).
  const gatewayUrl = parsedUrl(raw("PALLAPI_BASE_URL") ?? DEFAULT_GATEWAY_URL);
  if (gatewayUrl?.protocol === "http:" && !isLoopbackHost(gatewayUrl.hostname)) {
    problems.push("PALLAPI_BASE_URL: must be an https:// URL (the API key travels in every request); plain http:// only for localhost");
  }
  // The Docker image sets NODE_ENV=production and has no terminal: without BOT_TOKEN it played the offline
  // demo to /dev/null and exited 0 at once, a silent restart loop under a restart policy.
  if (raw("NODE_ENV") === "production" && !raw("BOT_TOKEN")) {
    problems.push("BOT_TOKEN: not set; with NODE_ENV=production (as in the Docker image) the bot needs its token from @BotFather (the offline demo is for a terminal: unset NODE_ENV)");
  }
  // Below the least any bank takes, every amount the owner types is refused, and /kirimdana asks for one
  // "between Rp 10.000 and Rp 10.000" for ever.
  if (parsed.success && parsed.data.DISBURSE_MAX_AMOUNT < LEAST_DISBURSEMENT) {
    problems.push(`DISBURSE_MAX_AMOUNT: must be at least ${LEAST_DISBURSEMENT}, the least a bank transfer sends`);
  }
  if (parsed.success && parsed.data.DISBURSE_MAX_AMOUNT > parsed.data.DISBURSE_DAILY_LIMIT) {
    problems.push("DISBURSE_MAX_AMOUNT: must not exceed DISBURSE_DAILY_LIMIT");
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;
  const warnings: string[] = [];
  // The sandbox signs its own callbacks with PALLAPI_CALLBACK_TOKEN when one is set: only the URL goes unused.
  // A callback token from the dashboard says the real gateway was meant: PALLAPI_KEY is likely misspelt.
  if (e.PALLAPI_KEY === undefined && e.PALLAPI_CALLBACK_TOKEN !== undefined) {
    warnings.push(
      `PALLAPI_KEY is not set, so the bot runs on its in-process sandbox: no payment it makes is real, PALLAPI_CALLBACK_TOKEN only signs the sandbox's own callbacks${e.PALLAPI_BASE_URL !== undefined ? " and PALLAPI_BASE_URL is ignored" : ""}. For the real gateway, check the name PALLAPI_KEY`,
    );
  } else if (e.PALLAPI_KEY === undefined && e.PALLAPI_BASE_URL !== undefined) {
    warnings.push("PALLAPI_KEY is not set, so the bot runs on its in-process sandbox and ignores PALLAPI_BASE_URL");
  }
  // A send is cut off after half the lease; Telegram may have posted it all the same, and it is sent again.
  if (e.NOTIFIER_LEASE_MS < MIN_SAFE_LEASE_MS) {
    warnings.push(
      `NOTIFIER_LEASE_MS is ${e.NOTIFIER_LEASE_MS}: a notice Telegram takes longer than ${Math.floor(e.NOTIFIER_LEASE_MS / 2)} ms to answer is sent again, and the shop told twice; keep it at ${MIN_SAFE_LEASE_MS} or more`,
    );
  }
  // A key from Palladium's QA dashboard works against QA: the cashier would hand customers VAs no bank pays.
  if (e.PALLAPI_KEY !== undefined && QA_GATEWAY_HOST.test(gatewayUrl?.hostname ?? "")) {
    warnings.push(
      `PALLAPI_BASE_URL is Palladium's QA gateway (${gatewayUrl?.host ?? ""}${e.PALLAPI_BASE_URL === undefined ? ", the default" : ""}): its payments are tests no bank pays; for real money set PALLAPI_BASE_URL=https://pallapi.com/api/v2`,
    );
  }
  return {
    botToken: e.BOT_TOKEN,
    telegramApiRoot: e.TELEGRAM_API_ROOT,
    telegramWebhookUrl: e.TELEGRAM_WEBHOOK_URL,
    telegramWebhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
    ownerIds: e.OWNER_IDS,
    storeUrl: e.STORE_URL ?? (e.PALLAPI_KEY === undefined ? SANDBOX_STORE_URL : DEFAULT_STORE_URL),
    pallapiBaseUrl: e.PALLAPI_BASE_URL ?? DEFAULT_GATEWAY_URL,
    pallapiKey: e.PALLAPI_KEY,
    pallapiCallbackToken: e.PALLAPI_CALLBACK_TOKEN,
    pallapiTimeoutMs: e.PALLAPI_TIMEOUT_MS,
    port: e.PORT,
    host: e.HOST,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    disburseMaxAmount: e.DISBURSE_MAX_AMOUNT,
    disburseDailyLimit: e.DISBURSE_DAILY_LIMIT,
    notifierLeaseMs: e.NOTIFIER_LEASE_MS,
    metricsToken: e.METRICS_TOKEN,
    sandboxMode: e.PALLAPI_KEY === undefined,
    warnings,
  };
}
