import { createServer, type IncomingMessage, type Server } from "node:http";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, Bot, GrammyError, HttpError, InlineKeyboard, InputFile, webhookCallback } from "grammy";
import type { Message, Update } from "grammy/types";
import { autoRetry } from "@grammyjs/auto-retry";
import { pino } from "pino";
import jsQRModule from "jsqr";
import { PNG } from "pngjs";
import QRCode from "qrcode";
import {
  createLocalBotApi,
  isUploadedFile,
  privateChat,
  type LocalBotApi,
  type TelegramUser,
} from "../../src/telegram-local/index.js";

const siti: TelegramUser = { id: 5001, first_name: "Siti", username: "siti_warung", language_code: "id" };
const budi: TelegramUser = { id: 5002, first_name: "Budi" };
const shopGroup = { id: -100777, type: "supergroup" as const, title: "Warung Siti" };

/** A tiny merchant bot: echoes, offers banks on buttons, sends a VA number as a QR photo. */
function createTinyBot(api: LocalBotApi) {
  const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
  bot.command("start", (ctx) => ctx.reply(`Halo ${ctx.from?.first_name}! payload=${ctx.match || "-"}`));
  bot.command("bank", (ctx) =>
    ctx.reply("Pilih bank:", { reply_markup: new InlineKeyboard().text("BCA", "bank:BCA").text("BNI", "bank:BNI") }),
  );
  bot.callbackQuery(/^bank:(.+)$/, async (ctx) => {
    await ctx.answerCallbackQuery({ text: `Bank ${ctx.match[1]}` });
    await ctx.editMessageText(`Bank dipilih: <b>${ctx.match[1]}</b>`, { parse_mode: "HTML" });
  });
  bot.command("qr", async (ctx) => {
    const png = await QRCode.toBuffer(ctx.match, { margin: 2 });
    await ctx.replyWithPhoto(new InputFile(png, "va.png"), {
      caption: `Nomor VA: <code>${ctx.match}</code>`,
      parse_mode: "HTML",
    });
  });
  bot.on("message:text", (ctx) => ctx.reply(ctx.message.text));
  return bot;
}

