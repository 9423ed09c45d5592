import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalBotApi } from "../../src/telegram-local/index.js";
import { DEFAULT_STORE_URL } from "../../src/config.js";
import { parseDockerfile, performDockerfile, run, type StageResult } from "./dockerfile.js";

/**
 * The operator's `docker build` and `docker run`, performed without a container engine (none can run or
 * pull images on these machines): the Dockerfile's own steps, in a clean temp copy of the project holding
 * only what it COPYs, then its final stage started with its own CMD and ENV until /healthz answers.
 * What this cannot show: the base image itself (its Node, its `node` user, its libc) and BuildKit's
 * own behaviour; the machine's Node and tools stand in for the image's.
 */

// CI runs this from a fresh clone somewhere else: the repository is wherever this file is.
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
// npm ci compiles better-sqlite3's addon: 1.5 to 4 minutes on a loaded two-core machine.
const BUILD_TIMEOUT_MS = 8 * 60_000;
const HEALTHZ_WAIT_MS = 60_000;
const SIGTERM_DEADLINE_MS = 10_000;

const tempDirs: string[] = [];
const children: ChildProcess[] = [];
const telegram = createLocalBotApi({ botUsername: "pallabot_image_bot" });

let image: StageResult;
let build: StageResult;
let appDir: string;

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await telegram.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  // Removing two node_modules trees (one with a compiled better-sqlite3) can take a while on a busy CI disk.
}, 120_000);

function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `pallabot-image-${label}-`));
  tempDirs.push(dir);
  return dir;
}

/** The files `docker build .` would send and the lead will commit: tracked plus new, minus .gitignore'd. */
function contextFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: repoRoot, encoding: "utf8" });
  return [...new Set(out.split("\0").filter((f) => f !== "" && existsSync(join(repoRoot, f))))];
}

/**
 * What a RUN or the started image gets from the "base image": the machine's environment, minus what the
 * test runner and npm add (NODE_ENV=test, node_modules/.bin on PATH, lifecycle variables pointing back at
 * this checkout) and minus the bot's own settings, so only the Dockerfile and the test decide those.
 */
function machineEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(NODE_ENV|NODE_OPTIONS|VITEST.*|TEST|INIT_CWD|npm_(lifecycle|package|command|execpath|node_execpath).*|npm_config_(local_)?prefix)$/i.test(key)) continue;
    if (/^(BOT_TOKEN|TELEGRAM_.*|OWNER_IDS|STORE_URL|PALLAPI_.*|PORT|HOST|LOG_LEVEL|DISBURSE_.*)$/.test(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((p) => !p.includes("node_modules"))
    .join(delimiter);
  return env;
}

function userExists(name: string): boolean {
  try {
    execFileSync("id", ["-u", name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe("an operator builds the image and runs it", () => {
  const dockerfile = readFileSync(join(repoRoot, "Dockerfile"), "utf8");
  const stages = parseDockerfile(dockerfile);

  beforeAll(async () => {
    const context = { root: repoRoot, files: contextFiles() };
    const results = await performDockerfile(stages, {
      context,
      stageRoot: (stage) => tempDir(stage.name ?? `stage${stage.index}`),
      // `npm ci --prefer-offline`, said through npm's environment so the commands stay the Dockerfile's own:
      // tarballs come from npm's cache when it has them (15 s instead of 33 s here for the downloads).
      baseEnv: { ...machineEnv(), npm_config_prefer_offline: "true" },
      // apt-get installs the image's system packages (python3, make, g++ for better-sqlite3); this machine already
      // has them, and the test must not touch the machine's packages.
      skipRun: (command) => (/\bapt-get\b/.test(command) ? "system packages: the machine has them already" : undefined),
      // The base image has a `node` user; where this machine has none, the test's own user stands in for it.
      adaptRun: (command) =>
        userExists("node") ? command : command.replace(/\bnode:node\b/g, `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`),
    });
    build = results[0]!;
    image = results.at(-1)!;
    appDir = join(image.root, image.workdir);
    // The image must not lean on anything left in the build stage: it is gone before the image starts.
    for (const r of results.slice(0, -1)) rmSync(r.root, { recursive: true, force: true });
  }, BUILD_TIMEOUT_MS);

  it("is a multi-stage build that installs with npm ci and builds in the first stage", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build.ran.some((c) => /\bnpm ci\b/.test(c))).toBe(true);
    expect(build.ran.some((c) => /\bnpm run build\b/.test(c))).toBe(true);
    expect(build.ran.some((c) => /\bnpm prune\b.*--omit=dev/.test(c))).toBe(true);
    expect(build.skipped.every((c) => c.includes("apt-get"))).toBe(true);
    // Only what the Dockerfile names went into the build: no tests, no bench, no local node_modules.
    expect(build.copies.every((c) => c.from === undefined)).toBe(true);
    expect(build.copies.flatMap((c) => c.sources).sort()).toEqual(
      expect.arrayContaining(["package-lock.json", "package.json", "src"]),
    );
    expect(build.copies.flatMap((c) => c.sources)).not.toContain("test");
  });

  it("holds compiled JavaScript, the locales and production dependencies only", () => {
    const pkg = JSON.parse(readFileSync(join(appDir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as {
      packages: Record<string, { dev?: boolean; optional?: boolean }>;
    };

    expect(existsSync(join(appDir, "dist", "main.js"))).toBe(true);
    expect(existsSync(join(appDir, "dist", "app.js"))).toBe(true);
    expect(filesUnder(join(appDir, "dist")).filter((f) => f.endsWith(".ts"))).toEqual([]);
    expect(readdirSync(join(appDir, "locales")).sort()).toEqual(["en", "id"]);
    expect(filesUnder(join(appDir, "locales", "id")).filter((f) => f.endsWith(".ftl")).length).toBeGreaterThan(0);
    expect(existsSync(join(appDir, "src"))).toBe(false);
    expect(existsSync(join(appDir, "test"))).toBe(false);
    expect(existsSync(join(appDir, "bench"))).toBe(false);

    for (const name of Object.keys(pkg.dependencies)) {
      expect(existsSync(join(appDir, "node_modules", name, "package.json")), `${name} is a production dependency`).toBe(true);
    }
    expect(existsSync(join(appDir, "node_modules", "vitest"))).toBe(false);
    expect(existsSync(join(appDir, "node_modules", "typescript"))).toBe(false);
    const devOnly = Object.entries(lock.packages)
      .filter(([path, meta]) => path.startsWith("node_modules/") && meta.dev === true)
      .map(([path]) => path);
    expect(devOnly.length).toBeGreaterThan(0);
    expect(devOnly.filter((path) => existsSync(join(appDir, path)))).toEqual([]);
    // better-sqlite3's addon was built (or fetched) in the build stage and came across.
    expect(filesUnder(join(appDir, "node_modules", "better-sqlite3")).some((f) => f.endsWith(".node"))).toBe(true);
  });

  it("runs as the unprivileged node user, with node itself as PID 1", () => {
    expect(image.user).toBe("node");
    expect(image.cmdExecForm).toBe(true);
    expect(image.cmd?.[0]).toBe("node");
    expect(image.env.NODE_ENV).toBe("production");
    expect(image.stopSignal ?? "SIGTERM").toBe("SIGTERM");
    expect(image.healthcheck?.command.join(" ")).toContain("/healthz");
    // From the build stage only its compiled output and pruned dependencies; from the project only what runs.
    expect(image.copies.filter((c) => c.from !== undefined).flatMap((c) => c.sources).sort()).toEqual(["/app/dist", "/app/node_modules"]);
    expect(image.copies.filter((c) => c.from === undefined).flatMap((c) => c.sources).sort()).toEqual(["locales", "package.json"]);
    // The code is root's, read-only to the bot: nothing is copied in as the bot's own.
    expect(image.copies.filter((c) => c.chown !== undefined)).toEqual([]);
    // The data directory the default STORE_URL points into (./data/ under the image's WORKDIR) exists and
    // belongs to the bot's user; the image sets no STORE_URL of its own, so sandbox mode keeps its own file.
    expect(image.env.STORE_URL).toBeUndefined();
    const storeDir = join(image.root, posix.resolve(image.workdir, DEFAULT_STORE_URL.replace(/^sqlite:\/\//, "").replace(/\/[^/]+$/, "")));
    expect(statSync(storeDir).isDirectory()).toBe(true);
    if (!userExists("node")) expect(statSync(storeDir).uid).toBe(process.getuid?.());
  });

  it(
    "starts with the image's own command, answers /healthz and its HEALTHCHECK, and stops on SIGTERM with exit 0",
    async () => {
      const apiRoot = await telegram.listen({ host: "127.0.0.1", port: 0 });
      const port = await freeLoopbackPort();
      const dataDir = tempDir("data");
      const env = {
        ...machineEnv(),
        ...image.env,
        BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: apiRoot,
        PORT: String(port),
        HOST: "127.0.0.1",
        STORE_URL: `sqlite://${join(dataDir, "pallabot.sqlite")}`,
        OWNER_IDS: "1",
        // no PALLAPI_KEY: the bot runs on its in-process Palladium sandbox
      };
      const [command, ...args] = image.cmd!;
      const bot = spawn(command!, args, { cwd: appDir, env, stdio: ["ignore", "pipe", "pipe"] });
      children.push(bot);
      let output = "";
      bot.stdout.on("data", (c: Buffer) => (output += c.toString()));
      bot.stderr.on("data", (c: Buffer) => (output += c.toString()));
      const exited = once(bot, "exit") as Promise<[number | null, NodeJS.Signals | null]>;

      let healthy = false;
      const giveUp = Date.now() + HEALTHZ_WAIT_MS;
      while (!healthy && Date.now() < giveUp && bot.exitCode === null) {
        healthy = await fetch(`http://127.0.0.1:${port}/healthz`)
          .then((r) => r.status === 200)
          .catch(() => false);
        if (!healthy) await new Promise((r) => setTimeout(r, 250));
      }
      expect(healthy, `no 200 from /healthz; the bot said:\n${output}`).toBe(true);

      // The bot reached Telegram with its token and is long-polling for updates.
      // (getUpdates is recorded when its long poll returns, so ask whether one is waiting instead.)
      for (let i = 0; i < 120 && !telegram.isPolling(); i++) await new Promise((r) => setTimeout(r, 250));
      expect(telegram.isPolling(), `the bot never long-polled; it said:\n${output}`).toBe(true);
      expect(telegram.callsTo("getMe").length).toBeGreaterThan(0);

      // The shop owner says /start and is greeted in Indonesian: the compiled bot found its locales.
      const owner = { id: 1, first_name: "Sari", language_code: "id" };
      telegram.sendText(owner, { id: owner.id, type: "private", first_name: owner.first_name }, "/start");
      const greeting = await telegram.waitForBotMessage(owner.id, { text: /Sari/, timeoutMs: 15_000 });
      expect(greeting.text).not.toMatch(/\bbot-[a-z-]+/);

      const check = image.healthcheck!;
      await expect(run(check.command, { cwd: appDir, env })).resolves.toBeDefined();

      bot.kill("SIGTERM");
      const deadline = new Promise<"still running">((r) => setTimeout(() => r("still running"), SIGTERM_DEADLINE_MS).unref());
      const outcome = await Promise.race([exited, deadline]);
      expect(outcome, `after SIGTERM; the bot said:\n${output}`).toEqual([0, null]);

      expect(output).toContain("pallabot started");
      expect(output).not.toContain(telegram.token.split(":")[1]);
    },
    HEALTHZ_WAIT_MS + 60_000,
  );
});
