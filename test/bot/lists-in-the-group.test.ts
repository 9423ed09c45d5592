import { afterEach, describe, expect, it } from "vitest";
import type { PaymentRecord } from "../../src/store/types.js";
import { cashierVirtualAccount } from "../store/fixtures/payment.js";
import { CASHIER, OWNER, SHOP_GROUP as group, startWorld, textOf, type World } from "./world.js";

/**
 * The owner asks for the recent payments in the shop's group, where the cashiers read too. Her transfers
 * (who got how much, at which account) were listed there among the sales, as in her private chat. The group
 * hears each transfer's result as it comes; the list of them is hers.
 */

let world: World;
afterEach(async () => {
  await world?.close();
});

const transfer = (externalId: string, at: string): PaymentRecord =>
  cashierVirtualAccount(externalId, {
    kind: "disbursement",
    status: "completed",
    amount: 7_500_000,
    customerName: "Wati Rahayu",
    bankCode: "MANDIRI",
    accountNumber: "9876543210123",
    createdBy: OWNER.id,
    chatId: OWNER.id,
    createdAt: at,
    updatedAt: at,
  });

const sale = (externalId: string, at: string): PaymentRecord =>
  cashierVirtualAccount(externalId, { createdBy: CASHIER.id, chatId: CASHIER.id, customerName: "Siti Aminah", createdAt: at, updatedAt: at });

describe("the owner's recent payments in the shop group", () => {
  it("leave her transfers out and say where to see them; in private they are listed", async () => {
    world = await startWorld({ staff: [CASHIER] });
    world.telegram.addBotToGroup(group, OWNER);
    await world.store.payments.save(sale("sale-1", "2026-11-20T03:00:00.000Z"));
    await world.store.payments.save(transfer("out-1", "2026-11-20T04:00:00.000Z"));

    const inGroup = textOf(await world.say(OWNER, "/pembayaran", group));
    expect(inGroup).toContain("Siti Aminah");
    expect(inGroup).not.toContain("Wati Rahayu");
    expect(inGroup).not.toContain("7.500.000");
    expect(inGroup).not.toContain("9876543210123");
    expect(inGroup).toContain("Kirim dana tidak ditampilkan di grup");

    const inPrivate = textOf(await world.say(OWNER, "/pembayaran"));
    expect(inPrivate).toContain("Siti Aminah");
    expect(inPrivate).toContain("Wati Rahayu");
    expect(inPrivate).toContain("7.500.000");
    expect(inPrivate).not.toContain("Kirim dana tidak ditampilkan");
  });

  it("are still the ten latest sales when transfers came between them, and the menu's button lists the same", async () => {
    world = await startWorld({ staff: [CASHIER] });
    world.telegram.addBotToGroup(group, OWNER);
    for (let n = 0; n < 12; n++) {
      await world.store.payments.save(sale(`sale-${n}`, `2026-11-20T0${Math.floor(n / 2)}:${n % 2 === 0 ? "00" : "30"}:00.000Z`));
      await world.store.payments.save(transfer(`out-${n}`, `2026-11-20T0${Math.floor(n / 2)}:${n % 2 === 0 ? "10" : "40"}:00.000Z`));
    }
    const menu = await world.say(OWNER, "/start", group);
    const listed = textOf(await world.press(OWNER, menu, { text: "📋 Pembayaran terakhir" }));
    expect(listed.match(/Siti Aminah/g)).toHaveLength(10);
    expect(listed).not.toContain("Wati Rahayu");
    expect(listed).toContain("Hanya 10 terbaru");
  });

  it("with only transfers made, say there is nothing here and where they are", async () => {
    world = await startWorld({ staff: [CASHIER] });
    world.telegram.addBotToGroup(group, OWNER);
    await world.store.payments.save(transfer("out-1", "2026-11-20T04:00:00.000Z"));
    const inGroup = textOf(await world.say(OWNER, "/pembayaran", group));
    expect(inGroup).toContain("Belum ada pembayaran");
    expect(inGroup).toContain("Kirim dana tidak ditampilkan di grup");
  });
});
