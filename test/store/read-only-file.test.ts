import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createStore } from "../../src/store/index.js";

/**
 * The shop's file can be read but not written by the bot's user: a backup restored as root while the bot runs
 * as another user, say. The start must name STORE_URL and the file, as it does for a folder it cannot write,
 * not end with SQLite's bare "attempt to write a readonly database".
 */

const dir = mkdtempSync(join(tmpdir(), "pallabot-readonly-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a shop file the bot's user may not write", () => {
  it("stops the start with a line that names STORE_URL and the file", async () => {
    const file = join(dir, "shop.sqlite");
    const store = await createStore({ url: `sqlite://${file}` });
    await store.close();
    // Readable by all, writable by none; the folder stays writable (SQLite keeps its journal beside the file).
    chmodSync(file, 0o444);
    chmodSync(dir, 0o777);
    // Root writes whatever the mode says: the start is tried as an unprivileged user then.
    const asAnotherUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", join(import.meta.dirname, "fixtures/open-store.ts"), `sqlite://${file}`], {
      ...asAnotherUser,
      cwd: process.cwd(),
      env: { ...process.env, TSX_TSCONFIG_PATH: join(process.cwd(), "tsconfig.json") },
      timeout: 30_000,
    });
    const outcome = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as { opened: boolean; message?: string };
    expect(outcome.opened).toBe(false);
    expect(outcome.message).toContain("STORE_URL");
    expect(outcome.message).toContain(file);
  });
});
