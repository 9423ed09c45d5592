import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, loadConfig } from "../../src/config.js";

/**
 * `docker compose up` passes the bot only the variables compose.yaml names: one left out is silently
 * its default in the container (an owner lowering DISBURSE_MAX_AMOUNT in .env would still transfer up to
 * the default). Every variable the app reads must be passed through, or pinned on purpose.
 */

const compose = readFileSync(new URL("../../compose.yaml", import.meta.url), "utf8");
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** `services.bot.environment` of compose.yaml, as written (no YAML library in the project: the block is plain `KEY: value` lines). */
function botEnvironment(text: string): Map<string, string> {
  const lines = text.split("\n");
  const bot = lines.findIndex((l) => /^ {2}bot:\s*$/.test(l));
  expect(bot).toBeGreaterThan(-1);
  const start = lines.findIndex((l, i) => i > bot && /^ {4}environment:\s*$/.test(l));
  expect(start).toBeGreaterThan(bot);
  const env = new Map<string, string>();
  for (const line of lines.slice(start + 1)) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const m = /^ {6}([A-Z0-9_]+):\s*(.*)$/.exec(line);
    if (!m) break;
    // A YAML scalar in quotes is the same string without them.
    env.set(m[1]!, m[2]!.trim().replace(/^"(.*)"$/, "$1"));
  }
  return env;
}

/** The variables of the README's "Configuration" table (first column). */
function readmeVariables(text: string): string[] {
  const section = text.split(/^## Configuration\s*$/m)[1]?.split(/^## /m)[0] ?? "";
  return [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]!);
}

// Fixed by compose.yaml on purpose: the store is the Redis service next to the bot, and the port and
// address are the container's own (the port mapping and the image's healthcheck use 8080).
const PINNED: Record<string, string> = { STORE_URL: "redis://redis:6379", PORT: "8080", HOST: "0.0.0.0" };

describe("compose.yaml passes the bot its whole configuration", () => {
  const env = botEnvironment(compose);

  it("the README's configuration table names every variable the app reads", () => {
    expect([...readmeVariables(readme)].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it("every variable the app reads is in the bot's environment", () => {
    const missing = CONFIG_VARIABLES.filter((name) => !env.has(name));
    expect(missing).toEqual([]);
  });

  it("each is taken from the operator's environment under its own name, except the pinned ones", () => {
    for (const name of CONFIG_VARIABLES) {
      const value = env.get(name);
      if (name in PINNED) expect(value, name).toBe(PINNED[name]);
      else expect(value, name).toMatch(new RegExp(`^\\$\\{${name}(:-|:\\?)[^}]*\\}$`));
    }
  });

  it("names nothing the app does not read", () => {
    expect([...env.keys()].filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
  });

  it("a variable the operator left unset reaches the app as an empty value, which counts as unset", () => {
    // `${VAR:-}` gives "" for an unset VAR: the app must then use its default, not refuse "" or read it as 0.
    const asComposePasses = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, ""]));
    expect(loadConfig(asComposePasses)).toEqual(loadConfig({}));
  });
});
