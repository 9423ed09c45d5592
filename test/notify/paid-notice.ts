import type { OutboxItem } from "../../src/store/index.js";

/** A VA payment's notice to one chat, as the webhook records it: Siti Aminah paid `amount` into a BCA VA. */
export function paidNotice(chatId: number, externalId: string, amount: number, paidAt = new Date().toISOString()): OutboxItem {
  return {
    id: `${externalId}:chat:${chatId}`,
    chatId,
    kind: "payment-received",
    createdAt: paidAt,
    payload: {
      type: "payment-received",
      chatId,
      locale: "id",
      externalId,
      amount,
      method: { kind: "virtual_account", bankCode: "BCA", accountNumber: "1076300000000001" },
      customerName: "Siti Aminah",
      paidAt,
    },
  };
}
