import { describe, expect, it } from "vitest";
import { OWNER, ownersDesk, sendTransfer, type Shop, shopPerFile } from "./shop-harness.js";

/**
 * A gateway that answers a transfer request with a clear refusal though it took it, and the bank then
 * completes the transfer. The owner was told nothing was sent and the day's allowance was given back; once
 * the money has left after all, it counts against the day again, or the daily limit could be passed.
 */
let shop: Shop;
const { told } = shopPerFile((started) => (shop = started));

describe("a transfer refused by the gateway and completed by the bank", () => {
  it("counts against the day's allowance again, so the daily limit still holds", async () => {
    const desk = ownersDesk(shop);
    const send = (amount: number) => sendTransfer(desk, amount);

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

  it("tells the owner the completed transfer overturns the refusal she was told in the chat: she may have sent it again", async () => {
    // Found by a review of callback contents: the notice read as a plain "sent", with nothing against the
    // chat's "nothing was sent, it does not count against the daily limit".
    const desk = ownersDesk(shop);
    shop.sandbox.injectFault({ endpoint: "create-disbursement", when: "after", status: 400 });
    const refused = await sendTransfer(desk, 4_000_000);
    expect(refused.outcome.kind).toBe("refused");
    expect((await shop.simulate(`/sandbox/simulate/disbursements/${refused.externalId}/complete`)).status).toBe(200);
    await shop.settle();
    const [notice, ...more] = told(OWNER.id, refused.externalId);
    expect(more).toHaveLength(0);
    expect(notice).toContain("Transfer terkirim");
    expect(notice).toContain("Palladium sebelumnya menolak transfer ini, tetapi bank melaporkannya terkirim");
    expect(notice).toContain("mungkin keluar dua kali");
  });
});
