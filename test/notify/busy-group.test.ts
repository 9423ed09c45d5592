import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASHIER, SHOP_GROUP, startShop, textOf, type Shop } from "../webhook/shop-harness.js";
import { parseRupiah } from "../../src/domain/rupiah.js";

let shop: Shop;

beforeAll(async () => {
  // The local Bot API enforces Telegram's flood limits: a notifier that ignored them would meet 429s here.
  shop = await startShop({ enforceRateLimits: true });
});
afterAll(async () => {
  await shop.close();
});

describe("a busy market day in the shop group", () => {
  it("40 payments at once become a digest, every payment counted, without a single 429", async () => {
    const payments = [];
    for (let i = 0; i < 40; i++) {
      // Cashiers make these in the group itself, so the group is the only chat to tell.
      payments.push(await shop.createVirtualAccount({ amount: 10_000 + i * 5_000, name: `Pelanggan ${String.fromCharCode(65 + (i % 26))}`, createdBy: CASHIER.id, chatId: SHOP_GROUP, showPhoto: false }));
    }
    const answers = await Promise.all(payments.map((p) => shop.simulate(`/sandbox/simulate/virtual-accounts/${p.externalId}/pay`)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await shop.settle(20_000);

    const messages = shop.messagesTo(SHOP_GROUP).map(textOf);
    let counted = 0;
    let total = 0;
    for (const text of messages) {
      const digest = /<b>(\d+) pembayaran diterima<\/b>, total <b>(Rp [\d.]+)<\/b>/.exec(text);
      if (digest) {
        counted += Number(digest[1]);
        total += parseRupiah(digest[2] as string) ?? Number.NaN;
      } else {
        expect(text).toContain("Pembayaran diterima");
        counted += 1;
        total += parseRupiah(/Jumlah: <b>(Rp [\d.]+)<\/b>/.exec(text)?.[1] ?? "") ?? Number.NaN;
      }
    }
    console.log(`40 payments reached the group in ${messages.length} messages (${shop.events.get("digest") ?? 0} digests)`);
    expect(counted).toBe(40);
    expect(total).toBe(payments.reduce((sum, p) => sum + p.amount, 0));
    expect(messages.length).toBeLessThanOrEqual(5);
    expect(shop.events.get("digest") ?? 0).toBeGreaterThanOrEqual(1);
    expect(shop.telegram.callsTo("sendMessage").filter((c) => !c.response.ok)).toEqual([]);
    for (const p of payments) expect((await shop.store.payments.get(p.externalId))?.status).toBe("paid");
  });

  it("a rush once half the group's minute is spent: it hears every few seconds, not each second until the minute is gone, and a short payment is not kept behind digests", async () => {
    // Found by a review of a busy day: a digest went out each second, the group's 20 messages a minute were
    // gone in 20 s, it then heard nothing for 40; and a warned payment waited while later ones were told.
    // Ten payments told one by one first: half the group's minute.
    for (let i = 0; i < 10; i++) {
      const one = await shop.createVirtualAccount({ amount: 11_000 + i * 1_000, name: `Langganan ${String.fromCharCode(65 + i)}`, createdBy: CASHIER.id, chatId: SHOP_GROUP, showPhoto: false });
      const told = shop.telegram.mark();
      expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${one.externalId}/pay`)).status).toBe(200);
      await shop.telegram.waitFor((c) => c.method === "sendMessage" && c.payload.chat_id === SHOP_GROUP && textOf(c).includes(one.externalId), { since: told, timeoutMs: 10_000 });
    }
    const payments = [];
    for (let i = 0; i < 24; i++) {
      payments.push(await shop.createVirtualAccount({ amount: 20_000 + i * 1_000, name: `Pembeli ${String.fromCharCode(65 + i)}`, createdBy: CASHIER.id, chatId: SHOP_GROUP, showPhoto: false }));
    }
    const short = payments[5]!;
    const mark = shop.telegram.mark();
    const rushStart = Date.now();
    let shortPaidAt = 0;
    // Two payments each half second for six seconds; the sixth customer pays short.
    for (let i = 0; i < payments.length; i += 2) {
      for (const p of payments.slice(i, i + 2)) {
        if (p === short) shortPaidAt = Date.now();
        const body = p === short ? { amount: 15_000 } : undefined;
        expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${p.externalId}/pay`, body)).status).toBe(200);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const rushEnd = Date.now();
    await shop.settle(30_000);

    const sent = shop.telegram.calls.slice(mark).filter((c) => c.method === "sendMessage" && c.response.ok && c.payload.chat_id === SHOP_GROUP);
    const shortNotice = sent.find((c) => textOf(c).includes(short.externalId));
    expect(shortNotice, "the short payment's own notice").toBeDefined();
    expect(textOf(shortNotice!)).toContain("Kurang");
    // Told at the group's next turn, not after the rush.
    expect(shortNotice!.at.getTime() - shortPaidAt).toBeLessThan(4_500);
    // One message each few seconds while the rush lasts (a digest each second before).
    expect(sent.filter((c) => c.at.getTime() <= rushEnd).length).toBeLessThanOrEqual(Math.ceil((rushEnd - rushStart) / 3_000) + 1);
    // Every payment told once: the short one on its own, the others in digests or alone.
    let counted = 0;
    for (const text of sent.map(textOf)) counted += Number(/<b>(\d+) pembayaran diterima<\/b>/.exec(text)?.[1] ?? 1);
    expect(counted).toBe(payments.length);
    expect(shop.telegram.callsTo("sendMessage").filter((c) => !c.response.ok)).toEqual([]);
  });

  it("a payment with a warning, paid while the group is behind, is told before a digest of the payments after it", async () => {
    const bills: Array<Awaited<ReturnType<Shop["createVirtualAccount"]>>> = [];
    for (let i = 0; i < 17; i++) {
      bills.push(await shop.createVirtualAccount({ amount: 30_000 + i * 1_000, name: `Tamu ${String.fromCharCode(65 + i)}`, createdBy: CASHIER.id, chatId: SHOP_GROUP, showPhoto: false }));
    }
    const [first, short, after] = [bills.slice(0, 8), bills[8]!, bills.slice(9)];
    const mark = shop.telegram.mark();
    const pay = (p: (typeof bills)[number], body?: unknown) => shop.simulate(`/sandbox/simulate/virtual-accounts/${p.externalId}/pay`, body);
    await Promise.all(first.map((p) => pay(p)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await pay(short, { amount: 20_000 })).status).toBe(200);
    await Promise.all(after.map((p) => pay(p)));
    await shop.settle(30_000);

    const sent = shop.telegram.calls.slice(mark).filter((c) => c.method === "sendMessage" && c.response.ok && c.payload.chat_id === SHOP_GROUP).map(textOf);
    const shortAt = sent.findIndex((t) => t.includes(short.externalId));
    expect(shortAt).toBeGreaterThanOrEqual(0);
    expect(sent[shortAt]).toContain("Kurang");
    // Before it, no more payments told than were paid before it.
    const toldBefore = sent.slice(0, shortAt).reduce((sum, t) => sum + Number(/<b>(\d+) pembayaran diterima<\/b>/.exec(t)?.[1] ?? 1), 0);
    expect(toldBefore, sent.map((t) => t.split("\n")[0]).join(" | ")).toBeLessThanOrEqual(first.length);
  });
});