/** Waits, bounded, for something the server does not record as a call (a poll waiting, a delivery seen). */
async function eventually(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited >= timeoutMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: JsQr = (jsQRModule as unknown as { default?: JsQr }).default ?? (jsQRModule as unknown as JsQr);

function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

describe("a grammY bot on the local Bot API, long polling", () => {
  const api = createLocalBotApi({ botUsername: "warung_test_bot" });
  let bot: Bot;
  let polling: Promise<void>;
  const chat = privateChat(siti);

  beforeAll(async () => {
    await api.listen();
    bot = createTinyBot(api);
    polling = bot.start({ timeout: 30 });
  });
  afterAll(async () => {
    await bot.stop();
    await polling;
    await api.close();
  });

  it("echoes what the merchant types, and records the sendMessage call", async () => {
    api.sendText(siti, chat, "halo bot");
    const reply = await api.waitForBotMessage(chat.id);
    expect(reply.text).toBe("halo bot");
    const call = await api.waitFor("sendMessage");
    expect(call.payload).toMatchObject({ chat_id: siti.id, text: "halo bot" });
    expect(call.response.ok).toBe(true);
  });

  it("opens a deep link as /start with its payload, the command marked as Telegram marks it", async () => {
    const update = api.openDeepLink(siti, "https://t.me/warung_test_bot?start=invite_AbC-123");
    expect(update.message?.text).toBe("/start invite_AbC-123");
    expect(update.message?.entities).toEqual([{ type: "bot_command", offset: 0, length: 6 }]);
    const reply = await api.waitForBotMessage(chat.id, { text: "payload=" });
    expect(reply.text).toBe("Halo Siti! payload=invite_AbC-123");
  });

  it("drops a deep-link payload Telegram would refuse, leaving a bare /start", async () => {
    const update = api.openDeepLink(siti, "has spaces!");
    expect(update.message?.text).toBe("/start");
    expect((await api.waitForBotMessage(chat.id)).text).toBe("Halo Siti! payload=-");
  });

  it("delivers a button press, records the answer and edits the message in place", async () => {
    api.sendText(siti, chat, "/bank");
    const menu = await api.waitForBotMessage(chat.id, { text: "Pilih bank" });
    expect(menu.reply_markup?.inline_keyboard[0]?.map((b) => b.text)).toEqual(["BCA", "BNI"]);

    const press = api.pressButton(siti, menu, { text: "BNI" });
    expect(press.callback_query?.data).toBe("bank:BNI");
    const answer = await api.waitFor("answerCallbackQuery");
    expect(answer.payload).toMatchObject({ callback_query_id: press.callback_query?.id, text: "Bank BNI" });
    await api.waitFor("editMessageText");

    const edited = api.messagesIn(chat.id).find((m) => m.message_id === menu.message_id);
    expect(edited?.text).toBe("Bank dipilih: BNI");
    expect(edited?.entities).toEqual([{ type: "bold", offset: 14, length: 3 }]);
    expect(edited?.edit_date).toBeTypeOf("number");
    // Editing text without reply_markup takes the buttons away, as in Telegram.
    expect(edited?.reply_markup).toBeUndefined();
  });

  it("refuses to press a button that is not on the message, naming the buttons that are", async () => {
    api.sendText(siti, chat, "/bank");
    const menu = await api.waitForBotMessage(chat.id, { text: "Pilih bank" });
    expect(() => api.pressButton(siti, menu, "bank:MANDIRI")).toThrow(/"BCA" \(bank:BCA\), "BNI" \(bank:BNI\)/);
  });

  it("answers edits like Telegram: not modified, not found, and a callback answered twice", async () => {
    const sent = await bot.api.sendMessage(siti.id, "Total: <b>Rp 150.000</b>", { parse_mode: "HTML" });
    await expect(
      bot.api.editMessageText(siti.id, sent.message_id, "Total: <b>Rp 150.000</b>", { parse_mode: "HTML" }),
    ).rejects.toMatchObject({ error_code: 400, description: expect.stringContaining("message is not modified") });
    await expect(bot.api.editMessageText(siti.id, 99_999, "x")).rejects.toMatchObject({
      error_code: 400,
      description: "Bad Request: message to edit not found",
    });
    const edited = await bot.api.editMessageText(siti.id, sent.message_id, "Total: <b>Rp 200.000</b>", {
      parse_mode: "HTML",
    });
    expect(edited).toMatchObject({ message_id: sent.message_id, text: "Total: Rp 200.000" });
    await expect(bot.api.deleteMessage(siti.id, 99_999)).rejects.toMatchObject({ error_code: 400 });
    await expect(bot.api.answerCallbackQuery("no-such-query")).rejects.toMatchObject({
      error_code: 400,
      description: expect.stringContaining("query ID is invalid"),
    });
  });

  it("sends a QR photo as a multipart upload whose bytes decode to the account number", async () => {
    api.sendText(siti, chat, "/qr 8808123456789012");
    const photoMessage = await api.waitForBotMessage(chat.id, { text: "Nomor VA" });
    const call = await api.waitFor("sendPhoto");
    expect(isUploadedFile(call.payload.photo)).toBe(true);
    const upload = call.files[0]!;
    expect(upload).toMatchObject({ field: "photo", filename: "va.png" });
    expect(decodeQr(upload.data)).toBe("8808123456789012");
    expect(call.payload.caption).toBe("Nomor VA: <code>8808123456789012</code>");

    expect(photoMessage.caption).toBe("Nomor VA: 8808123456789012");
    expect(photoMessage.caption_entities).toEqual([{ type: "code", offset: 10, length: 16 }]);
    const photo = photoMessage.photo!.at(-1)!;
    expect(photo.width).toBeGreaterThan(0);

    // The bot can fetch its own upload back, as from Telegram's file server.
    const file = await bot.api.getFile(photo.file_id);
    const download = await fetch(`${api.apiRoot}/file/bot${api.token}/${file.file_path}`);
    expect(decodeQr(Buffer.from(await download.arrayBuffer()))).toBe("8808123456789012");
  });

  it("rejects HTML that Telegram would reject, and oversized callback data", async () => {
    await expect(bot.api.sendMessage(siti.id, "1 < 2", { parse_mode: "HTML" })).rejects.toMatchObject({
      error_code: 400,
      description: expect.stringContaining("can't parse entities"),
    });
    await expect(bot.api.sendMessage(siti.id, "a<br>b", { parse_mode: "HTML" })).rejects.toMatchObject({
      description: expect.stringContaining('Unsupported start tag "br"'),
    });
    await expect(bot.api.sendMessage(siti.id, "<b>open", { parse_mode: "HTML" })).rejects.toMatchObject({
      description: expect.stringContaining('Can\'t find end tag corresponding to start tag "b"'),
    });
    await expect(
      bot.api.sendMessage(siti.id, "pick", { reply_markup: new InlineKeyboard().text("x", "d".repeat(65)) }),
    ).rejects.toMatchObject({ description: "Bad Request: BUTTON_DATA_INVALID" });
  });

  it("knows only chats it has met, and honours a user who blocked the bot", async () => {
    await expect(bot.api.sendMessage(424242, "hi")).rejects.toMatchObject({
      error_code: 400,
      description: "Bad Request: chat not found",
    });
    const stranger: TelegramUser = { id: 5099, first_name: "Eko" };
    api.addChat(privateChat(stranger));
    await bot.api.sendMessage(stranger.id, "Selamat datang");
    api.blockBot(stranger);
    await expect(bot.api.sendMessage(stranger.id, "still there?")).rejects.toMatchObject({
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    });
  });

  it("in a group with privacy mode, hands the bot commands but not chatter", async () => {
    api.addBotToGroup(shopGroup, siti);
    const chatter = api.sendText(budi, shopGroup, "sudah bayar belum?");
    expect(api.undelivered).toContain(chatter);
    api.sendText(budi, shopGroup, "/bank@warung_test_bot");
    const menu = await api.waitForBotMessage(shopGroup.id, { text: "Pilih bank" });
    expect(menu.chat).toMatchObject({ id: shopGroup.id, type: "supergroup", title: "Warung Siti" });
    const member = await bot.api.getChatMember(shopGroup.id, budi.id);
    expect(member.status).toBe("member");
    const me = await bot.api.getChatMember(shopGroup.id, bot.botInfo.id);
    expect(me.status).toBe("member");
    api.setChatMember(shopGroup.id, siti, "creator");
    const admins = await bot.api.getChatAdministrators(shopGroup.id);
    expect(admins.map((a) => [a.user.id, a.status])).toEqual([[siti.id, "creator"]]);
  });

  it("keeps the bot's commands per scope and language", async () => {
    await bot.api.setMyCommands([{ command: "bank", description: "Pilih bank" }]);
    await bot.api.setMyCommands([{ command: "bank", description: "Choose a bank" }], { language_code: "en" });
    expect(await bot.api.getMyCommands()).toEqual([{ command: "bank", description: "Pilih bank" }]);
    expect(api.commandsFor(undefined, "en")).toEqual([{ command: "bank", description: "Choose a bank" }]);
    await expect(bot.api.setMyCommands([{ command: "Bad Command", description: "x" }])).rejects.toMatchObject({
      description: "Bad Request: BOT_COMMAND_INVALID",
    });
  });
});

describe("authorisation and unknown methods", () => {
  const api = createLocalBotApi({ logger: pino({ level: "silent" }) });
  beforeAll(() => api.listen());
  afterAll(() => api.close());

  it("answers a wrong token with 401 Unauthorized", async () => {
    const impostor = new Api("123456:not-the-token", { apiRoot: api.apiRoot });
    const error = await impostor.getMe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 401, description: "Unauthorized" });
  });

  it("answers an unknown method with 404, like Telegram", async () => {
    const response = await fetch(`${api.apiRoot}/bot${api.token}/sendTelepathy`, { method: "POST" });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ ok: false, error_code: 404, description: "Not Found: method not found" });
  });

  it("accepts method names in any case and form-encoded bodies", async () => {
    api.addChat(privateChat(siti));
    const response = await fetch(`${api.apiRoot}/bot${api.token}/SENDMESSAGE`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ chat_id: String(siti.id), text: "150000" }),
    });
    const body = (await response.json()) as { ok: boolean; result: Message };
    expect(body.ok).toBe(true);
    expect(body.result.text).toBe("150000");
    expect(api.callsTo("sendMessage").at(-1)?.payload).toEqual({ chat_id: siti.id, text: "150000" });
  });
});

