import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
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

describe("the offline demo: npm start with no configuration", () => {
  const dir = mkdtempSync(join(tmpdir(), "pallabot-demo-"));
  let child: ChildProcessWithoutNullStreams | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("gets a new user from 'create VA' to the paid notification without any other setup", async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), STORE_URL: `sqlite://${join(dir, "demo.sqlite")}` };
    child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: repoRoot, env });
    const session = new TypedSession(child);
    await session.waitFor("Demo offline pallabot", 0, 30_000);

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

    const paid = await session.type("pay", "Pembayaran diterima");
    expect(paid).toContain("Pelanggan membayar");
    await session.waitFor("SUDAH DIBAYAR", 0);
    // Exactly one "paid" notification, even after waiting for stragglers.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(session.transcript.match(/Pembayaran diterima/g)).toHaveLength(1);
    expect(session.transcript).toContain(`Metode: VA BCA ${number}`);

    const exited = new Promise<number | null>((resolve) => child?.once("exit", (code) => resolve(code)));
    child.stdin.write("quit\n");
    expect(await exited).toBe(0);
  }, 90_000);
});
