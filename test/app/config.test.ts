import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_STORE_URL, SANDBOX_STORE_URL, loadConfig, storePassword } from "../../src/config.js";

/** What an operator puts in the environment, and what they hear back before anything starts. */

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

/** A token of @BotFather's shape (made up). */
const BOT_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

describe("the configuration an operator gives", () => {
  it("takes values as .env files write them: spaces around, upper-case log level, ids with spaces", () => {
    const config = loadConfig({ LOG_LEVEL: " INFO ", OWNER_IDS: " 111, 222 ,", PALLAPI_TIMEOUT_MS: "20000" });
    expect(config.logLevel).toBe("info");
    expect(config.ownerIds).toEqual([111, 222]);
    expect(config.pallapiTimeoutMs).toBe(20_000);
  });

  it("keeps sandbox mode's shop in a file of its own, so its make-believe payments never join the real shop's", () => {
    const key = { PALLAPI_KEY: "live_key_0123456789", PALLAPI_CALLBACK_TOKEN: "cb_token_0123456789", PALLAPI_BASE_URL: "https://pallapi.com/api/v2" };
    expect(loadConfig({ BOT_TOKEN }).storeUrl).toBe(SANDBOX_STORE_URL);
    expect(loadConfig({ BOT_TOKEN, ...key }).storeUrl).toBe(DEFAULT_STORE_URL);
    expect(SANDBOX_STORE_URL).not.toBe(DEFAULT_STORE_URL);
    expect(loadConfig({ BOT_TOKEN, STORE_URL: "sqlite://./shop.sqlite" }).storeUrl).toBe("sqlite://./shop.sqlite");
    expect(loadConfig({ BOT_TOKEN, ...key }).warnings).toEqual([]);
  });

  it("takes TRUST_PROXY as proxy addresses or ranges, and refuses anything else", () => {
    expect(loadConfig({ TRUST_PROXY: "127.0.0.1, 10.0.0.0/8" }).trustProxy).toBe("127.0.0.1, 10.0.0.0/8");
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: "loopback" }).trustProxy).toBe("loopback");
    for (const value of ["999.1.1.1", "10.0.0.0/99", "10.0.0.1/8/1"]) expect(problemsOf({ TRUST_PROXY: value }), value).toHaveLength(1);
    expect(problemsOf({ TRUST_PROXY: "true" })).toEqual([
      "TRUST_PROXY: TRUST_PROXY must be comma-separated addresses or CIDR ranges of your reverse proxies, e.g. 127.0.0.1 or 10.0.0.0/8",
    ]);
  });

  it("refuses a METRICS_TOKEN short enough to guess, without repeating it", () => {
    expect(problemsOf({ METRICS_TOKEN: "ab" })).toEqual(["METRICS_TOKEN: METRICS_TOKEN must be at least 16 characters"]);
    expect(loadConfig({ METRICS_TOKEN: "scrape-token-0123456789" }).metricsToken).toBe("scrape-token-0123456789");
  });

  it("warns of settings that start the bot but are likely not meant: gateway settings without a key, a live key on the QA gateway", () => {
    expect(loadConfig({ PALLAPI_BASE_URL: "https://pallapi.com/api/v2" }).warnings).toEqual([
      "PALLAPI_KEY is not set, so the bot runs on its in-process sandbox and ignores PALLAPI_BASE_URL",
    ]);
    // The dashboard's callback token set, the key under another name (PALLAPI_API_KEY): the real gateway was meant.
    const misspelt = loadConfig({ PALLAPI_API_KEY: "pallapi_secret_production_0123456789", PALLAPI_CALLBACK_TOKEN: "cb_token_0123456789", PALLAPI_BASE_URL: "https://pallapi.com/api/v2" });
    expect(misspelt.sandboxMode).toBe(true);
    expect(misspelt.warnings).toEqual([
      "PALLAPI_KEY is not set, so the bot runs on its in-process sandbox: no payment it makes is real, PALLAPI_CALLBACK_TOKEN only signs the sandbox's own callbacks and PALLAPI_BASE_URL is ignored. For the real gateway, check the name PALLAPI_KEY",
    ]);
    expect(JSON.stringify(misspelt.warnings)).not.toContain("cb_token_0123456789");
    const onQa = loadConfig({ PALLAPI_KEY: "key_0123456789", PALLAPI_CALLBACK_TOKEN: "cb_token_0123456789" });
    expect(onQa.pallapiBaseUrl).toBe("https://qa.pallapi.com/api/v2");
    expect(onQa.warnings).toEqual([
      "PALLAPI_BASE_URL is Palladium's QA gateway (qa.pallapi.com, the default): its payments are tests no bank pays; for real money set PALLAPI_BASE_URL=https://pallapi.com/api/v2",
    ]);
    expect(JSON.stringify(onQa.warnings)).not.toContain("key_0123456789");
  });

  it("warns of a notifier lease so short that a slow Telegram answer is sent again", () => {
    expect(loadConfig({ NOTIFIER_LEASE_MS: "5000" }).warnings).toEqual([
      "NOTIFIER_LEASE_MS is 5000: a notice Telegram takes longer than 2500 ms to answer is sent again, and the shop told twice; keep it at 20000 or more",
    ]);
    expect(loadConfig({ NOTIFIER_LEASE_MS: "20000" }).warnings).toEqual([]);
    expect(loadConfig({}).warnings).toEqual([]);
  });

  it("refuses to start without BOT_TOKEN where NODE_ENV=production (the Docker image), instead of playing the demo to nobody", () => {
    expect(problemsOf({ NODE_ENV: "production" })).toEqual([
      "BOT_TOKEN: not set; with NODE_ENV=production (as in the Docker image) the bot needs its token from @BotFather (the offline demo is for a terminal: unset NODE_ENV)",
    ]);
    expect(problemsOf({ NODE_ENV: "production", BOT_TOKEN: "123456:ABCdefGhIJKlmNoPQRstuVWXyz0123456789" })).toEqual([]);
    expect(problemsOf({})).toEqual([]);
  });

  it("refuses a gateway timeout no request could meet, or one Node cannot time", () => {
    for (const value of ["0", "1", "999", "600001", "2147483648"]) {
      expect(problemsOf({ PALLAPI_TIMEOUT_MS: value }), value).toEqual([
        "PALLAPI_TIMEOUT_MS: PALLAPI_TIMEOUT_MS must be between 1000 and 600000 (milliseconds)",
      ]);
    }
  });

  it("refuses a transfer maximum below the least a bank sends: no transfer could be made", () => {
    for (const value of ["0", "5000", "9999"]) {
      expect(problemsOf({ DISBURSE_MAX_AMOUNT: value }), value).toEqual(["DISBURSE_MAX_AMOUNT: must be at least 10000, the least a bank transfer sends"]);
    }
    expect(problemsOf({ DISBURSE_MAX_AMOUNT: "10000" })).toEqual([]);
    // And the daily limit under it, as before.
    expect(problemsOf({ DISBURSE_MAX_AMOUNT: "10000", DISBURSE_DAILY_LIMIT: "5000" })).toEqual(["DISBURSE_MAX_AMOUNT: must not exceed DISBURSE_DAILY_LIMIT"]);
  });

  it("refuses owner ids that are not Telegram user ids", () => {
    for (const value of ["0", "99999999999999999999", "12a", "-5"]) {
      expect(problemsOf({ OWNER_IDS: value }), value).toEqual([
        "OWNER_IDS: OWNER_IDS must be comma-separated Telegram user ids (digits, each above 0)",
      ]);
    }
  });

  it("refuses a gateway URL with a query, a fragment or credentials in it, without echoing it", () => {
    for (const value of ["https://qa.pallapi.com/api/v2?env=qa", "https://qa.pallapi.com/api/v2#x", "https://user:s3cret@qa.pallapi.com/api/v2"]) {
      const problems = problemsOf({ PALLAPI_BASE_URL: value });
      expect(problems, value).toEqual(["PALLAPI_BASE_URL: PALLAPI_BASE_URL must be a plain base URL, without ?query, #fragment or user:password@"]);
      expect(problems.join(" ")).not.toContain("s3cret");
    }
    expect(loadConfig({ PALLAPI_BASE_URL: "http://127.0.0.1:4010/api/v2/" }).pallapiBaseUrl).toBe("http://127.0.0.1:4010/api/v2");
  });

  it("sends the live API key only over https: a plain http:// gateway URL is refused unless it is this machine", () => {
    const live = { PALLAPI_KEY: "pallapi_secret_live_0123456789abcdef", PALLAPI_CALLBACK_TOKEN: "callback-token-0123456789" };
    for (const value of ["http://pallapi.com/api/v2", "http://qa.pallapi.com/api/v2", "http://10.0.0.7:4010/api/v2", "HTTP://pallapi.com/api/v2"]) {
      expect(problemsOf({ ...live, PALLAPI_BASE_URL: value }), value).toEqual([
        "PALLAPI_BASE_URL: must be an https:// URL (the API key travels in every request); plain http:// only for localhost",
      ]);
      // Without a key it would carry none today, but a key added later must not go out over it either.
      expect(problemsOf({ PALLAPI_BASE_URL: value }), value).toHaveLength(1);
    }
    for (const value of ["http://127.0.0.1:4010/api/v2", "http://127.1.2.3/api/v2", "http://localhost:4010/api/v2", "http://[::1]:4010/api/v2"]) {
      expect(loadConfig({ ...live, PALLAPI_BASE_URL: value }).pallapiBaseUrl, value).toBe(value);
    }
    expect(loadConfig({ ...live, PALLAPI_BASE_URL: "https://pallapi.com/api/v2" }).pallapiBaseUrl).toBe("https://pallapi.com/api/v2");
  });

  it("wants an https webhook URL for Telegram itself, and takes http for a self-hosted Bot API server", () => {
    const token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc";
    expect(problemsOf({ BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: "http://bot.example.com" })).toEqual([
      "TELEGRAM_WEBHOOK_URL: must be an https:// URL (Telegram sends webhooks over HTTPS only)",
    ]);
    expect(loadConfig({ BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: "https://bot.example.com" }).telegramWebhookUrl).toBe("https://bot.example.com");
    const local = loadConfig({ BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: "http://10.0.0.5:8080", TELEGRAM_API_ROOT: "http://10.0.0.2:8081" });
    expect(local.telegramWebhookUrl).toBe("http://10.0.0.5:8080");
  });

  it("refuses a Redis URL that is not one without repeating it, and knows its password to keep out of the logs", () => {
    const refused = "STORE_URL: STORE_URL must be sqlite://path/file.sqlite or redis://host:6379 (optionally redis://user:password@host:6379/<database number>, with % in the password written %25)";
    // A port, a database that is not a number, a password with a bare % (the Redis client threw with a stack).
    for (const url of ["redis://default:Sup3rS3cretPw@127.0.0.1:notaport", "redis://default:Sup3rS3cretPw@127.0.0.1:6379/notanumber", "redis://default:Sup3r%zzS3cretPw@127.0.0.1:6379"]) {
      const problems = problemsOf({ STORE_URL: url });
      expect(problems).toEqual([refused]);
      expect(problems.join(" ")).not.toContain("S3cretPw");
    }
    expect(loadConfig({ STORE_URL: "redis://default:pw@redis.internal:6379/2" }).storeUrl).toBe("redis://default:pw@redis.internal:6379/2");
    expect(storePassword(loadConfig({ STORE_URL: "redis://default:S%40cret-pw@redis.internal:6379" }).storeUrl)).toBe("S@cret-pw");
    expect(storePassword("redis://redis.internal:6379")).toBeUndefined();
    expect(storePassword("sqlite://./data/pallabot.sqlite")).toBeUndefined();
  });

  it("refuses secrets short enough to guess or copied in part, without repeating them", () => {
    const problems = problemsOf({ PALLAPI_KEY: "k3y", PALLAPI_CALLBACK_TOKEN: "abc", TELEGRAM_WEBHOOK_SECRET: "a" });
    expect(problems).toEqual([
      "TELEGRAM_WEBHOOK_SECRET: TELEGRAM_WEBHOOK_SECRET must be 16 to 256 characters of A-Z, a-z, 0-9, _ and - (or leave it unset: one is derived from BOT_TOKEN)",
      "PALLAPI_KEY: PALLAPI_KEY is too short to be a Palladium key: copy the whole Access Token from the dashboard",
      "PALLAPI_CALLBACK_TOKEN: PALLAPI_CALLBACK_TOKEN must be at least 16 characters: copy the whole callback token from the Palladium dashboard",
    ]);
    expect(problems.join(" ")).not.toContain("k3y");
    const config = loadConfig({ PALLAPI_KEY: "live_key_0123", PALLAPI_CALLBACK_TOKEN: "cb_token_0123456", TELEGRAM_WEBHOOK_SECRET: "webhook_secret_16" });
    expect([config.pallapiKey, config.pallapiCallbackToken, config.telegramWebhookSecret]).toEqual(["live_key_0123", "cb_token_0123456", "webhook_secret_16"]);
  });

  it("refuses a secret wrapped in quotes (docker's --env-file keeps them), without repeating it", () => {
    const problems = problemsOf({ PALLAPI_KEY: '"live_key_0123456789"', PALLAPI_CALLBACK_TOKEN: "'cb_token_from_dashboard_0123456789'" });
    expect(problems).toEqual([
      "PALLAPI_KEY: is wrapped in quotes; remove them (env files passed to docker or systemd keep quotes as part of the value)",
      "PALLAPI_CALLBACK_TOKEN: is wrapped in quotes; remove them (env files passed to docker or systemd keep quotes as part of the value)",
    ]);
    expect(problems.join(" ")).not.toContain("cb_token_from_dashboard");
    // A quote inside a value is the value's own.
    expect(loadConfig({ PALLAPI_KEY: "live_key_0123456789", PALLAPI_CALLBACK_TOKEN: "cb\"token'0123456789" }).pallapiCallbackToken).toBe("cb\"token'0123456789");
  });

  it("refuses a webhook URL that already ends in the path the bot adds (Telegram would post where nobody listens)", () => {
    const token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc";
    expect(problemsOf({ BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: "https://bot.example.com/telegram/updates/" })).toEqual([
      "TELEGRAM_WEBHOOK_URL: give the public base URL only; the bot adds /telegram/updates itself",
    ]);
    expect(loadConfig({ BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: "https://bot.example.com/shop-1" }).telegramWebhookUrl).toBe("https://bot.example.com/shop-1");
  });

  it("names every bad variable in one answer, and never repeats a secret's value", () => {
    const problems = problemsOf({ PORT: "70000", LOG_LEVEL: "loud", PALLAPI_KEY: "pallapi_live_secret_value_123456" });
    expect(problems).toEqual(
      expect.arrayContaining([
        "PORT: PORT must be between 1 and 65535",
        "LOG_LEVEL: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent",
        // A rule between two variables is named in the same answer, not only once the others are fixed.
        "PALLAPI_CALLBACK_TOKEN: required with PALLAPI_KEY (copy it from the Palladium dashboard)",
      ]),
    );
    expect(problems).toHaveLength(3);
    expect(problems.join(" ")).not.toContain("pallapi_live_secret_value_123456");
  });
});