describe("getUpdates: long polling and confirmation by offset", () => {
  const api = createLocalBotApi();
  const raw = () => new Api(api.token, { apiRoot: api.apiRoot });
  beforeAll(() => api.listen());
  afterAll(() => api.close());

  it("returns a waiting long poll as soon as an update is injected, and forgets it once confirmed", async () => {
    const poll = raw().getUpdates({ timeout: 50 });
    await eventually(api.isPolling, "the long poll to reach the server");
    const injected = api.sendText(siti, privateChat(siti), "ada pesanan");
    const updates = await poll;
    expect(updates.map((u) => u.update_id)).toEqual([injected.update_id]);
    // Not confirmed yet: asked again, Telegram hands the same update.
    expect((await raw().getUpdates({ timeout: 0 })).map((u) => u.update_id)).toEqual([injected.update_id]);
    expect(await raw().getUpdates({ offset: injected.update_id + 1, timeout: 0 })).toEqual([]);
    expect(api.pendingUpdates()).toEqual([]);
  });

  it("answers only the update types the bot asked for", async () => {
    const message = api.sendText(siti, privateChat(siti), "/bank");
    const updates = await raw().getUpdates({ offset: message.update_id, allowed_updates: ["callback_query"] });
    expect(updates).toEqual([]);
    await raw().getUpdates({ allowed_updates: [] });
  });
});

