import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CASHIER, NEWCOMER, OWNER, STRANGER, startWorld, textOf, type World } from "./world.js";

let world: World;
beforeEach(async () => {
  world = await startWorld({ staff: [CASHIER] });
});
afterEach(async () => {
  await world.close();
});

describe("only the shop's people are served", () => {
  it("refuses a stranger, tells them their id, and nothing works for them", async () => {
    const refusal = await world.say(STRANGER, "/start");
    expect(textOf(refusal)).toContain("hanya untuk pemilik dan kasir");
    expect(textOf(refusal)).toContain(String(STRANGER.id));
    for (const attempt of ["/va", "/alfamart", "/payments", "/invite", "Siti Aminah", "150000"]) {
      const answer = await world.say(STRANGER, attempt);
      expect(textOf(answer)).toContain(String(STRANGER.id));
      expect(textOf(answer)).not.toContain("Pilih bank");
    }
    expect(await world.store.access.getStaff(STRANGER.id)).toBeUndefined();
    expect(world.sandbox.stats().createRequests["create-virtual-account"]).toBe(0);
  });

  it("answers text it does not understand in a private chat, and shows the owner how to send money in /help", async () => {
    expect(textOf(await world.say(CASHIER, "halo"))).toContain("Ketik /start untuk menu");
    const cashierHelp = textOf(await world.say(CASHIER, "/help"));
    expect(cashierHelp).toContain("/pembayaran");
    expect(cashierHelp).not.toContain("/kirimdana");
    expect(textOf(await world.say(OWNER, "/help"))).toContain("/kirimdana");
  });

  it("lets an owner invite a cashier with a link that works once", async () => {
    const menu = await world.say(OWNER, "/start");
    expect(textOf(menu)).toContain("pemilik toko");
    const invite = await world.press(OWNER, menu, { text: "➕ Undang kasir" });
    const link = /https:\/\/t\.me\/toko_wati_bot\?start=inv_[A-Za-z0-9_-]+/.exec(textOf(invite))?.[0];
    expect(link).toBeDefined();

    world.telegram.openDeepLink(NEWCOMER, link ?? "");
    const welcome = await world.telegram.waitForBotMessage(NEWCOMER.id);
    expect(textOf(welcome)).toContain("Selamat datang, Dewi");
    const notice = await world.telegram.waitForBotMessage(OWNER.id, { text: "bergabung sebagai kasir" });
    expect(textOf(notice)).toContain(String(NEWCOMER.id));
    expect(await world.store.access.getStaff(NEWCOMER.id)).toMatchObject({ userId: NEWCOMER.id, addedBy: OWNER.id });
    // The welcome ends with the cashier's menu; wait for it so it is not mistaken for the answer to /va.
    const cashierMenu = await world.telegram.waitForBotMessage(NEWCOMER.id, { text: "terdaftar sebagai kasir" });
    expect(cashierMenu.reply_markup?.inline_keyboard.flat().map((b) => b.text)).not.toContain("➕ Undang kasir");

    const askBank = await world.say(NEWCOMER, "/va");
    expect(textOf(askBank)).toContain("Pilih bank");

    world.telegram.openDeepLink(STRANGER, link ?? "");
    const used = await world.telegram.waitForBotMessage(STRANGER.id);
    expect(textOf(used)).toContain("sudah dipakai atau sudah kedaluwarsa");
    const stillRefused = await world.say(STRANGER, "/va");
    expect(textOf(stillRefused)).toContain(String(STRANGER.id));
    expect(await world.store.access.getStaff(STRANGER.id)).toBeUndefined();
  });

  it("does not let a cashier invite or list staff, and lets the owner remove a cashier", async () => {
    const refused = await world.say(CASHIER, "/invite");
    expect(textOf(refused)).toContain("Hanya pemilik");
    const list = await world.say(OWNER, "/staff");
    expect(textOf(list)).toContain("Rina");
    const removed = await world.press(OWNER, list, `staff-rm:${CASHIER.id}`);
    expect(textOf(removed)).toContain("Rina tidak lagi menjadi kasir");
    await world.telegram.waitForBotMessage(CASHIER.id, { text: "dicabut" });
    expect(await world.store.access.getStaff(CASHIER.id)).toBeUndefined();
    const nowRefused = await world.say(CASHIER, "/va");
    expect(textOf(nowRefused)).toContain(String(CASHIER.id));
    // No cashier left: the list says to press "Undang kasir", and the button is there to press.
    const empty = await world.say(OWNER, "/staff");
    expect(textOf(empty)).toContain('Belum ada kasir. Tekan "Undang kasir"');
    const invite = await world.press(OWNER, empty, "menu:invite");
    expect(textOf(invite)).toContain("t.me/");
  });

  it("lists a big shop's 45 cashiers with long names in parts Telegram takes, each with its remove button", async () => {
    const longName = (n: number) => `${"Kasir Dengan Nama Yang Panjang Sekali ".repeat(3)}${n}`.padEnd(128, "x");
    for (let n = 0; n < 45; n++) {
      await world.store.access.addStaff({ userId: 50_000 + n, name: longName(n), addedBy: OWNER.id, addedAt: new Date().toISOString() });
    }
    const before = world.telegram.botMessagesIn(OWNER.id).length;
    await world.say(OWNER, "/staff");
    const parts = () => world.telegram.botMessagesIn(OWNER.id).slice(before);
    const buttons = () => parts().flatMap((m) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => ("callback_data" in b ? b.callback_data : "")));
    // The parts follow the first one: bounded wait for the last cashier's button.
    for (let i = 0; i < 200 && !buttons().includes(`staff-rm:${50_000 + 44}`); i++) await new Promise((r) => setTimeout(r, 20));
    const removeButtons = buttons();
    // Rina and the 45 newcomers, each once.
    expect(new Set(removeButtons).size).toBe(46);
    expect(removeButtons).toContain(`staff-rm:${50_000 + 44}`);
    expect(parts().length).toBeGreaterThan(1);
    expect(textOf(parts()[0]!)).toContain("Kasir toko:");
    expect(telegramRefusals()).toEqual([]);

    // Removing one from the second part: that part loses its line and button; nothing else is sent again.
    const second = parts()[1]!;
    const sentBefore = world.telegram.botMessagesIn(OWNER.id).length;
    const removed = await world.press(OWNER, second, `staff-rm:${50_000 + 25}`);
    expect(textOf(removed)).toContain("tidak lagi menjadi kasir");
    const edited = await world.telegram.waitFor((c) => c.method === "editMessageText" && c.payload.message_id === second.message_id, {
      description: "the pressed part shown again",
    });
    expect(String(edited.payload.text)).not.toContain("ID <code>50025</code>");
    expect(String(edited.payload.text)).toContain("ID <code>50026</code>");
    expect(world.telegram.botMessagesIn(OWNER.id).length).toBe(sentBefore + 1);
  });

  it("serves only owners and staff in a group, and an owner links the group for notifications", async () => {
    const group = { id: -100_555, type: "supergroup" as const, title: "Toko Wati" };
    world.telegram.addBotToGroup(group, OWNER);
    const linked = await world.say(OWNER, "/linkgroup", group);
    expect(textOf(linked)).toContain("Toko Wati");
    expect(await world.store.access.listGroups()).toMatchObject([{ chatId: group.id, title: "Toko Wati", linkedBy: OWNER.id }]);

    const refused = await world.say(STRANGER, "/va", group);
    expect(textOf(refused)).toContain(String(STRANGER.id));
    const askBank = await world.say(CASHIER, "/va", group);
    expect(textOf(askBank)).toContain("Pilih bank");

    const staffCannotUnlink = await world.say(CASHIER, "/unlinkgroup", group);
    expect(textOf(staffCannotUnlink)).toContain("Hanya pemilik");
    const unlinked = await world.say(OWNER, "/unlinkgroup", group);
    expect(textOf(unlinked)).toContain("tidak lagi menerima");
    expect(await world.store.access.listGroups()).toEqual([]);
  });
});

