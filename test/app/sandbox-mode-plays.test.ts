import type { Message } from "grammy/types";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { CALLBACK_EVENTS, CALLBACK_PATHS } from "../../src/gateway/callbacks.js";
import type { TelegramUser } from "../../src/telegram-local/index.js";
import { setTimeout as sleep } from "node:timers/promises";
import { TELEGRAM_WEBHOOK_PATH } from "../../src/app.js";
import { freePort, ownerChatApp } from "./support.js";

/**
 * Sandbox mode: the real bot on the in-process sandbox, the shop in a SQLite file. Its buttons play the
 * customer and the bank. The sandbox keeps its objects in memory: after a restart, "simulate payment" on a VA
 * of the day before answered "failed, try again" for good, the payment waiting for ever. And a transfer could
 * never get a bank result at all (the message promised one), holding today's limit.
 */

const OWNER: TelegramUser = { id: 5501, first_name: "Bu Yanti" };
const shop = ownerChatApp("sandbox-mode-plays", OWNER, "toko_yanti_bot");
const { say, press, restart } = shop;

const heard = (text: string, on: { telegram: typeof shop.telegram } = shop) =>
  on.telegram.waitFor((c) => c.method === "sendMessage" && c.response.ok && c.payload.chat_id === OWNER.id && String(c.payload.text).includes(text), {
    timeoutMs: 8_000,
    description: text,
  });

/** The owner makes a one-time BNI VA for Siti Aminah: its payment message (the photo with "simulate payment"). */
async function vaPhoto(on: typeof shop, amount: string): Promise<Message> {
  await on.press(await on.say("/va"), "BNI");
  await on.say("Siti Aminah");
  const summary = await on.press(await on.say(amount), "Sekali bayar");
  on.telegram.pressButton(OWNER, summary, { text: "✅ Buat sekarang" });
  await on.telegram.waitForBotMessage(OWNER.id, { text: "diteruskan ke pelanggan" });
  const photo = on.telegram.messagesIn(OWNER.id).findLast((m) => "photo" in m && m.photo !== undefined);
  if (photo === undefined) throw new Error("no payment photo");
  return photo;
}

