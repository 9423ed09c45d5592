import { describe, expect, it } from "vitest";
import { appPerTest } from "./support.js";

/**
 * Sandbox mode runs the Palladium sandbox in the bot's process, on a port of its own. Its HTTP server's
 * start line read "Server listening at http://127.0.0.1:<port>", which an operator took for the bot's PORT.
 */

const start = appPerTest("sandbox-mode-log", "toko_coba_bot");

describe("the log of a start in sandbox mode", () => {
  it("names the sandbox on its listening line, and only the bot's own start line gives the bot's address", async () => {
    const { app, lines } = await start({ OWNER_IDS: "7101" });
    const all = lines() as Array<{ msg?: string; part?: string; url?: string }>;
    expect(all.filter((l) => l.msg?.startsWith("Server listening"))).toEqual([]);
    const sandboxLine = all.find((l) => l.msg?.startsWith("Palladium sandbox listening at "));
    expect(sandboxLine?.part).toBe("sandbox");
    expect(sandboxLine?.msg).toBe(`Palladium sandbox listening at ${app.sandbox?.url}`);
    expect(all.find((l) => l.msg === "pallabot started")?.url).toBe(app.url);
  });
});
