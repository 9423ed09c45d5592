import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Bot, InlineKeyboard, InputFile, Keyboard } from "grammy";
import QRCode from "qrcode";
import { createLocalBotApi, privateChat, runTerminalChat, type TelegramUser } from "../../src/telegram-local/index.js";

const siti: TelegramUser = { id: 6001, first_name: "Siti", language_code: "id" };
const shopGroup = { id: -100888, type: "supergroup" as const, title: "Warung Siti" };

async function eventually(condition: () => boolean, what: () => string, timeoutMs = 5_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited >= timeoutMs) throw new Error(`gave up waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The terminal as a test sees it: what was printed so far, and a way to type a line. */
function fakeTerminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => {
    printed += chunk.toString("utf8");
  });
  return {
    input,
    output,
    type: (line: string) => input.write(`${line}\n`),
    get printed() {
      return printed;
    },
    /** Waits until the text appears after `from` (an index into what was printed). */
    async shows(text: string, from = 0) {
      await eventually(
        () => printed.indexOf(text, from) >= 0,
        () => `${JSON.stringify(text)} in the terminal; it shows:\n${printed.slice(from)}`,
      );
    },
  };
}

describe("the terminal chat, a merchant playing themselves", () => {
  const api = createLocalBotApi({ botName: "Pallabot" });
  let bot: Bot;
  let polling: Promise<void>;

  beforeAll(async () => {
    await api.listen();
    bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
    bot.command("bank", (ctx) =>
      ctx.reply("Pilih <b>bank</b>:", {
        parse_mode: "HTML",
        reply_markup: new InlineKeyboard().text("BCA", "bank:BCA").text("BNI", "bank:BNI").row().url("Bantuan", "https://example.com/help"),
      }),
    );
    bot.callbackQuery(/^bank:(.+)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: `Bank ${ctx.match[1]}` });
      await ctx.editMessageText(`Bank dipilih: ${ctx.match[1]}`);
    });
    bot.command("menu", (ctx) =>
      ctx.reply("Menu utama", { reply_markup: new Keyboard().text("Buat VA").text("Alfamart").oneTime() }),
    );
    bot.command("qr", async (ctx) => {
      await ctx.replyWithPhoto(new InputFile(await QRCode.toBuffer(ctx.match), "va.png"), {
        caption: `BCA <code>${ctx.match}</code>`,
        parse_mode: "HTML",
      });
    });
    bot.command("lapor", (ctx) => ctx.api.sendMessage(shopGroup.id, "Rp 150.000 diterima"));
    bot.on("message:text", (ctx) => ctx.reply(`kamu bilang: ${ctx.message.text}`));
    polling = bot.start({ timeout: 30 });
    api.addChat(shopGroup);
  });
  afterAll(async () => {
    await bot.stop();
    await polling;
    await api.close();
  });

  it("shows numbered buttons, presses one by its number, draws the QR, and leaves on quit", async () => {
    const term = fakeTerminal();
    const paid: string[] = [];
    const chatting = runTerminalChat({
      api,
      input: term.input,
      output: term.output,
      user: siti,
      watchChats: [shopGroup.id],
      onCommand: async (line, io) => {
        if (line !== "pay") return false;
        paid.push(line);
        io.print("(customer paid)");
        return true;
      },
    });
    await term.shows("Chatting with @");

    term.type("/bank");
    await term.shows("[3] Bantuan (https://example.com/help)");
    expect(term.printed).toContain("Pilih bank:\n[1] BCA   [2] BNI\n[3] Bantuan");

    let mark = term.printed.length;
    term.type("1");
    await term.shows("Bank dipilih: BCA", mark);
    expect(term.printed.slice(mark)).toContain("(edited)");
    await term.shows("(i) Bank BCA", mark);
    const press = api.callsTo("answerCallbackQuery").at(-1);
    expect(press?.response.ok).toBe(true);

    // M.N presses button N of message #M; an amount typed the Indonesian way ("75.000") names no button and
    // reaches the bot as text, even while a message with buttons is on screen.
    mark = term.printed.length;
    term.type("/bank");
    await term.shows("[1] BCA   [2] BNI", mark);
    const bankMessage = api.botMessagesIn(siti.id).at(-1)!;
    term.type("75.000");
    await term.shows("kamu bilang: 75.000", mark);
    expect(term.printed.slice(mark)).not.toContain("no button");
    term.type(`${bankMessage.message_id}.2`);
    await term.shows("Bank dipilih: BNI", mark);

    mark = term.printed.length;
    term.type("/qr 8808123456789012");
    await term.shows("(QR: 8808123456789012)", mark);
    const drawn = term.printed.slice(mark);
    expect(drawn).toMatch(/[▄▀█]{5}/);
    expect(drawn).toContain("BCA 8808123456789012");

    mark = term.printed.length;
    term.type("/menu");
    await term.shows("keyboard:\n[1] Buat VA   [2] Alfamart", mark);
    term.type("2");
    await term.shows("kamu bilang: Alfamart", mark);

    mark = term.printed.length;
    term.type("\\1");
    await term.shows("kamu bilang: 1", mark);

    term.type("pay");
    await term.shows("(customer paid)");
    expect(paid).toEqual(["pay"]);
    expect(api.messagesIn(siti.id).some((m) => "text" in m && m.text === "pay")).toBe(false);

    mark = term.printed.length;
    term.type("/lapor");
    await term.shows('in "Warung Siti"', mark);
    await term.shows("Rp 150.000 diterima", mark);

    term.type("quit");
    await chatting;
    const sentBeforeQuit = api.messagesIn(siti.id).length;
    term.type("after quit");
    expect(api.messagesIn(siti.id)).toHaveLength(sentBeforeQuit);
  });

  it("ends when the input ends (Ctrl-D)", async () => {
    const term = fakeTerminal();
    const chatting = runTerminalChat({ api, input: term.input, output: term.output, user: siti, chat: privateChat(siti) });
    term.type("halo");
    await term.shows("kamu bilang: halo");
    term.input.end();
    await chatting;
    expect(term.printed).toContain("kamu bilang: halo");
  });
});
