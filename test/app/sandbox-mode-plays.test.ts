import type { Message } from "grammy/types";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../../src/app.js";
import { CALLBACK_EVENTS, CALLBACK_PATHS } from "../../src/gateway/callbacks.js";
import { silentLogger } from "../../src/logger.js";
import { createLocalBotApi, privateChat, type LocalBotApi, type TelegramUser } from "../../src/telegram-local/index.js";
import { configFrom, tempFolder } from "./support.js";

/**
 * Sandbox mode: the real bot on the in-process sandbox, the shop in a SQLite file. Its buttons play the
 * customer and the bank. The sandbox keeps its objects in memory: after a restart, "simulate payment" on a VA
 * of the day before answered "failed, try again" for good, the payment waiting for ever. And a transfer could
 * never get a bank result at all (the message promised one), holding today's limit.
 */

const OWNER: TelegramUser = { id: 5501, first_name: "Bu Yanti" };

let telegram: LocalBotApi;
let folder: ReturnType<typeof tempFolder>;
let app: RunningApp | undefined;

async function start(): Promise<void> {
  app = await startApp(configFrom({ BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, OWNER_IDS: String(OWNER.id), STORE_URL: folder.storeUrl }, { port: 0 }), silentLogger());
}
async function restart(): Promise<void> {
  await app?.stop();
  await start();
}

beforeAll(async () => {
  folder = tempFolder("sandbox-mode-plays");
  telegram = createLocalBotApi({ botUsername: "toko_yanti_bot" });
  await telegram.listen({ host: "127.0.0.1", port: 0 });
  telegram.addChat(privateChat(OWNER));
  await start();
});
afterAll(async () => {
  await app?.stop();
  await telegram?.close();
  folder?.remove();
});

async function say(text: string): Promise<Message> {
  telegram.sendText(OWNER, privateChat(OWNER), text);
  return telegram.waitForBotMessage(OWNER.id);
}
async function press(message: Message, label: string): Promise<Message> {
  telegram.pressButton(OWNER, message, { text: label });
  return telegram.waitForBotMessage(OWNER.id);
}
const heard = (text: string) =>
  telegram.waitFor((c) => c.method === "sendMessage" && c.response.ok && c.payload.chat_id === OWNER.id && String(c.payload.text).includes(text), {
    timeoutMs: 8_000,
    description: text,
  });

describe("sandbox mode's buttons after a restart", () => {
  it("'simulate payment' on a VA made before the restart pays it, and the paid notice comes", async () => {
    const askBank = await press(await say("/start"), "🏦 Buat Virtual Account");
    await press(askBank, "BNI");
    await say("Siti Aminah");
    const summary = await press(await say("150rb"), "Sekali bayar");
    telegram.pressButton(OWNER, summary, { text: "✅ Buat sekarang" });
    await telegram.waitForBotMessage(OWNER.id, { text: "diteruskan ke pelanggan" });
    const photo = telegram.messagesIn(OWNER.id).find((m) => "photo" in m && m.photo !== undefined);
    if (photo === undefined) throw new Error("no payment photo");

    await restart();
    telegram.pressButton(OWNER, photo, { text: "🧪 Simulasikan pembayaran" });
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
    telegram.pressButton(OWNER, first, { text: "🧪 Bank: berhasil" });
    expect(String((await heard("Transfer terkirim")).payload.text)).toContain("Budi Santoso");

    const second = await send("Sari Dewi");
    await restart();
    telegram.pressButton(OWNER, second, { text: "🧪 Bank: gagal" });
    expect(String((await heard("Transfer gagal")).payload.text)).toContain("Sari Dewi");
    // Played once: the buttons go with the answer.
    expect(() => telegram.pressButton(OWNER, second, { text: "🧪 Bank: berhasil" })).toThrow(/no callback button/);
    const records = await app!.store.payments.listRecent({ limit: 10 });
    expect(records.filter((r) => r.kind === "disbursement").map((r) => r.status).sort()).toEqual(["completed", "failed"]);
  });

  it("a simulated payment pressed just as the bot stops is told once after the restart", async () => {
    // The sandbox's callback went to a server already closing, and its retries died with the process: the
    // payment waited for ever, though the press had answered "sent". A slow hop between the sandbox and the
    // bot holds the callback while the bot stops.
    await press(await say("/va"), "BNI");
    await say("Siti Aminah");
    const summary = await press(await say("120rb"), "Sekali bayar");
    telegram.pressButton(OWNER, summary, { text: "✅ Buat sekarang" });
    await telegram.waitForBotMessage(OWNER.id, { text: "diteruskan ke pelanggan" });
    const photo = telegram.messagesIn(OWNER.id).findLast((m) => "photo" in m && m.photo !== undefined);
    if (photo === undefined) throw new Error("no payment photo");

    const bot = app!.url;
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
      app!.sandbox!.setCallbackUrls(Object.fromEntries(CALLBACK_EVENTS.map((event) => [event, `http://127.0.0.1:${port}${CALLBACK_PATHS[event]}`])));

      telegram.pressButton(OWNER, photo, { text: "🧪 Simulasikan pembayaran" });
      await callbackOnTheWire;
      await restart();
      const notice = await heard("Rp 120.000");
      expect(String(notice.payload.text)).toContain("Pembayaran diterima");
      await new Promise((resolve) => setTimeout(resolve, 300));
      const told = telegram.calls.filter((c) => c.method === "sendMessage" && c.response.ok && c.payload.chat_id === OWNER.id && String(c.payload.text).includes("Rp 120.000"));
      expect(told.filter((c) => String(c.payload.text).includes("Pembayaran diterima"))).toHaveLength(1);
    } finally {
      slowHop.closeAllConnections();
      slowHop.close();
    }
  });
});
