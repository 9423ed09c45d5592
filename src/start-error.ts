/**
 * A start that cannot succeed until the operator changes a setting: the environment variable to look at
 * and one line that says what is wrong with it. main.ts logs the message as it is (no stack: it is not a
 * bug), so the message names the variable first and never carries a secret (no token, no password).
 */
export type StartErrorCode = "telegram_unreachable" | "telegram_refused" | "store_unreachable" | "port_unusable" | "host_unusable";

export class StartError extends Error {
  constructor(
    readonly code: StartErrorCode,
    /** The environment variable to fix, e.g. "BOT_TOKEN". */
    readonly variable: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "StartError";
  }
}
