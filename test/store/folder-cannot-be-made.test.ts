import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

/**
 * STORE_URL names a file in folders that do not exist yet: they are made, or, where no folder can be made,
 * the start is refused with a line naming STORE_URL. In a child process, with a time limit: the start once
 * hung for good on a folder under /proc.
 */

const dir = mkdtempSync(join(tmpdir(), "pallabot-folders-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function openStore(url: string): Promise<{ opened: boolean; message?: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", join(import.meta.dirname, "fixtures/open-store.ts"), url], {
    cwd: process.cwd(),
    env: { ...process.env, TSX_TSCONFIG_PATH: join(process.cwd(), "tsconfig.json") },
    timeout: 20_000,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as { opened: boolean; message?: string };
}

describe("the folders of the shop's file", () => {
  it("are made when missing, several levels deep", async () => {
    const file = join(dir, "data", "shop", "pallabot.sqlite");
    expect(await openStore(`sqlite://${file}`)).toMatchObject({ opened: true });
    expect(existsSync(file)).toBe(true);
  });

  it("a folder that cannot be made (under /proc) stops the start with a line naming STORE_URL, instead of hanging", async () => {
    const outcome = await openStore("sqlite:///proc/pallabot-nowhere/shop/pallabot.sqlite");
    expect(outcome.opened).toBe(false);
    expect(outcome.message).toContain("STORE_URL");
    expect(outcome.message).toContain("/proc/pallabot-nowhere/shop/pallabot.sqlite");
  });
});