/** Calls Telegram refused (a text too long, a keyboard too big). */
function telegramRefusals() {
  return world.telegram.calls.filter((c) => !c.response.ok).map((c) => `${c.method}: ${c.response.ok ? "" : String(c.response.description)}`);
}

describe("messages whose sender Telegram hides", () => {
  const group = { id: -100_778, type: "supergroup" as const, title: "Toko Wati" };
  const groupChat = { id: group.id, type: "supergroup" as const, title: group.title };
  /** What Telegram sends for an admin who remains anonymous: from GroupAnonymousBot, on behalf of the group. */
  const anonymousAdmin = { id: 1_087_968_824, first_name: "Group", username: "GroupAnonymousBot", is_bot: true };
  const command = (text: string) => ({ text, entities: [{ type: "bot_command" as const, offset: 0, length: text.split(" ")[0]!.length }] });

  it("an owner who remains anonymous is told, once a day, to send /linkgroup as themselves, and nothing is linked", async () => {
    world.telegram.addBotToGroup(group, OWNER);
    world.telegram.postAs(anonymousAdmin, group, { ...command("/linkgroup"), sender_chat: groupChat });
    const told = await world.telegram.waitForBotMessage(group.id);
    expect(textOf(told)).toContain("dikirim secara anonim");
    expect(await world.store.access.listGroups()).toEqual([]);

    // Again the same day: not answered again (each message costs the group's Telegram allowance).
    world.telegram.postAs(anonymousAdmin, group, { ...command("/linkgroup"), sender_chat: groupChat });
    const linked = await world.say(OWNER, "/linkgroup", group);
    expect(textOf(linked)).toContain("terhubung");
    expect(world.telegram.botMessagesIn(group.id).filter((m) => textOf(m).includes("anonim"))).toHaveLength(1);
  });

  it("a linked channel's post copied into the group is not answered as a stranger, even when it starts with '/'", async () => {
    world.telegram.addBotToGroup(group, OWNER);
    const telegramService = { id: 777_000, first_name: "Telegram" };
    const channel = { id: -100_555, type: "channel" as const, title: "Promo Toko Wati" };
    world.telegram.postAs(telegramService, group, { ...command("/promo diskon 10%"), sender_chat: channel, is_automatic_forward: true } as never);
    // The owner's own command after it is answered first and alone.
    const linked = await world.say(OWNER, "/linkgroup", group);
    expect(textOf(linked)).toContain("terhubung");
    expect(world.telegram.botMessagesIn(group.id).map(textOf).filter((t) => t.includes("777000") || t.includes("hanya untuk pemilik"))).toEqual([]);
  });
});
