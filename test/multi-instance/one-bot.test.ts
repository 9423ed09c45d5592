import { setTimeout as sleep } from "node:timers/promises";
import type { Message } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { privateChat } from "../../src/telegram-local/bot-api-server.js";
import type { PaymentRecord } from "../../src/store/types.js";
import {
  CASHIER,
  DEFAULT_LEASE_MS,
  OWNER,
  SHOP_GROUP,
  deliverCallback,
  names,
  paidCallbackFor,
  paymentsReported,
  seededVirtualAccount,
  startCluster,
  textOf,
  waitUntil,
  type Cluster,
} from "./cluster.js";

/**
 * Two instances of the bot (child processes of src/main.ts) on one Redis behave as one bot: Palladium's
 * duplicate callbacks split across them say "paid" once, a conversation hops between them, when one dies
 * mid-burst the other finishes its work, and together they keep to Telegram's flood limits. The local
 * Telegram answers 429 the moment anyone goes over them (one message a second per chat, twenty a minute
 * per group, thirty a second overall, in sliding windows), as the real one would.
 */

const earlierPayment = seededVirtualAccount({ chatId: CASHIER.id, amount: 275_000, customerName: "Wulan Sari" });
const burst: PaymentRecord[] = Array.from({ length: 30 }, (_, i) =>
  seededVirtualAccount({ chatId: CASHIER.id, amount: 101_000 + i * 1_000, customerName: `Pelanggan ${String(i + 1).padStart(2, "0")}` }),
);
// Payments made in the group itself: the group is the only chat to tell.
const busyDay: PaymentRecord[] = Array.from({ length: 32 }, (_, i) =>
  seededVirtualAccount({ chatId: SHOP_GROUP, amount: 50_000 + i * 1_000, customerName: `Pembeli ${String(i + 1).padStart(2, "0")}` }),
);

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({
    instances: 2,
    enforceRateLimits: true,
    async seed(store) {
      await store.access.linkGroup({ chatId: SHOP_GROUP, title: "Toko Sari", linkedBy: OWNER.id, linkedAt: new Date().toISOString() });
      // The cashier who made the earlier payments is on the shop's staff, as the bot requires.
      await store.access.addStaff({ userId: CASHIER.id, name: CASHIER.first_name, addedBy: OWNER.id, addedAt: new Date().toISOString() });
      for (const payment of [earlierPayment, ...burst, ...busyDay]) await store.payments.save(payment);
    },
  });
}, 45_000);

afterAll(async () => {
  await cluster?.close();
});

const instance = (name: string) => {
  const found = cluster.instances.find((i) => i.name === name);
  if (found === undefined) throw new Error(`no instance ${name}`);
  return found;
};

async function outboxEmpty(timeoutMs: number) {
  await waitUntil(async () => (await cluster.outbox.stats()).depth === 0, timeoutMs, "the outbox to empty", () =>
    cluster.instances.map((i) => `${i.name}: ${i.output()}`).join("\n"),
  );
}

