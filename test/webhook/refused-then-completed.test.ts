import { describe, expect, it } from "vitest";
import { createDisbursementDesk } from "../../src/disbursement/index.js";
import { createGatewayClient } from "../../src/gateway/client.js";
import { silentLogger } from "../../src/logger.js";
import { API_KEY, OWNER, type Shop, shopPerFile } from "./shop-harness.js";

/**
 * A gateway that answers a transfer request with a clear refusal though it took it, and the bank then
 * completes the transfer. The owner was told nothing was sent and the day's allowance was given back; once
 * the money has left after all, it counts against the day again, or the daily limit could be passed.
 */
let shop: Shop;
shopPerFile((started) => (shop = started));

describe("a transfer refused by the gateway and completed by the bank", () => {
  it("counts against the day's allowance again, so the daily limit still holds", async () => {
    const gateway = createGatewayClient({ baseUrl: shop.sandbox.apiBaseUrl, apiKey: API_KEY, backoffMs: 10, timeoutMs: 2_000, maxAttempts: 1 });
    const desk = createDisbursementDesk({
      store: shop.store,
      gateway,
      logger: silentLogger(),
      now: () => new Date(),
      maxAmount: 50_000_000,
      dailyLimit: 60_000_000,
      confirmTtlMs: 600_000,
      sendBoundMs: 30_000,
    });
    let drafts = 0;
    const send = async (amount: number) => {
      const draft = await desk.saveDraft({
        draftId: `draft-${++drafts}`,
        externalId: `refused-then-${process.pid}-${drafts}`,
        ownerId: OWNER.id,
        chatId: OWNER.id,
        locale: "id",
        bankCode: "BCA",
        accountNumber: "1234567890",
        holderName: "Joko Supplier",
        amount,
        description: "Bayar supplier",
      });
      const claim = await desk.claimConfirm(draft.draftId, OWNER.id);
      if (!claim.ok) throw new Error("the press should win");
      return { externalId: draft.externalId, outcome: await desk.send(claim.draft, {}) };
    };

    // The gateway takes the request, then answers 400: a clear refusal, so the allowance is given back.
    shop.sandbox.injectFault({ endpoint: "create-disbursement", when: "after", status: 400 });
    const refused = await send(40_000_000);
    expect(refused.outcome.kind).toBe("refused");
    expect(await desk.allowance.remainingToday()).toBe(60_000_000);

    expect((await shop.simulate(`/sandbox/simulate/disbursements/${refused.externalId}/complete`)).status).toBe(200);
    await shop.settle();
    expect((await shop.store.payments.get(refused.externalId))?.status).toBe("completed");
    expect(await desk.allowance.remainingToday()).toBe(20_000_000);
    // A second Rp 40.000.000 the same day would make 80 juta against a 60 juta limit: refused before the gateway.
    expect((await send(40_000_000)).outcome).toMatchObject({ kind: "daily_limit", remainingToday: 20_000_000 });
  });
});
