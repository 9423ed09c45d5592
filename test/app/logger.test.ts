import { GrammyError } from "grammy";
import { describe, expect, it } from "vitest";
import { memoryLogger } from "./support.js";

/** An operator ships the logs to a shared tool: no line may hand anyone the bot, the account or the webhook. */

const BOT_TOKEN = "7012345678:AAFakeTokenForLoggerTests_abcdefghij";
const API_KEY = "pallapi_live_logger_tests_0123456789";

describe("logs never carry a secret", () => {
  it("scrubs a bot token inside an error's text, as a network error's URL carries it", () => {
    const { logger, lines } = memoryLogger([BOT_TOKEN]);
    const cause = new Error(`request to http://127.0.0.1:8081/bot${BOT_TOKEN}/sendMessage failed, reason: socket hang up`);
    logger.error({ err: new Error("Network request for 'sendMessage' failed!", { cause }) }, "notification not sent");
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(BOT_TOKEN);
    expect(lines[0]).not.toContain(BOT_TOKEN.split(":")[1]);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ msg: "notification not sent" });
    expect(lines[0]).toContain("/bot[REDACTED]/sendMessage");
  });

  it("scrubs secrets the app makes after the logger exists, from then on", () => {
    const { logger, lines, secrets } = memoryLogger();
    const generated = "sandbox-callback-token-made-at-start-0123";
    secrets.add(generated);
    logger.info({ note: `token is ${generated}` }, "started");
    expect(lines.join("")).not.toContain(generated);
  });

  it("scrubs a secret as JSON escapes it and as a URL encodes it", () => {
    const odd = 'callback"token\\with/odd:chars';
    const { logger, lines } = memoryLogger([odd, BOT_TOKEN]);
    logger.warn({ echoed: odd, url: `https://example.test/?token=${encodeURIComponent(BOT_TOKEN)}` }, "echo");
    const line = lines[0] ?? "";
    expect(line).not.toContain(JSON.stringify(odd).slice(1, -1));
    expect(line).not.toContain(encodeURIComponent(BOT_TOKEN));
    expect(JSON.parse(line)).toMatchObject({ echoed: "[REDACTED]" });
  });

  it("redacts secret-bearing fields even when the value is not a known secret", () => {
    const { logger, lines } = memoryLogger([API_KEY]);
    logger.info(
      { headers: { authorization: "Bearer some-other-key", "x-callback-token": "presented-token", "x-telegram-bot-api-secret-token": "presented-secret" } },
      "request",
    );
    const entry = JSON.parse(lines[0] ?? "") as { headers: Record<string, string> };
    expect(entry.headers).toEqual({
      authorization: "[REDACTED]",
      "x-callback-token": "[REDACTED]",
      "x-telegram-bot-api-secret-token": "[REDACTED]",
    });
  });

  it("keeps what the bot sent Telegram out of a refused call's error: a payment list names customers, numbers and amounts", () => {
    const { logger, lines } = memoryLogger();
    const sent = { chat_id: 2002, text: "✅ BCA 8808123456789012 · Rp 150.000 · Siti Aminah" };
    const refused = new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" }, "sendMessage", sent);
    logger.error({ err: refused, updateId: 7 }, "update failed");
    const line = lines[0] ?? "";
    expect(line).not.toContain("Siti Aminah");
    expect(line).not.toContain("8808123456789012");
    // What the operator needs stays: the call and Telegram's answer.
    expect(JSON.parse(line)).toMatchObject({ err: { method: "sendMessage", error_code: 403, description: "Forbidden: bot was blocked by the user" } });
  });
});