describe("two instances on one Redis are one bot", () => {
  it("Palladium delivers the paid callback to A and its duplicate to B: the cashier and the group hear once", async () => {
    const payload = paidCallbackFor(earlierPayment);
    const statuses = await Promise.all([deliverCallback(instance("A"), "virtual-account-paid", payload), deliverCallback(instance("B"), "virtual-account-paid", payload)]);
    expect(statuses).toEqual([200, 200]);

    const about = (chatId: number) => cluster.messagesTo(chatId).filter((c) => names(c, earlierPayment.externalId));
    await waitUntil(() => about(CASHIER.id).length > 0 && about(SHOP_GROUP).length > 0, 10_000, "the paid notifications");
    await outboxEmpty(5_000);
    // A gateway retry long after, to either instance, changes nothing.
    expect(await deliverCallback(instance("B"), "virtual-account-paid", payload)).toBe(200);
    expect(await deliverCallback(instance("A"), "virtual-account-paid", payload)).toBe(200);
    await sleep(1_500); // room for a second message, were there one

    expect(about(CASHIER.id)).toHaveLength(1);
    expect(about(SHOP_GROUP)).toHaveLength(1);
    expect(textOf(about(SHOP_GROUP)[0]!)).toContain("Rp 275.000");
    expect((await cluster.outbox.stats()).depth).toBe(0);
    expect((await cluster.store.payments.get(earlierPayment.externalId))?.status).toBe("paid");
  });

  it("the owner's VA conversation hops between instances at every step and makes one VA", async () => {
    const { telegram } = cluster;
    const handledBefore = cluster.updatesHandledBy.length;
    const say = async (text: string) => {
      telegram.sendText(OWNER, privateChat(OWNER), text);
      return telegram.waitForBotMessage(OWNER.id, { timeoutMs: 10_000 });
    };
    const press = async (message: Message, label: string) => {
      telegram.pressButton(OWNER, message, { text: label });
      return telegram.waitForBotMessage(OWNER.id, { timeoutMs: 10_000 });
    };

    const menu = await say("/start");
    const askBank = await press(menu, "🏦 Buat Virtual Account");
    expect(textOf2(askBank)).toContain("Pilih bank");
    const askName = await press(askBank, "BNI");
    expect(textOf2(askName)).toContain("nama pelanggan");
    const askAmount = await say("Rudi Hartono");
    expect(textOf2(askAmount)).toContain("nominal");
    const askSingle = await say("Rp 480.000");
    const summary = await press(askSingle, "Sekali bayar");
    expect(textOf2(summary)).toContain("Rp 480.000");
    expect(textOf2(summary)).toContain("Rudi Hartono");
    telegram.pressButton(OWNER, summary, { text: "✅ Buat sekarang" });
    await telegram.waitForBotMessage(OWNER.id, { text: "diteruskan ke pelanggan", timeoutMs: 10_000 });

    // Every step went to the other instance than the step before, and both took part. (The balancer notes
    // an update when the instance's answer comes back, which can be just after the bot's reply.)
    await waitUntil(() => cluster.updatesHandledBy.length - handledBefore >= 7, 5_000, "the balancer's note of the last step");
    const handled = cluster.updatesHandledBy.slice(handledBefore);
    expect(handled).toHaveLength(7);
    expect(new Set(handled)).toEqual(new Set(["A", "B"]));
    for (let i = 1; i < handled.length; i++) expect(handled[i]).not.toBe(handled[i - 1]);

    const vas = cluster.sandbox.objects().virtual_accounts;
    expect(vas).toHaveLength(1);
    expect(vas[0]).toMatchObject({ bank_code: "BNI", amount: 480_000 });
    const saved = await cluster.store.payments.get(vas[0]!.external_id);
    expect(saved).toMatchObject({ kind: "virtual_account", amount: 480_000, customerName: "Rudi Hartono", createdBy: OWNER.id, status: "pending" });
    expect(telegram.callsTo("sendPhoto").filter((c) => c.response.ok && Number(c.payload.chat_id) === OWNER.id)).toHaveLength(1);
  });

  it(
    "A is SIGKILLed mid-burst with sends in flight: every acknowledged callback is told exactly once, by B",
    async () => {
      const [a, b] = [instance("A"), instance("B")];
      // Telegram is slow to answer both instances for a moment: what they claim now is in the air.
      a.holdTelegram(true);
      b.holdTelegram(true);
      const aCallsBefore = a.apiCalls.length;
      const acknowledged: string[] = [];
      for (const [i, payment] of burst.slice(0, 15).entries()) {
        expect(await deliverCallback(i % 2 === 0 ? a : b, "virtual-account-paid", paidCallbackFor(payment))).toBe(200);
        acknowledged.push(payment.externalId);
      }
      // Whichever took the first payments waits on them; the other takes the next ones a second later.
      await waitUntil(() => a.heldCalls() > 0, 5_000, "A to be sending", () => a.output());
      const heldWhenKilled = a.heldCalls();
      await a.kill("SIGKILL");
      expect(a.child.signalCode).toBe("SIGKILL");
      // B's line comes back; its stalled calls failed without reaching Telegram, and B retries them.
      b.holdTelegram(false);

      // The rest of the burst; what was meant for A finds it gone, and Palladium's retry reaches B.
      for (const [i, payment] of burst.slice(15).entries()) {
        const payload = paidCallbackFor(payment);
        let status = await deliverCallback(i % 2 === 0 ? a : b, "virtual-account-paid", payload);
        if (status !== 200) status = await deliverCallback(b, "virtual-account-paid", payload);
        expect(status).toBe(200);
        acknowledged.push(payment.externalId);
      }
      expect(acknowledged).toHaveLength(30);

      // A's claimed items come back to B once A's lease runs out.
      await outboxEmpty(DEFAULT_LEASE_MS + 15_000);
      await sleep(1_500); // room for a second message, were there one

      const expectedTotal = burst.reduce((sum, p) => sum + p.amount, 0);
      for (const chatId of [CASHIER.id, SHOP_GROUP]) {
        const told = paymentsReported(cluster.messagesTo(chatId).filter((c) => !names(c, earlierPayment.externalId)));
        const story = () =>
          [
            `payments told to chat ${chatId}:`,
            ...cluster.messagesTo(chatId).map((m) => `  #${m.seq} ${textOf(m).split("\n")[0]?.slice(0, 80)}`),
            `A said: ${a.output()}`,
            `B said: ${b.output()}`,
          ].join("\n");
        expect(told.count, story()).toBe(30);
        expect(told.total).toBe(expectedTotal);
        const named = [...told.references.map((ref) => burst.find((p) => p.externalId === ref)?.customerName), ...told.listedCustomers];
        expect(new Set(named).size).toBe(named.length);
        expect(named.every((n) => burst.some((p) => p.customerName === n))).toBe(true);
      }
      expect(heldWhenKilled).toBeGreaterThan(0);
      // Nothing A had in flight reached Telegram; B sent all of the burst.
      expect(a.apiCalls.slice(aCallsBefore)).toHaveLength(0);
      expect(b.apiCalls.filter((c) => c.method === "sendMessage").length).toBeGreaterThan(0);
      for (const p of burst) expect((await cluster.store.payments.get(p.externalId))?.status).toBe("paid");
    },
    DEFAULT_LEASE_MS + 30_000,
  );

  it("a rush and then a steady stream for the group through two instances: no 429, at most 20 a minute, nothing lost or doubled", async () => {
    // A third instance replaces the one that died; the group's minute still counts what was sent before.
    const c = await cluster.addInstance("C");
    const b = instance("B");
    const since = cluster.telegram.mark();
    const startedAt = Date.now();
    const told = () => paymentsReported(cluster.messagesTo(SHOP_GROUP).filter((m) => m.seq >= since));
    const rush = busyDay.slice(0, 10);
    const steady = busyDay.slice(10);

    // The rush: ten payments at once, their callbacks split across the instances.
    const statuses = await Promise.all(rush.map((p, i) => deliverCallback(i % 2 === 0 ? b : c, "virtual-account-paid", paidCallbackFor(p))));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await waitUntil(() => told().count === rush.length, 15_000, "the rush to be told");
    // A backlog becomes a digest rather than ten messages.
    expect(told().digests).toBeGreaterThanOrEqual(1);
    expect(cluster.messagesTo(SHOP_GROUP).filter((m) => m.seq >= since).length).toBeLessThan(rush.length);

    // Then one payment every 1.3 s, alternating instances: more than the group's twenty a minute in all.
    for (const [i, p] of steady.entries()) {
      expect(await deliverCallback(i % 2 === 0 ? b : c, "virtual-account-paid", paidCallbackFor(p))).toBe(200);
      await sleep(1_300);
    }
    await sleep(2_000);

    expect(cluster.tooManyRequests().filter((call) => call.seq >= since)).toHaveLength(0);
    expect(busiestMinute(cluster.messagesTo(SHOP_GROUP).map((m) => m.at.getTime()))).toBeLessThanOrEqual(20);
    // Both instances spoke to the group.
    for (const sender of [b, c]) {
      const toGroup = sender.apiCalls.filter((call) => call.method === "sendMessage" && call.chatId === SHOP_GROUP && call.at >= startedAt);
      expect(toGroup.length, sender.name).toBeGreaterThan(0);
    }
    // The limit held some back: they wait in the outbox for the window to open (then as one digest).
    const report = told();
    const waiting = (await cluster.outbox.stats()).depth;
    expect(waiting).toBeGreaterThan(0);
    expect(report.count + waiting).toBe(busyDay.length);
    // Nobody was told twice.
    const named = [...report.references.map((ref) => busyDay.find((p) => p.externalId === ref)?.customerName), ...report.listedCustomers];
    expect(new Set(named).size).toBe(named.length);
  }, 60_000);
});

/** The most messages inside any minute (times sorted ascending). */
function busiestMinute(times: readonly number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= 60_000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

function textOf2(m: Message): string {
  return ("text" in m && m.text) || ("caption" in m && m.caption) || "";
}
