import { randomBytes } from "node:crypto";
import { z } from "zod";
import { CALLBACK_EVENTS, CALLBACK_PATHS, type CallbackEvent } from "../gateway/callbacks.js";
import { createLogger } from "../logger.js";
import { createSandbox } from "./sandbox.js";

/**
 * `npm run sandbox`: a local Palladium for development and demos. Everything it needs comes from the
 * environment; what it generates (key, callback token) it prints once, since nobody else knows them.
 */

const env = z
  .object({
    PORT: z
      .string()
      .regex(/^\d{1,5}$/, "PORT must be a port number")
      .transform(Number)
      .refine((n) => n < 65536, "PORT must be at most 65535")
      .default(4010),
    HOST: z.string().min(1).default("127.0.0.1"),
    // The bot refuses a shorter PALLAPI_KEY and PALLAPI_CALLBACK_TOKEN, so a sandbox that took one could not be used.
    SANDBOX_API_KEY: z.string().min(12, "SANDBOX_API_KEY must be at least 12 characters (the bot's PALLAPI_KEY is refused below that)").optional(),
    SANDBOX_CALLBACK_TOKEN: z
      .string()
      .min(16, "SANDBOX_CALLBACK_TOKEN must be at least 16 characters (the bot's PALLAPI_CALLBACK_TOKEN is refused below that)")
      .optional(),
    SANDBOX_CALLBACK_BASE_URL: z.url({ protocol: /^https?$/, error: "SANDBOX_CALLBACK_BASE_URL must be an http(s) URL" }).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v.trim() !== "")));

if (!env.success) {
  process.stderr.write(`Invalid sandbox configuration:\n${env.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`).join("\n")}\n`);
  process.exit(1);
}
const e = env.data;
const apiKey = e.SANDBOX_API_KEY ?? `pallapi_secret_development_${randomBytes(16).toString("hex")}`;
const callbackToken = e.SANDBOX_CALLBACK_TOKEN ?? randomBytes(24).toString("hex");
const base = e.SANDBOX_CALLBACK_BASE_URL?.replace(/\/+$/, "");
const callbackUrls: Partial<Record<CallbackEvent, string>> = base
  ? Object.fromEntries(CALLBACK_EVENTS.map((event) => [event, `${base}${CALLBACK_PATHS[event]}`]))
  : {};

// The logger scrubs the key and token from every line; only the banner below shows generated ones.
const logger = createLogger({ level: e.LOG_LEVEL, name: "sandbox", secrets: [apiKey, callbackToken] });
const sandbox = createSandbox({ apiKey, callbackToken, callbackUrls, logger });
const origin = await sandbox.listen({ port: e.PORT, host: e.HOST });

const lines = [
  `Palladium sandbox listening on ${origin}`,
  `  API base URL (PALLAPI_BASE_URL): ${origin}/api/v2`,
  e.SANDBOX_API_KEY ? "  API key: from SANDBOX_API_KEY" : `  API key (generated, set SANDBOX_API_KEY to fix it): ${apiKey}`,
  e.SANDBOX_CALLBACK_TOKEN
    ? "  callback token: from SANDBOX_CALLBACK_TOKEN"
    : `  callback token (generated, set SANDBOX_CALLBACK_TOKEN to fix it): ${callbackToken}`,
  base ? `  callbacks go to ${base}/callbacks/...` : "  callbacks: none sent (set SANDBOX_CALLBACK_BASE_URL, e.g. http://127.0.0.1:8080)",
  `  simulate: POST ${origin}/sandbox/simulate/virtual-accounts/<external_id>/pay, .../retail-payments/<external_id>/pay,`,
  `            .../disbursements/<external_id>/complete | /fail; inspect: GET ${origin}/sandbox/objects, /sandbox/callbacks`,
];
process.stdout.write(`${lines.join("\n")}\n`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void sandbox.close().then(() => process.exit(0));
  });
}
