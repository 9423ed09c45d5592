import { Api } from "grammy";
import type { BotCommandScope } from "grammy/types";
import { describe, expect, it } from "vitest";
import { privateChat, type TelegramUser } from "../../src/telegram-local/index.js";
import { ownerChatApp } from "./support.js";

/**
 * Typing "/" in Telegram shows the bot's commands, said in a few words, when the bot has published them;
 * it had published none, so a new cashier saw an empty list and had to learn the commands from /help.
 */

const OWNER: TelegramUser = { id: 5401, first_name: "Bu Rani" };
/** A second owner who has not opened the bot yet: Telegram refuses a list of her own until she has. */
const NEW_OWNER_ID = 5402;
const shop = ownerChatApp("command-menus", OWNER, "toko_rani_bot", { OWNER_IDS: `${NEW_OWNER_ID},${OWNER.id}` });

async function commandsFor(scope: BotCommandScope, language_code?: "en"): Promise<Array<{ command: string; description: string }>> {
  // Published during the start, before it returns.
  return new Api(shop.telegram.token, { apiRoot: shop.telegram.apiRoot }).getMyCommands({ scope, ...(language_code ? { language_code } : {}) });
}

const names = (list: Array<{ command: string }>) => list.map((c) => c.command);

describe("the bot's \"/\" menus", () => {
  it("give everyone the payment commands in Indonesian, and English names to apps set to English", async () => {
    const everyone = await commandsFor({ type: "default" });
    expect(names(everyone)).toEqual(["start", "va", "alfamart", "pembayaran", "batal", "bahasa", "help"]);
    expect(everyone.find((c) => c.command === "va")?.description).toBe("Buat Virtual Account (BNI, BCA)");
    const english = await commandsFor({ type: "default" }, "en");
    expect(names(english)).toEqual(["start", "va", "alfamart", "payments", "cancel", "language", "help"]);
    expect(english.find((c) => c.command === "alfamart")?.description).toBe("Make an Alfamart payment code");
  });

  it("are all published though an owner has not opened the bot yet (hers comes when she does)", async () => {
    await expect(commandsFor({ type: "chat", chat_id: NEW_OWNER_ID })).rejects.toMatchObject({ error_code: 400 });
    expect(names(await commandsFor({ type: "chat", chat_id: OWNER.id }, "en"))).toContain("disburse");
  });

  it("show the owner her tools in her private chat only, and a group's admins the group link", async () => {
    expect(names(await commandsFor({ type: "chat", chat_id: OWNER.id }))).toEqual(expect.arrayContaining(["kirimdana", "invite", "staff", "va"]));
    const group = names(await commandsFor({ type: "all_group_chats" }));
    expect(group).toEqual(["va", "alfamart", "pembayaran", "batal", "help"]);
    expect(names(await commandsFor({ type: "all_chat_administrators" }))).toEqual([...group, "linkgroup", "unlinkgroup"]);
    // Nobody else's list offers sending money.
    expect(names(await commandsFor({ type: "default" }))).not.toContain("kirimdana");
  });

  it("name only commands the bot answers: each one typed gets its own answer, not \"I don't know that\"", async () => {
    const all = new Set([
      ...names(await commandsFor({ type: "chat", chat_id: OWNER.id })),
      ...names(await commandsFor({ type: "chat", chat_id: OWNER.id }, "en")),
      ...names(await commandsFor({ type: "all_chat_administrators" })),
    ]);
    expect(all.size).toBe(16);
    for (const command of all) {
      if (command === "linkgroup" || command === "unlinkgroup") continue; // group commands: answered "in a group only" here
      const answer = await shop.say(`/${command}`);
      expect(answer.text ?? answer.caption ?? "", `/${command}`).not.toMatch(/tidak mengerti|tidak kenal perintah/);
      await shop.say("/batal");
    }
  });

  it("give an owner who had not opened the bot her own list as soon as she does, not at the next start", async () => {
    const newOwner: TelegramUser = { id: NEW_OWNER_ID, first_name: "Bu Sinta" };
    shop.telegram.addChat(privateChat(newOwner));
    shop.telegram.sendText(newOwner, privateChat(newOwner), "/start");
    await shop.telegram.waitForBotMessage(NEW_OWNER_ID, { text: "Mau buat apa?" });
    let hers: string[] = [];
    for (let i = 0; i < 50 && !hers.includes("kirimdana"); i++) {
      hers = await commandsFor({ type: "chat", chat_id: NEW_OWNER_ID }).then(names, () => []);
      if (!hers.includes("kirimdana")) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(hers).toEqual(expect.arrayContaining(["kirimdana", "invite", "staff", "va"]));
    expect(names(await commandsFor({ type: "chat", chat_id: NEW_OWNER_ID }, "en"))).toContain("disburse");
  });
});

