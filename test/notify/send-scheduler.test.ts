import { describe, expect, it } from "vitest";
import { createSendScheduler, DEFAULT_SEND_LIMITS } from "../../src/notify/send-scheduler.js";

/** The notifier's own reading of Telegram's limits, on a clock the test moves by hand. */

const GROUP = -100200300;
const CASHIER = 4242;

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("keeping to Telegram's limits", () => {
  it("a chat gets at most one message a second", () => {
    const c = clock();
    const s = createSendScheduler(DEFAULT_SEND_LIMITS, c.now);
    expect(s.readyAt(CASHIER, "message")).toBe(c.now());
    s.take(CASHIER, "message");
    expect(s.readyAt(CASHIER, "message")).toBe(c.now() + 1000);
    // Edits of the payment message run in their own lane.
    expect(s.readyAt(CASHIER, "edit")).toBe(c.now());
  });

  it("a group that had twenty messages this minute waits until the oldest is a minute old", () => {
    const c = clock();
    const s = createSendScheduler(DEFAULT_SEND_LIMITS, c.now);
    const firstAt = c.now();
    for (let i = 0; i < 20; i++) {
      expect(s.readyAt(GROUP, "message")).toBe(c.now());
      s.take(GROUP, "message");
      c.advance(1000);
    }
    expect(s.readyAt(GROUP, "message")).toBe(firstAt + 60_000);
    expect(s.capacityWithin(GROUP, 10_000)).toBe(0);
    // A private chat is not held by the group's minute.
    expect(s.readyAt(CASHIER, "message")).toBe(c.now());
  });

  it("thirty messages a second overall, across chats", () => {
    const c = clock();
    const s = createSendScheduler(DEFAULT_SEND_LIMITS, c.now);
    for (let chat = 1; chat <= 30; chat++) s.take(chat, "message");
    expect(s.readyAt(31, "message")).toBe(c.now() + 1000);
  });

  it("the interval counts from Telegram's answer, and a 429 pauses the chat", () => {
    const c = clock();
    const s = createSendScheduler(DEFAULT_SEND_LIMITS, c.now);
    const slot = s.take(CASHIER, "message");
    c.advance(300); // a slow answer
    s.settle(slot);
    expect(s.readyAt(CASHIER, "message")).toBe(c.now() + 1000);
    s.pause(CASHIER, c.now() + 5_000);
    expect(s.readyAt(CASHIER, "message")).toBe(c.now() + 5_000);
  });
});
