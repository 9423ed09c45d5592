import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface RunningRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Dies at once (SIGKILL): its connections are reset and nothing listens until `start()`. */
  kill(): Promise<void>;
  /** Starts again on the same port and folder; with `durable`, with every write it acknowledged before. */
  start(): Promise<void>;
  /** Hangs (SIGSTOP) with its connections open, until `resume()` (SIGCONT); `stop()` resumes it first. */
  pause(): void;
  resume(): void;
}

/**
 * A throwaway `redis-server` on a free loopback port: its own temp dir, gone on stop(); no persistence
 * unless `durable` (an append-only file synced at every write, for stories that kill and start it again).
 * `.ci/ensure-redis.sh` installs the binary when it is missing.
 */
export async function startRedisServer(options: { durable?: boolean } = {}): Promise<RunningRedis> {
  let lastError: unknown;
  // A port found free can be taken before redis binds it; try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "pallabot-redis-"));
    let running = launch(port, dir, options.durable === true);
    try {
      await running.ready;
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        async stop() {
          running.child.kill("SIGCONT");
          await stopChild(running.child, running.exited);
          rmSync(dir, { recursive: true, force: true });
        },
        async kill() {
          running.child.kill("SIGKILL");
          await running.exited;
        },
        async start() {
          running = launch(port, dir, options.durable === true);
          await running.ready;
        },
        pause: () => void running.child.kill("SIGSTOP"),
        resume: () => void running.child.kill("SIGCONT"),
      };
    } catch (error) {
      lastError = error;
      await stopChild(running.child, running.exited);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  throw new Error(`could not start redis-server (run .ci/ensure-redis.sh): ${String(lastError)}`);
}

function launch(port: number, dir: string, durable: boolean): { child: ChildProcess; exited: Promise<number | null>; ready: Promise<void> } {
  const persistence = durable ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence, "--dir", dir, "--daemonize", "no", "--loglevel", "warning"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  let spawnError: unknown;
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    // e.g. ENOENT when redis-server is not installed: there will be no "exit".
    child.once("error", (error) => {
      spawnError = error;
      resolve(null);
    });
  });
  // "not found" (ENOENT) says more than "exited at start", which is how waitForPong sees it.
  const ready = waitForPong(port, exited).catch((error: unknown) => {
    throw spawnError ?? (stderr === "" ? error : new Error(`${String(error)}: ${stderr.trim()}`));
  });
  return { child, exited, ready };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.listen(0, "127.0.0.1", resolve).once("error", reject));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function waitForPong(port: number, exited: Promise<number | null>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 200; i++) {
    if (gone) throw new Error("redis-server exited at start");
    if (await ping(port)) return;
    await sleep(25);
  }
  throw new Error("redis-server did not answer PING within 5 s");
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    let answer = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      answer += chunk.toString();
      if (answer.includes("\r\n")) done(answer.startsWith("+PONG"));
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const stopped = await Promise.race([exited.then(() => true), sleep(3_000).then(() => false)]);
  if (!stopped) {
    child.kill("SIGKILL");
    await exited;
  }
}
