import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { NEWCOMER, OWNER, startWorld, textOf, type World } from "./world.js";

/**
 * Two owners; one of them (Andi) is taken out of OWNER_IDS and the bot restarted. An invite link Andi made
 * while he was an owner (valid 24 h) made its holder a cashier all the same, and told Andi her name and id.
 * Found by a review of who can do what.
 */
const FORMER_OWNER = { id: 1009, first_name: "Andi" };

let world: World | undefined;
let dir: string | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("an invite made by an owner who is no longer an owner", () => {
  it("does not make its holder a cashier", async () => {
    dir = mkdtempSync(join(tmpdir(), "pallabot-former-owner-"));
    const storeUrl = `sqlite://${join(dir, "shop.sqlite")}`;
    world = await startWorld({ storeUrl, botDeps: { ownerIds: [OWNER.id, FORMER_OWNER.id], newInviteCode: () => "former-owners-code" } });
    await world.say(FORMER_OWNER, "/start");
    const invite = await world.say(FORMER_OWNER, "/invite");
    const link = /https:\/\/t\.me\/toko_wati_bot\?start=inv_[A-Za-z0-9_-]+/.exec(textOf(invite))?.[0];
    expect(link).toBeDefined();
    await world.close();

    // The shop takes Andi out of OWNER_IDS and restarts the bot (same store).
    world = await startWorld({ storeUrl, botDeps: { ownerIds: [OWNER.id] } });
    const andi = await world.say(FORMER_OWNER, "/start");
    expect(textOf(andi)).toContain(String(FORMER_OWNER.id)); // refused: he is a stranger now

    world.telegram.openDeepLink(NEWCOMER, link ?? "");
    expect(textOf(await world.telegram.waitForBotMessage(NEWCOMER.id))).toContain("Minta tautan baru ke pemilik toko");
    expect(await world.store.access.getStaff(NEWCOMER.id)).toBeUndefined();
    // Nor is the former owner told a cashier joined: he was, with her name and Telegram id.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(world.telegram.botMessagesIn(FORMER_OWNER.id).map(textOf).filter((t) => t.includes("bergabung sebagai kasir"))).toEqual([]);
  });
});
