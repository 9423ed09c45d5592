import { describe, expect, it } from "vitest";
import type { SessionData } from "../../src/bot/context.js";
import { recipientLanguage, userSessionKey } from "../../src/bot/recipient-language.js";
import { keyvStorageAdapter } from "../../src/bot/storage-adapter.js";
import { createI18n } from "../../src/i18n.js";
import { CASHIER, OWNER, SHOP_GROUP, type Shop, shopPerFile } from "../webhook/shop-harness.js";
import { postCallback, virtualAccountPaid } from "../webhook/signed-callbacks.js";

/**
 * A notice to a person speaks the language they chose last with /bahasa: a cashier who switched to English
 * after making a payment, and an owner who reads English, whose reports are recorded in Indonesian. The
 * shop group keeps its Indonesian.
 */
let shop: Shop;
const { told } = shopPerFile((started) => (shop = started), { notifier: false });

describe("a person's notices", () => {
  it("speak the language they chose, whatever the payment was made in; the group keeps Indonesian", async () => {
    const i18n = createI18n();
    const sessions = keyvStorageAdapter<SessionData>(shop.store.namespace("sessions"));
    shop.startNotifier({ chosenLocaleOf: recipientLanguage({ sessions, translate: (l, k, v) => i18n.t(l, k, v) }).chosenLocaleOf });

    const va = await shop.createVirtualAccount({ amount: 120_000, name: "Siti Aminah" }); // made in Indonesian
    // Then the cashier and the owner choose English (what /language writes).
    await sessions.write(userSessionKey(CASHIER.id), { language: "en" });
    await sessions.write(userSessionKey(OWNER.id), { language: "en" });

    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
    const foreign = virtualAccountPaid({ externalId: "not-ours-lang-1", gatewayId: "va-x" }, { amount: 50_000 });
    expect((await postCallback(shop.webhookUrl, "virtual-account-paid", foreign)).status).toBe(200);
    await shop.settle();

    expect(told(CASHIER.id, va.externalId)[0]).toContain("Payment received");
    expect(told(SHOP_GROUP, va.externalId)[0]).toContain("Pembayaran diterima");
    expect(told(OWNER.id, "not-ours-lang-1")[0]).toContain("does not know");
    expect(told(OWNER.id, "not-ours-lang-1")[0]).not.toContain("tidak dikenal");
  });
});