describe("failures on demand: 429 with retry_after, 5xx, lost replies", () => {
  const api = createLocalBotApi();
  let bot: Bot;
  beforeAll(async () => {
    await api.listen();
    api.addChat(privateChat(siti));
    bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
  });
  afterAll(() => api.close());

  it("makes grammY's call fail with GrammyError 429 carrying retry_after", async () => {
    api.failNext("sendMessage", 1, { error_code: 429, parameters: { retry_after: 7 } });
    const error = await bot.api.sendMessage(siti.id, "Pembayaran diterima").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 429, parameters: { retry_after: 7 } });
    expect(api.botMessagesIn(siti.id).some((m) => m.text === "Pembayaran diterima")).toBe(false);
  });

  it("answers 502 for a while, then works again", async () => {
    api.failNext("*", 2, { error_code: 502 });
    await expect(bot.api.sendMessage(siti.id, "satu")).rejects.toMatchObject({ error_code: 502, description: "Bad Gateway" });
    await expect(bot.api.sendChatAction(siti.id, "typing")).rejects.toMatchObject({ error_code: 502 });
    await expect(bot.api.sendMessage(siti.id, "dua")).resolves.toMatchObject({ text: "dua" });
  });

  it("lets @grammyjs/auto-retry wait out the 429 and deliver exactly one message", async () => {
    const retrying = new Api(api.token, { apiRoot: api.apiRoot });
    retrying.config.use(autoRetry());
    const since = api.mark();
    api.failNext("sendMessage", 1, { error_code: 429, parameters: { retry_after: 1 } });
    const sent = await retrying.sendMessage(siti.id, "Lunas: Rp 150.000");
    expect(sent.text).toBe("Lunas: Rp 150.000");
    const attempts = api.calls.slice(since).filter((c) => c.method === "sendMessage");
    expect(attempts.map((c) => (c.response.ok ? "ok" : c.response.error_code))).toEqual([429, "ok"]);
    expect(api.botMessagesIn(siti.id).filter((m) => m.text === "Lunas: Rp 150.000")).toHaveLength(1);
  });

  it("can cut the connection after the message went out, the reply lost on the way back", async () => {
    api.failNext("sendMessage", 1, { dropConnection: true, afterExecuting: true });
    const error = await bot.api.sendMessage(siti.id, "terkirim?").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(api.botMessagesIn(siti.id).filter((m) => m.text === "terkirim?")).toHaveLength(1);
  });
});

