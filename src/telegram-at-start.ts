import { setTimeout as sleep } from "node:timers/promises";
import { GrammyError, HttpError, type Api } from "grammy";
import { hideBotTokens, type Logger } from "./logger.js";
import { StartError } from "./start-error.js";
import { withTimeoutSignal } from "./deadline.js";

/**
 * Telegram calls the start depends on (getMe, deleteWebhook / setWebhook), tried until Telegram answers
 * for a bounded time in all. The bot's own Api retries network errors and 5xx without end (auto-retry, right
 * for a running bot); at start that was a silent wait of hours for a Telegram that cannot be reached. Here
 * each failed try is a warning (what failed, never the URL: it holds the token), and once the deadline is
 * near the start fails with a StartError naming the settings to look at. A stop requested meanwhile
 * (`signal`) ends the wait at once.
 */

/** The whole of the start's Telegram calls, tries and waits together. */
export const TELEGRAM_START_MS = 30_000;
/** One try: Telegram answers getMe in well under a second; a proxy that hangs should not eat the deadline. */
const ATTEMPT_MS = 10_000;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 5_000;
const DEFAULT_API_ROOT = "https://api.telegram.org";

/** grammY types its signal parameter with the abort-controller polyfill's AbortSignal; Node's is the same at runtime. */
export type GrammySignal = Parameters<Api["getMe"]>[0];

export interface TelegramAtStart {
  /**
   * `request` with a signal for this try. A refusal Telegram will repeat (a 4xx other than 429) is not tried
   * again: `refused` may turn it into the setting to fix; otherwise it is thrown as it is.
   */
  call<T>(method: string, request: (signal: GrammySignal) => Promise<T>, refused?: (error: GrammyError) => StartError | undefined): Promise<T>;
}

export function telegramAtStart(options: {
  apiRoot: string | undefined;
  logger: Pick<Logger, "warn">;
  /** Default TELEGRAM_START_MS; counted from now. */
  deadlineMs?: number | undefined;
  /** Aborted when the process is asked to stop during the start. */
  signal?: AbortSignal | undefined;
}): TelegramAtStart {
  const deadlineMs = options.deadlineMs ?? TELEGRAM_START_MS;
  const endsAt = Date.now() + deadlineMs;
  const where = printableRoot(options.apiRoot ?? DEFAULT_API_ROOT);
  const stopped = () => options.signal?.aborted === true;

  return {
    async call(method, request, refused) {
      for (let attempt = 1; ; attempt++) {
        if (stopped()) throw options.signal?.reason;
        const attemptMs = Math.max(1, Math.min(ATTEMPT_MS, endsAt - Date.now()));
        let error: unknown;
        let attemptSignal: AbortSignal | undefined;
        try {
          return await withTimeoutSignal(attemptMs, [options.signal], (signal) => {
            attemptSignal = signal;
            return request(signal as unknown as GrammySignal);
          });
        } catch (caught) {
          error = caught;
        }
        if (stopped()) throw options.signal?.reason;
        if (error instanceof GrammyError && error.error_code < 500 && error.error_code !== 429) throw refused?.(error) ?? error;
        if (!(error instanceof GrammyError) && !(error instanceof HttpError)) throw error;

        // Aborted and not stopped (that threw above): the attempt's time ran out.
        const reason = attemptSignal?.aborted === true ? `no answer within ${Math.round(attemptMs / 1000)} s` : reasonOf(error);
        const retryAfterS = error instanceof GrammyError ? error.parameters.retry_after : undefined;
        const waitMs = retryAfterS !== undefined ? retryAfterS * 1000 : Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1));
        const givingUp = Date.now() + waitMs >= endsAt;
        options.logger.warn(
          { method, attempt, reason, ...(givingUp ? {} : { retryInMs: waitMs }) },
          givingUp ? "Telegram did not answer at start; giving up" : "Telegram did not answer at start; trying again",
        );
        if (givingUp) {
          throw new StartError(
            "telegram_unreachable",
            "TELEGRAM_API_ROOT",
            `TELEGRAM_API_ROOT: Telegram at ${where} not reachable within ${Math.round(deadlineMs / 1000)} s (${reason}); ` +
              "check this machine's network and TELEGRAM_API_ROOT (BOT_TOKEN is checked once Telegram answers)",
            { cause: error },
          );
        }
        try {
          await sleep(waitMs, undefined, options.signal ? { signal: options.signal } : {});
        } catch {
          throw options.signal?.reason;
        }
      }
    },
  };
}

/** What went wrong, in a few words: a code or Telegram's own description, never a message with the URL in it. */
function reasonOf(error: GrammyError | HttpError): string {
  if (error instanceof GrammyError) return `${error.error_code} ${hideBotTokens(error.description).replace(/\s+/g, " ").slice(0, 120)}`;
  const cause = error.error as { code?: unknown; type?: unknown; name?: unknown } | undefined;
  if (typeof cause?.code === "string") return cause.code;
  // node-fetch: a body that is not JSON, e.g. a proxy's HTML error page.
  if (cause?.type === "invalid-json") return "not a Bot API answer (no JSON)";
  if (typeof cause?.type === "string") return cause.type;
  return typeof cause?.name === "string" ? cause.name : "network error";
}

/** The API root without a user or password (a proxy's), and without a trailing slash. */
function printableRoot(apiRoot: string): string {
  try {
    const url = new URL(apiRoot);
    url.username = "";
    url.password = "";
    return url.toString().replace(/\/$/, "");
  } catch {
    return "TELEGRAM_API_ROOT";
  }
}
