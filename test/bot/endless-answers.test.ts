import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { CASHIER, startWorld, textOf, type World } from "./world.js";

/**
 * A flow keeps every answer in its stored replay log and replays all of it on each update, so a question
 * must not be answerable wrongly without end, nor a flow left waiting for good.
 */

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function askedForName(w: World) {
  const askBank = await w.say(CASHIER, "/va");
  const askName = await w.press(CASHIER, askBank, { text: "BCA" });
  expect(textOf(askName)).toContain("nama pelanggan");
}

describe("a question answered wrongly again and again", () => {
  it("ends the flow at the twentieth wrong answer in a row, saying so; the next message is no longer taken as an answer", async () => {
    world = await startWorld({ staff: [CASHIER] });
    await askedForName(world);
    for (let i = 1; i < 20; i++) expect(textOf(await world.say(CASHIER, `Siti ${i}`))).toContain("Nama harus berisi huruf");
    expect(textOf(await world.say(CASHIER, "Siti 20"))).toContain("Sudah 20 kali jawabannya belum bisa dipakai");
    expect(textOf(await world.say(CASHIER, "Siti Aminah"))).not.toContain("nominal");
    expect(world.sandbox.stats().createRequests["create-virtual-account"]).toBe(0);
  });
});

describe("a question nobody answers", () => {
  it("is dropped after the flow's idle time: a late answer is handled as if no flow were running", async () => {
    world = await startWorld({ staff: [CASHIER], botDeps: { flowIdleMs: 300 } });
    await askedForName(world);
    await sleep(600);
    expect(textOf(await world.say(CASHIER, "Siti Aminah"))).not.toContain("nominal");
    // A fresh flow works as ever.
    await askedForName(world);
    expect(textOf(await world.say(CASHIER, "Siti Aminah"))).toContain("nominal");
  });
});
