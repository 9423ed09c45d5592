import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { CALLBACK_SCHEMAS, CALLBACK_TOKEN_HEADER } from "../../src/gateway/callbacks.js";
import { createTokenCheck } from "../../src/webhook/callback-token.js";
import { BENCH_TOKEN, PAID_PATH } from "./payloads.js";

/** The little of better-sqlite3 used here (the project carries no types for it; the store types its own part too). */
interface Statement {
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): unknown;
}
interface Database {
  pragma(source: string): unknown;
  prepare(sql: string): Statement;
  transaction<A, R>(fn: (arg: A) => R): (arg: A) => R;
  close(): void;
}
const openDatabase = createRequire(import.meta.url)("better-sqlite3") as new (path: string) => Database;

/**
 * a4: the leanest receiver that durably records what the real one (b) records before its 2xx, to show what
 * any design could reach on this machine. Per callback, in a transaction committed with synchronous=FULL
 * (WAL) once per event-loop turn for every callback that arrived in it: the event's dedupe mark, the payment's
 * compare-and-set to paid, and three queued notifications (group, creator, the QR message's edit), each row
 * in the store's own tables and of the real rows' size. Nothing else: node:http instead of fastify, SQLite on
 * the event loop (no worker to hand over to, no promise in between), no recipients looked up, no logs, no
 * metrics, and no body limit, depth check or content-type routing. It is a yardstick, not a receiver: only the
 * bench's valid callbacks are answered correctly.
 *
 * The file must already hold the store's schema and the bench's payments (seeded by the real store).
 */
export async function leanReceiver(file: string, groupChatId: number): Promise<{ url: string; close(): Promise<void> }> {
  const db = new openDatabase(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  // SQLite's own checkpoints, in the commit that fills 1,000 pages: the real store's, on a thread of its own,
  // cost a4 more (measured: never checkpointing grows the WAL, and each fsync of a longer file costs more).
  const markLive = db.prepare("SELECT 1 FROM pallabot_atomic WHERE key = ? AND (expires_ms IS NULL OR expires_ms > ?)");
  const markPut = db.prepare(
    "INSERT INTO pallabot_atomic(key, value, expires_ms) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_ms = excluded.expires_ms",
  );
  const paymentGet = db.prepare("SELECT value FROM keyv WHERE key = ?");
  const paymentSet = db.prepare("UPDATE keyv SET value = ? WHERE key = ? AND value = ?");
  const queuePut = db.prepare("INSERT INTO pallabot_queue(queue, id, created_ms, body) VALUES ('notifications', ?, ?, ?)");

  interface Paid {
    event: string;
    externalId: string;
    amount: number;
    senderName: string | undefined;
    paidAt: string;
    answer: (result: string) => void;
  }
  const recordAll = db.transaction((callbacks: Paid[]) => {
    const now = Date.now();
    const receivedAt = new Date(now).toISOString();
    return callbacks.map((paid) => {
      const mark = `callback-event:virtual-account-paid:${paid.event}`;
      if (markLive.get(mark, now) !== undefined) return "duplicate";
      const key = `store_payments:${paid.externalId}`;
      const row = paymentGet.get(key) as { value: string } | undefined;
      const known = row !== undefined;
      markPut.run(mark, JSON.stringify({ event: "virtual-account-paid", externalId: paid.externalId, known, receivedAt }), now + 30 * 86_400_000);
      if (!known) return "unknown_external_id";
      const stored = JSON.parse(row.value) as { value: Record<string, unknown> & { chatId: number; messageId: number; locale: string; customerName: string; bankCode: string; accountNumber: string } };
      const payment = stored.value;
      paymentSet.run(JSON.stringify({ value: { ...payment, status: "paid", paidAt: paid.paidAt, paidAmount: paid.amount, updatedAt: receivedAt } }), key, row.value);
      const told = {
        locale: payment.locale,
        externalId: paid.externalId,
        amount: paid.amount,
        method: { kind: "virtual_account", bankCode: payment.bankCode, accountNumber: payment.accountNumber },
        customerName: payment.customerName,
        senderName: paid.senderName,
        paidAt: paid.paidAt,
        reusable: { count: 1, total: paid.amount },
      };
      for (const chatId of [payment.chatId, groupChatId]) {
        const payload = { type: "payment-received", chatId, ...told, groupTold: true };
        queuePut.run(`virtual-account-paid:${paid.event}:chat:${chatId}`, now, JSON.stringify({ chatId, kind: "payment-received", payload }));
      }
      const edit = { type: "mark-paid", chatId: payment.chatId, messageId: payment.messageId, ...told };
      queuePut.run(`virtual-account-paid:${paid.event}:edit`, now, JSON.stringify({ chatId: payment.chatId, kind: "mark-paid", payload: edit }));
      return "recorded";
    });
  });

  let waiting: Paid[] = [];
  const commit = () => {
    const callbacks = waiting;
    waiting = [];
    const results = recordAll(callbacks);
    callbacks.forEach((paid, i) => paid.answer(results[i]!));
  };

  const tokenMatches = createTokenCheck(BENCH_TOKEN);
  const schema = CALLBACK_SCHEMAS["virtual-account-paid"];
  const server = createServer((request, response) => {
    if (request.method !== "POST" || request.url !== PAID_PATH) return void response.writeHead(404).end();
    if (!tokenMatches(request.headers[CALLBACK_TOKEN_HEADER])) return void response.writeHead(401).end();
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      let parsed;
      try {
        parsed = schema.safeParse(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        return void response.writeHead(400).end();
      }
      if (!parsed.success) return void response.writeHead(400).end();
      const callback = parsed.data as { id: string; external_id: string; amount: number; sender_name?: string; transaction_timestamp?: string };
      if (waiting.length === 0) setImmediate(commit);
      waiting.push({
        event: callback.id,
        externalId: callback.external_id,
        amount: callback.amount,
        senderName: callback.sender_name,
        paidAt: callback.transaction_timestamp ?? new Date().toISOString(),
        answer: (result) => response.writeHead(200, { "content-type": "application/json" }).end(`{"ok":true,"result":"${result}"}`),
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
}