describe("Telegram's flood limits, emulated on a clock the test moves", () => {
  let clock = new Date("2025-01-06T09:00:00+07:00").getTime();
  const api = createLocalBotApi({ enforceRateLimits: true, now: () => new Date(clock) });
  let bot: Bot;
  beforeAll(async () => {
    await api.listen();
    api.addChat(privateChat(siti));
    api.addChat(shopGroup);
    bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
  });
  afterAll(() => api.close());

  it("allows one message a second in a chat", async () => {
    await bot.api.sendMessage(siti.id, "pertama");
    await expect(bot.api.sendMessage(siti.id, "kedua")).rejects.toMatchObject({
      error_code: 429,
      parameters: { retry_after: 1 },
    });
    clock += 1_000;
    await expect(bot.api.sendMessage(siti.id, "kedua")).resolves.toMatchObject({ text: "kedua" });
  });

  it("allows twenty messages a minute in a group", async () => {
    for (let i = 1; i <= 20; i++) {
      await bot.api.sendMessage(shopGroup.id, `Pembayaran ${i} diterima`);
      clock += 1_000;
    }
    const error = await bot.api.sendMessage(shopGroup.id, "Pembayaran 21 diterima").catch((e: unknown) => e);
    expect(error).toMatchObject({ error_code: 429, parameters: { retry_after: 40 } });
    clock += 40_000;
    await expect(bot.api.sendMessage(shopGroup.id, "Pembayaran 21 diterima")).resolves.toBeDefined();
    expect(api.botMessagesIn(shopGroup.id)).toHaveLength(21);
  });
});

describe("webhook mode", () => {
  const api = createLocalBotApi({ webhookRetryDelayMs: 20 });
  const received: Array<{ secret: string | undefined }> = [];
  const handled: Update[] = [];
  let receiver: Server;
  let webhookUrl: string;
  let bot: Bot;
  const secret = "rahasia_Toko-1";

  beforeAll(async () => {
    await api.listen();
    bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
    bot.use((ctx, next) => {
      handled.push(ctx.update);
      return next();
    });
    bot.on("message:text", (ctx) => ctx.reply(`diterima: ${ctx.message.text}`));
    await bot.init();
    const handleUpdate = webhookCallback(bot, "http", { secretToken: secret });
    receiver = createServer((req: IncomingMessage, res) => {
      received.push({ secret: req.headers["x-telegram-bot-api-secret-token"] as string | undefined });
      void handleUpdate(req, res);
    });
    receiver.listen(0, "127.0.0.1");
    await once(receiver, "listening");
    const address = receiver.address();
    webhookUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/telegram`;
  });
  afterAll(async () => {
    await api.close();
    receiver.close();
  });

  it("POSTs injected updates to the webhook with the secret header, and the bot answers", async () => {
    await bot.api.setWebhook(webhookUrl, { secret_token: secret });
    expect(api.webhookInfo().url).toBe(webhookUrl);
    const update = api.sendText(siti, privateChat(siti), "halo webhook");
    const reply = await api.waitForBotMessage(siti.id);
    expect(reply.text).toBe("diterima: halo webhook");
    expect(received.at(-1)).toEqual({ secret });
    expect(handled.at(-1)).toEqual(update);
    await expect(bot.api.getUpdates()).rejects.toMatchObject({ error_code: 409 });
  });

  it("keeps redelivering while the webhook refuses, and records the error", async () => {
    await bot.api.setWebhook(webhookUrl, { secret_token: "a-different-secret" });
    const before = received.length;
    api.sendText(siti, privateChat(siti), "tolong");
    await eventually(() => received.length >= before + 2, "two delivery attempts");
    expect(api.webhookInfo()).toMatchObject({ pending_update_count: 1, last_error_message: expect.stringContaining("401") });
    await bot.api.setWebhook(webhookUrl, { secret_token: secret });
    expect((await api.waitForBotMessage(siti.id, { text: "tolong" })).text).toBe("diterima: tolong");
    await bot.api.deleteWebhook();
    expect(api.webhookInfo()).toMatchObject({ url: "", pending_update_count: 0 });
  });
});

describe("closing the server", () => {
  it("ends a pending long poll at once, and a polling bot stops cleanly", async () => {
    const api = createLocalBotApi();
    await api.listen();
    const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
    bot.on("message", () => undefined);
    const polling = bot.start({ timeout: 50 });
    await eventually(api.isPolling, "the bot to start polling");
    await bot.stop();
    await polling;

    const poll = new Api(api.token, { apiRoot: api.apiRoot }).getUpdates({ timeout: 50 });
    await eventually(api.isPolling, "the long poll to reach the server");
    await api.close();
    expect(await poll).toEqual([]);
  });
});
