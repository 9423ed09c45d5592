import { afterEach, describe, expect, it } from "vitest";
import { CASHIER, NEWCOMER, OWNER, startWorld, textOf, type World, SHOP_GROUP as group } from "./world.js";

/**
 * The owner's staff tools as the shop uses them: invites asked for in the shop group (the link itself only
 * ever goes out privately), and the notices the bot sends to the *other* person (the owner when a cashier
 * joins, the cashier when the owner removes them), each in that person's own language.
 */

let world: World;
afterEach(async () => {
  await world.close();
});


/** Invite codes the story can name: inv-code-1, inv-code-2, ... */
async function startShop() {
  let invites = 0;
  world = await startWorld({ staff: [CASHIER], botDeps: { newInviteCode: () => `inv-code-${++invites}` } });
}

async function chooseEnglish(user: typeof OWNER) {
  const ask = await world.say(user, "/language");
  const done = await world.press(user, ask, { text: "🇬🇧 English" });
  expect(textOf(done)).not.toContain("Bahasa");
}

describe("the owner asks for a cashier invite in the shop group", () => {
  it("is told in the group to open a private chat with the bot first when they never have, and the link made for nothing does not work", async () => {
    await startShop();
    world.telegram.addBotToGroup(group, OWNER);
    const menu = await world.say(OWNER, "/start", group);

    const pressed = await world.press(OWNER, menu, { text: "➕ Undang kasir" });
    expect(textOf(pressed)).toContain("Buka chat pribadi dengan bot ini");
    expect(textOf(pressed)).toContain("https://t.me/toko_wati_bot");
    expect(textOf(pressed)).not.toContain("start=inv_");

    const typed = await world.say(OWNER, "/invite", group);
    expect(textOf(typed)).toContain("Buka chat pribadi dengan bot ini");
    expect(textOf(typed)).toContain("https://t.me/toko_wati_bot");

    // Nobody saw those links, and nobody can use them: a stranger who guesses one is not let in.
    for (const code of ["inv-code-1", "inv-code-2"]) {
      world.telegram.openDeepLink(NEWCOMER, `inv_${code}`);
      const refused = await world.telegram.waitForBotMessage(NEWCOMER.id);
      expect(textOf(refused)).toContain("sudah dipakai atau sudah kedaluwarsa");
    }
    expect(await world.store.access.getStaff(NEWCOMER.id)).toBeUndefined();
  });

  it("is told the same when they have blocked the bot", async () => {
    await startShop();
    world.telegram.addBotToGroup(group, OWNER);
    await world.say(OWNER, "/start");
    world.telegram.blockBot(OWNER);

    const typed = await world.say(OWNER, "/invite", group);
    expect(textOf(typed)).toContain("Buka chat pribadi dengan bot ini");
    expect(textOf(typed)).toContain("https://t.me/toko_wati_bot");
  });

  it("hears in the group that the link went to their private chat, where it arrives and works", async () => {
    await startShop();
    world.telegram.addBotToGroup(group, OWNER);
    await world.say(OWNER, "/start");
    const menu = await world.say(OWNER, "/start", group);

    const mark = world.telegram.mark();
    const acknowledged = await world.press(OWNER, menu, { text: "➕ Undang kasir" });
    expect(textOf(acknowledged)).toBe("Tautan undangan sudah dikirim lewat chat pribadi.");
    const invite = await world.telegram.waitForBotMessage(OWNER.id, { since: mark });
    expect(textOf(invite)).toContain("https://t.me/toko_wati_bot?start=inv_inv-code-1");

    world.telegram.openDeepLink(NEWCOMER, "https://t.me/toko_wati_bot?start=inv_inv-code-1");
    const welcome = await world.telegram.waitForBotMessage(NEWCOMER.id);
    expect(textOf(welcome)).toContain("Selamat datang, Dewi");
    expect(await world.store.access.getStaff(NEWCOMER.id)).toMatchObject({ userId: NEWCOMER.id, addedBy: OWNER.id });
  });
});

describe("notices to another person are in that person's language", () => {
  it("an English-speaking owner is told in English that a cashier joined, and she is told in Indonesian that she was removed", async () => {
    await startShop();
    await chooseEnglish(OWNER);
    const invite = await world.say(OWNER, "/invite");
    expect(textOf(invite)).toContain("Send this link to the new cashier");

    world.telegram.openDeepLink(NEWCOMER, "https://t.me/toko_wati_bot?start=inv_inv-code-1");
    const notice = await world.telegram.waitForBotMessage(OWNER.id);
    expect(textOf(notice)).toBe(`✅ Dewi (ID ${NEWCOMER.id}) joined as a cashier.`);
    const welcome = await world.telegram.waitForBotMessage(NEWCOMER.id);
    expect(textOf(welcome)).toContain("Selamat datang, Dewi");

    const list = await world.say(OWNER, "/staff");
    const mark = world.telegram.mark();
    const removed = await world.press(OWNER, list, { text: "✖ Remove Dewi" });
    expect(textOf(removed)).toBe("Dewi is no longer a cashier.");
    const told = await world.telegram.waitForBotMessage(NEWCOMER.id, { since: mark });
    expect(textOf(told)).toBe("Akses Anda sebagai kasir sudah dicabut oleh pemilik toko.");
  });

  it("a cashier who chose English is told in English when the Indonesian-speaking owner removes them", async () => {
    await startShop();
    await chooseEnglish(CASHIER);

    const list = await world.say(OWNER, "/staff");
    const mark = world.telegram.mark();
    const removed = await world.press(OWNER, list, { text: "✖ Hapus Rina" });
    expect(textOf(removed)).toBe("Rina tidak lagi menjadi kasir.");
    const told = await world.telegram.waitForBotMessage(CASHIER.id, { since: mark });
    expect(textOf(told)).toBe("The shop owner has removed your cashier access.");
  });
});
