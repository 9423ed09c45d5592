import { describe, expect, it } from "vitest";
import { appPerTest } from "./support.js";

/**
 * An owner's first real start, with OWNER_IDS forgotten: the bot answers nobody, so the log says so once,
 * with what to do, instead of leaving the owner to wonder why the bot ignores them.
 */

const WARNING = "OWNER_IDS is empty: nobody can use the bot; set it to your Telegram user id";

const start = appPerTest("owner-ids", "toko_baru_bot");

async function startWith(env: Record<string, string>): Promise<{ msg?: string; level?: number }[]> {
  return (await start(env)).lines();
}

describe("the first start of a new shop's bot", () => {
  it("warns once, at start, when OWNER_IDS is unset", async () => {
    const lines = await startWith({});
    const warnings = lines.filter((l) => l.msg === WARNING);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.level).toBe(40);
    expect(lines.some((l) => l.msg === "pallabot started")).toBe(true);
  });

  it("says nothing of the kind when an owner is set", async () => {
    const lines = await startWith({ OWNER_IDS: "7101" });
    expect(lines.some((l) => l.msg === "pallabot started")).toBe(true);
    expect(lines.filter((l) => l.msg === WARNING)).toEqual([]);
  });
});