describe("sandbox mode's buttons after a restart", () => {
  it("'simulate payment' on a VA made before the restart pays it, and the paid notice comes", async () => {
    const photo = await vaPhoto(shop, "150rb");

    await restart();
    shop.telegram.pressButton(OWNER, photo, { text: "🧪 Simulasikan pembayaran" });
    const notice = await heard("Pembayaran diterima");
    expect(String(notice.payload.text)).toContain("Siti Aminah");
    expect(String(notice.payload.text)).toContain("Rp 150.000");
  });

  it("a transfer's message lets the owner play the bank, before and after a restart", async () => {
    const send = async (holder: string): Promise<Message> => {
      await press(await say("/kirimdana"), "BCA");
      await say("1234567890");
      await say(holder);
      await say("150rb");
      const askEmail = await say("Bayar supplier");
      const summary = await press(askEmail, "⏭ Lewati");
      return press(summary, "✅ Kirim Rp 150.000");
    };
    const first = await send("Budi Santoso");
    expect(first.text).toContain("sedang diproses bank");
    shop.telegram.pressButton(OWNER, first, { text: "🧪 Bank: berhasil" });
    expect(String((await heard("Transfer terkirim")).payload.text)).toContain("Budi Santoso");

    const second = await send("Sari Dewi");
    await restart();
    shop.telegram.pressButton(OWNER, second, { text: "🧪 Bank: gagal" });
    expect(String((await heard("Transfer gagal")).payload.text)).toContain("Sari Dewi");
    // Played once: the buttons go with the answer.
    expect(() => shop.telegram.pressButton(OWNER, second, { text: "🧪 Bank: berhasil" })).toThrow(/no callback button/);
    const records = await shop.app.store.payments.listRecent({ limit: 10 });
    expect(records.filter((r) => r.kind === "disbursement").map((r) => r.status).sort()).toEqual(["completed", "failed"]);
  });

  it("a simulated payment pressed just as the bot stops is told once after the restart", async () => {
    // The sandbox's callback went to a server already closing, and its retries died with the process: the
    // payment waited for ever, though the press had answered "sent". A slow hop between the sandbox and the
    // bot holds the callback while the bot stops.
    const photo = await vaPhoto(shop, "120rb");
    const bot = shop.app.url;
    let callbackCame = () => {};
    const callbackOnTheWire = new Promise<void>((resolve) => (callbackCame = resolve));
    const slowHop = createServer((req, res) => {
      callbackCame();
      const body: Buffer[] = [];
      req.on("data", (chunk: Buffer) => body.push(chunk));
      req.on("end", () => {
        setTimeout(() => {
          fetch(`${bot}${req.url ?? ""}`, { method: "POST", headers: req.headers as Record<string, string>, body: Buffer.concat(body) }).then(
            (answer) => res.writeHead(answer.status).end(),
            () => res.writeHead(502).end(),
          );
        }, 300);
      });
    });
    await new Promise<void>((resolve) => slowHop.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = slowHop.address() as AddressInfo;
      shop.app.sandbox!.setCallbackUrls(Object.fromEntries(CALLBACK_EVENTS.map((event) => [event, `http://127.0.0.1:${port}${CALLBACK_PATHS[event]}`])));

      shop.telegram.pressButton(OWNER, photo, { text: "🧪 Simulasikan pembayaran" });
      await callbackOnTheWire;
      await restart();
      const notice = await heard("Rp 120.000");
      expect(String(notice.payload.text)).toContain("Pembayaran diterima");
      await new Promise((resolve) => setTimeout(resolve, 300));
      const told = shop.telegram.calls.filter((c) => c.method === "sendMessage" && c.response.ok && c.payload.chat_id === OWNER.id && String(c.payload.text).includes("Rp 120.000"));
      expect(told.filter((c) => String(c.payload.text).includes("Pembayaran diterima"))).toHaveLength(1);
    } finally {
      slowHop.closeAllConnections();
      slowHop.close();
    }
  });
});

/**
 * The same with TELEGRAM_WEBHOOK_URL: updates come to the HTTP server the sandbox calls back, and the server
 * waited for long polling's updates only: a press still being handled called the sandbox after it had begun
 * to close.
 */
const WEBHOOK_SECRET = "webhook-secret-for-sandbox-plays-0123456789";
const webhookShop = ownerChatApp("sandbox-mode-webhook", OWNER, "toko_yanti_bot", async () => {
  const port = String(await freePort());
  return { PORT: port, TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}`, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET };
});

describe("sandbox mode with a webhook", () => {
  it("a simulated payment pressed just as the bot stops is told after the restart, as with long polling", async () => {
    const photo = await vaPhoto(webhookShop, "130rb");
    // The owner's earlier update is still being answered (Telegram slow to answer its sendMessage), so the
    // press, delivered beside it as Telegram does (up to 40 connections), waits its turn (sequentialize).
    webhookShop.telegram.failNext("sendMessage", 1, { answerAfterMs: 1_500 });
    const earlier = fetch(`${webhookShop.app.url}${TELEGRAM_WEBHOOK_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
      body: JSON.stringify({
        update_id: 770_001,
        message: { message_id: 90_001, date: Math.floor(Date.now() / 1000), chat: { id: OWNER.id, type: "private", first_name: OWNER.first_name }, from: { ...OWNER, is_bot: false }, text: "/bantuan", entities: [{ type: "bot_command", offset: 0, length: 8 }] },
      }),
    }).catch(() => undefined);
    await sleep(150);
    webhookShop.telegram.pressButton(OWNER, photo, { text: "🧪 Simulasikan pembayaran" });
    await sleep(150);

    await webhookShop.restart();
    await earlier;
    expect(webhookShop.telegram.calls.filter((c) => c.method === "answerCallbackQuery").at(-1)?.payload.text).toBe("Pembayaran simulasi dikirim.");

    expect(String((await heard("Pembayaran diterima", webhookShop)).payload.text)).toContain("Rp 130.000");
  });
});
