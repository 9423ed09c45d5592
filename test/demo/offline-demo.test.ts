import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Drives `npm start`'s program as a new user would type into it: line by line on stdin. */
class TypedSession {
  private output = "";
  private readonly waiters = new Set<() => void>();
  constructor(readonly child: ChildProcessWithoutNullStreams) {
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString("utf8");
      for (const wake of this.waiters) wake();
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
  }
  get transcript(): string {
    return this.output;
  }
  /** Resolves once `text` appears after `from` in the transcript; bounded. */
  async waitFor(text: string | RegExp, from: number, timeoutMs = 20_000): Promise<number> {
    const found = () => {
      const rest = this.output.slice(from);
      const index = typeof text === "string" ? rest.indexOf(text) : rest.search(text);
      return index >= 0 ? from + index : -1;
    };
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = found();
      if (at >= 0) return at;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; transcript tail:\n${this.output.slice(-1500)}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
        setTimeout(wake, 200);
      });
    }
  }
  /** Types a line and waits for `expect` to appear in what follows. */
  async type(line: string, expectText: string | RegExp): Promise<string> {
    const from = this.output.length;
    this.child.stdin.write(`${line}\n`);
    const at = await this.waitFor(expectText, from);
    return this.output.slice(from, at + 200);
  }
}

/** A one-payment VA of Rp 150.000 from the menu (bank "1" BNI, "2" BCA); answers its number. */
async function makeOneOffVa(session: TypedSession, name: string, bank: "1" | "2"): Promise<string | undefined> {
  await session.type("/start", "Mau buat apa?");
  await session.type("1", "Pilih bank");
  await session.type(bank, "nama pelanggan");
  await session.type(name, "nominal");
  await session.type("150rb", "sekali bayar");
  await session.type("1", "Periksa dulu");
  return /\(QR: (\d{16})\)/.exec(await session.type("1", "Cara bayar"))?.[1];
}

/** The owner's /kirimdana, typed as a new user would: menu, bank, account, holder, amount, description, no e-mail, confirm. */
async function sendMoney(session: TypedSession, holder: string, description: string): Promise<void> {
  expect(await session.type("/start", "Mau buat apa?")).toContain("Kirim dana");
  await session.type("4", "Pilih bank tujuan");
  await session.type("1", "nomor rekening");
  await session.type("1234567890", "nama pemilik rekening");
  await session.type(holder, "nominal");
  await session.type("150rb", "keterangan");
  await session.type(description, "e-mail");
  expect(await session.type("1", "Periksa sekali lagi")).toContain("Rp 150.000");
  // The demo's shop has no group linked: only the owner is promised the result.
  const sent = await session.type("1", "sedang diproses bank");
  expect(sent).toContain("Anda akan diberi tahu hasilnya.");
  expect(sent).not.toContain("grup toko");
}

describe("the offline demo: npm start with no configuration", () => {
  const dir = mkdtempSync(join(tmpdir(), "pallabot-demo-"));
  const children: ChildProcessWithoutNullStreams[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  const ports = new Map<TypedSession, number>();

  /** `npm start`'s program with an empty environment but for a port and a store of its own. */
  async function startDemo(name: string, options: { port?: number } = {}): Promise<TypedSession> {
    const port = options.port ?? (await freePort());
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), STORE_URL: `sqlite://${join(dir, `${name}.sqlite`)}` };
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: repoRoot, env });
    children.push(child);
    const session = new TypedSession(child);
    // Indonesian, or the language the owner chose in an earlier run on the same store.
    await session.waitFor(/Demo offline pallabot|pallabot offline demo/, 0, 30_000);
    ports.set(session, port);
    return session;
  }

  async function quit(session: TypedSession): Promise<void> {
    const exited = new Promise<number | null>((resolve) => session.child.once("exit", (code) => resolve(code)));
    session.child.stdin.write("quit\n");
    expect(await exited).toBe(0);
  }

  /** `line` and "quit" typed at once: what the demo printed from then until it ended (with 0). */
  async function typedThenQuit(session: TypedSession, line: string): Promise<string> {
    const exited = new Promise<number | null>((resolve) => session.child.once("exit", (code) => resolve(code)));
    const from = session.transcript.length;
    session.child.stdin.write(`${line}\nquit\n`);
    expect(await exited).toBe(0);
    return session.transcript.slice(from);
  }

  it("gets a new user from 'create VA' to the paid notification without any other setup", async () => {
    const session = await startDemo("pay");

    expect(await session.type("/start", "Mau buat apa?")).toContain("Buat Virtual Account");
    await session.type("1", "Pilih bank");
    await session.type("2", "nama pelanggan");
    await session.type("Siti Aminah", "nominal");
    expect(await session.type("lima puluh", "tidak terbaca")).toContain("150rb");
    await session.type("150rb", "sekali bayar");
    expect(await session.type("1", "Periksa dulu")).toContain("Rp 150.000");
    const answer = await session.type("1", "Cara bayar");
    const number = /\(QR: (\d{16})\)/.exec(answer)?.[1];
    expect(number).toBeDefined();
    expect(answer).toContain(`Nomor VA: ${number}`);
    expect(answer).toContain("WIB");
    // The QR is drawn in the terminal with block characters.
    expect(answer).toMatch(/[▀▄█]{5,}/);

    // "pay" typed twice at once: the second finds nothing waiting (the bill is paid, its callback on its way),
    // rather than the sandbox's refusal to pay it again.
    const paid = await session.type("pay\npay", "Tidak ada tagihan yang menunggu pembayaran");
    expect(paid).toContain("Pelanggan Siti Aminah membayar Rp 150.000 untuk pb-");
    expect(session.transcript).not.toContain("Sandbox menolak");
    await session.waitFor("Pembayaran diterima", 0);
    await session.waitFor("SUDAH DIBAYAR", 0);
    // Exactly one "paid" notification, even after waiting for stragglers.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(session.transcript.match(/Pembayaran diterima/g)).toHaveLength(1);
    expect(session.transcript).toContain(`Metode: VA BCA ${number}`);

    await quit(session);
  }, 90_000);

  it("pays an older unpaid bill by its VA number, as the customer has it", async () => {
    const session = await startDemo("pay-by-number");
    const older = (await makeOneOffVa(session, "Siti Aminah", "2")) ?? "";
    await makeOneOffVa(session, "Budi Santoso", "2");
    // Typed as its message groups it for reading (the customer reads it out so).
    const groupedForReading = older.replace(/(\d{4})(?=\d)/g, "$1 ");
    expect(await session.type(`pay ${groupedForReading}`, "membayar")).toContain("Pelanggan Siti Aminah membayar Rp 150.000");
    await session.waitFor(`Metode: VA BCA ${older}`, 0);
    // The newer one still waits: plain "pay" takes it. "quit" typed at once still shows its notice first.
    const last = await typedThenQuit(session, "pay");
    expect(last).toContain("Pelanggan Budi Santoso membayar");
    expect(last).toContain("Pembayaran diterima");
    // And the bill's own message, marked paid (found by a review of the demo as a new user).
    expect(last).toMatch(/\(diubah\) ──[^─]*SUDAH DIBAYAR[^─]*Budi Santoso/);
  }, 90_000);

  it("lets a multi-use VA be paid again with 'pay', counting each payment in the chat and in the list", async () => {
    const session = await startDemo("multi-use");
    await session.type("/start", "Mau buat apa?");
    await session.type("1", "Pilih bank");
    await session.type("1", "nama pelanggan");
    await session.type("Warung Bu Tini", "nominal");
    await session.type("25rb", "sekali bayar");
    expect(await session.type("2", "Periksa dulu")).toContain("bisa berulang");
    await session.type("1", "Cara bayar");

    await session.type("pay", "Pembayaran ke-1 ke VA berulang ini · total Rp 25.000");
    await session.waitFor("sudah dibayar 1×", 0);
    // Paid once, still open: "pay" finds it again.
    const from = session.transcript.length;
    session.child.stdin.write("pay\n");
    await session.waitFor("Pembayaran ke-2 ke VA berulang ini · total Rp 50.000", from);
    await session.waitFor(/sudah dibayar 2×\nTotal: Rp 50\.000[^]*Masih bisa dibayar lagi/, from);
    expect(await session.type("/pembayaran", "Pembayaran terakhir")).toBeDefined();
    await session.waitFor("♻️ Dibayar 2× BNI", from);
    await session.waitFor("tagihan Rp 25.000, total Rp 50.000 · Warung Bu Tini", from);
    // The edited QR message kept its button: pressing it pays a third time.
    await session.type("1", "Pembayaran ke-3 ke VA berulang ini · total Rp 75.000");
    await session.waitFor("sudah dibayar 3×", from);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(session.transcript.match(/Pembayaran ke-\d/g)).toEqual(["Pembayaran ke-1", "Pembayaran ke-2", "Pembayaran ke-3"]);

    await quit(session);
  }, 90_000);

  it("run again on the shop kept in STORE_URL, pays the bill and settles the transfer the last run left waiting, and greets in the language chosen", async () => {
    const first = await startDemo("kept");
    const number = await makeOneOffVa(first, "Siti Aminah", "1");
    expect(number).toBeDefined();
    await sendMoney(first, "Budi Santoso", "Sewa kios");
    const english = /\[(\d+)\]\s*\S*\s*English/.exec(await first.type("/language", "English"))?.[1] ?? "";
    await first.type(english, "Language set to English");
    await first.type("/start", "Create Virtual Account");
    await quit(first);

    // The sandbox lives in memory: this run's never made them. Both are shown to it from the shop's records.
    const again = await startDemo("kept");
    expect(again.transcript).toContain("pallabot offline demo: you are the shop owner.");
    await again.waitFor(/Chatting with @\w+ as Pemilik Toko/, 0);
    expect(await again.type("pay", "paid Rp 150.000")).toContain("The customer Siti Aminah paid Rp 150.000");
    await again.waitFor(`Method: BNI VA ${number}`, 0);
    expect(await again.type("bank", "Transfer sent")).toContain("The bank completed the transfer of Rp 150.000 to Budi Santoso");
    const reference = /Ref: (pb-\S+)/.exec(again.transcript.slice(again.transcript.indexOf("Transfer sent")))?.[1];
    expect(reference).toBeDefined();
    await quit(again);

    // A third run: the bill and the transfer are settled in the shop's records, and this sandbox never heard of
    // them. Refused from the records, in the owner's words, not with the sandbox's English.
    const third = await startDemo("kept");
    expect(await third.type(`pay ${number}`, "refused the payment")).toContain("The sandbox refused the payment: this one-payment bill is paid already.");
    expect(await third.type(`bank ${reference}`, "could not process")).toContain("the bank has already given this transfer's result.");
    expect(third.transcript).not.toContain("external_id");
    await quit(third);
  }, 120_000);

  it("says in words, not in a log line, that its port was taken and which one it uses instead", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const session = await startDemo("port-taken", { port });
      const said = await session.waitFor(/Port \d+ sudah dipakai program lain, jadi demo memakai port \d+\./, 0);
      const [, wanted, used] = /Port (\d+) sudah dipakai program lain, jadi demo memakai port (\d+)/.exec(session.transcript.slice(said)) ?? [];
      expect(Number(wanted)).toBe(port);
      expect(Number(used)).not.toBe(port);
      expect(session.transcript).not.toContain('{"level"');
      expect(await session.type("/start", "Mau buat apa?")).toContain("Buat Virtual Account");
      await quit(session);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  }, 60_000);

  it("lets the owner play the bank: 'bank' completes the transfer and the 'sent' notification arrives", async () => {
    const session = await startDemo("transfer-completed");
    // A description that is a word of the demo's own reaches the bot, not the demo.
    await sendMoney(session, "Budi Santoso", "Transfer");

    const completed = await session.type("bank", "Transfer terkirim");
    expect(completed).toContain("Bank menyelesaikan transfer Rp 150.000 ke Budi Santoso");
    const reference = /Ref: (\S+)/.exec(session.transcript.slice(session.transcript.indexOf("Transfer terkirim")))?.[1];
    expect(reference).toMatch(/^pb-/);
    expect(session.transcript).toContain("Ke: BCA 1234567890 a.n. Budi Santoso");

    // Settled once: nothing is left for the bank, and naming it gets the sandbox's reason, in the owner's words.
    expect(await session.type("bank", "Tidak ada transfer")).toContain("sedang diproses bank");
    expect(await session.type(`bank gagal ${reference}`, "Sandbox tidak bisa memproses")).toContain("bank sudah memberi hasil untuk transfer ini");
    expect(session.transcript.match(/Transfer terkirim/g)).toHaveLength(1);
    expect(session.transcript).not.toContain("Transfer gagal");
    // Its "being processed" message, scrolled back to, says it went through.
    expect(session.transcript).toMatch(/\(diubah\) ──[^─]*✅ Transfer Rp 150\.000 ke BCA 1234567890 a\.n\. Budi Santoso berhasil/);

    // Another one, and "quit" typed right after "bank": its notice and its message's edit still show first.
    await sendMoney(session, "Budi Santoso", "Transfer");
    const last = await typedThenQuit(session, "bank");
    expect(last).toContain("Transfer terkirim");
    expect(last).toMatch(/\(diubah\) ──[^─]*berhasil/);
  }, 90_000);

  it("lets the owner play a bank that refuses: 'bank gagal' and the 'failed' notification with its reason arrives", async () => {
    const session = await startDemo("transfer-failed");
    // An English description beginning with "pay" reaches the bot too, not the demo's customer.
    await sendMoney(session, "Siti Aminah", "Pay INV-0042");

    const failed = await session.type("bank gagal", "Transfer gagal");
    expect(failed).toContain("Bank menolak transfer Rp 150.000 ke Siti Aminah");
    const notification = session.transcript.slice(session.transcript.indexOf("Transfer gagal"));
    expect(notification).toContain("Ke: BCA 1234567890 a.n. Siti Aminah");
    expect(failed).toContain("di sandbox: bank tujuan menolak transfer ini.");
    expect(notification).toContain("Alasan: bank tujuan menolak transfer ini.");
    // A refusal another try may get past: the owner is offered it, as under the sandbox's own "Bank: gagal" button.
    expect(notification).toMatch(/\[\d+\] 🔁 Kirim lagi/);
    // The owner's first worry after a failed transfer: the money, and today's limit.
    expect(notification).toContain("Uangnya tidak terkirim, dan jumlahnya tidak dihitung dalam batas kirim harian.");
    expect(session.transcript).not.toContain("Transfer terkirim");
    // "pay" with a transfer's reference says what it is, instead of "nothing is waiting".
    const reference = /Ref: (\S+)/.exec(notification)?.[1] ?? "";
    expect(await session.type(`pay ${reference}`, "bukan tagihan")).toContain("adalah transfer keluar");
    // Played again, the bank's second word is refused in the owner's language, not in the sandbox's English.
    expect(await session.type(`bank ${reference}`, "Sandbox tidak bisa memproses transfer ini")).toContain(
      "Sandbox tidak bisa memproses transfer ini: bank sudah memberi hasil untuk transfer ini.",
    );

    await quit(session);
  }, 90_000);

  it("says so when no transfer is waiting for the bank, and lists 'bank' in its help, Indonesian and then English", async () => {
    const session = await startDemo("transfer-nothing");
    expect(await session.type("bank", "Tidak ada transfer")).toContain("Kirim dana dulu dengan /kirimdana");
    // A reference that is no bill of the shop's (here an amount) is named, not answered "nothing is waiting".
    expect(await session.type("pay 20000", "Tidak ada tagihan dengan referensi, nomor VA atau kode 20000")).toContain("Ketik pay saja");
    // So is an Alfamart code mistyped (the sandbox's are TEST and six digits), instead of reaching the bot.
    expect(await session.type("pay TEST30710", "Tidak ada tagihan dengan referensi, nomor VA atau kode TEST30710")).toContain("Ketik pay saja");
    const help = await session.type("?", "bank [gagal]");
    expect(help).toContain("pay [ref]");
    // The terminal speaks the demo's language too, not only the bot.
    expect(help).toContain("Ketik pesan lalu tekan Enter untuk mengirimnya.");
    expect(session.transcript).toMatch(/Anda mengobrol dengan @\w+ sebagai Pemilik Toko \(user id 700000001\)/);
    expect(session.transcript).not.toContain("Chatting with");

    // Its server (sandbox, callbacks, /metrics) listens on this machine only, not on every interface. (On the
    // port it was given, or the one it says it took when that one was gone by the time it started.)
    const took = /jadi demo memakai port (\d+)/.exec(session.transcript)?.[1];
    const port = (took === undefined ? ports.get(session)! : Number(took)).toString(16).toUpperCase().padStart(4, "0");
    const listening = readFileSync("/proc/net/tcp", "utf8").split("\n").filter((l) => l.includes(`:${port} 00000000:0000 0A`));
    expect(listening.map((l) => l.trim().split(/\s+/)[1])).toEqual([`0100007F:${port}`]);

    // Once the owner picks English, the demo's own lines are English too.
    const choose = await session.type("/language", "English");
    const english = /\[(\d+)\]\s*\S*\s*English/.exec(choose)?.[1];
    expect(english).toBeDefined();
    await session.type(english ?? "", "Language set to English");
    // The choice is stored once its update is done: the next message to the bot waits for that (one update at a time per person).
    await session.type("/start", "Create Virtual Account");
    expect(await session.type("bank", "No transfer is waiting")).toContain("/disburse");
    // And so is its help.
    const englishHelp = await session.type("?", "play the customer");
    expect(englishHelp).toContain("Type a message and press Enter to send it.");
    expect(englishHelp).not.toContain("Ketik pesan");
    // The terminal's note on a message the bot edited follows the language too (it was read once, at start).
    const from = session.transcript.length;
    await session.type("/va", "Choose the bank");
    await session.type("1", "customer's name");
    await session.type("Siti Aminah", "amount");
    await session.type("150rb", "one payment, or multi-use");
    await session.type("1", "Please check");
    await session.type("1", "How to pay");
    // Paid: the bot edits the VA's message to say so.
    await session.type("pay", "(edited)");
    expect(session.transcript.slice(from)).not.toContain("(diubah)");

    await quit(session);
  }, 60_000);
});
