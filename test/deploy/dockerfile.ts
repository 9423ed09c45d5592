import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, posix } from "node:path";

/**
 * Reads a Dockerfile and performs its steps on this machine, with a temp dir standing in for each stage's
 * filesystem: no container engine can run or pull images where the tests run. Only the instructions the
 * project's Dockerfile uses are understood; anything else fails loudly, so a new instruction cannot slip
 * past the test untested.
 */

export type Instruction = { keyword: string; args: string; line: number };
export type Stage = { index: number; name: string | undefined; from: string; instructions: Instruction[] };

export type Healthcheck = {
  options: Record<string, string>;
  /** argv; a shell-form command becomes ["/bin/sh", "-c", command] as Docker runs it. */
  command: string[];
  execForm: boolean;
};

export type Copy = { from: string | undefined; chown: string | undefined; sources: string[]; dest: string };

/** What a stage ends with: the image's metadata plus where its filesystem lives on this machine. */
export type StageResult = {
  stage: Stage;
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string | undefined;
  cmd: string[] | undefined;
  cmdExecForm: boolean;
  healthcheck: Healthcheck | undefined;
  stopSignal: string | undefined;
  copies: Copy[];
  ran: string[];
  skipped: string[];
};

// ----------------------------------------------------------------------------------------------- parsing

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const physical = text.split(/\r?\n/);
  let pending: { parts: string[]; line: number } | undefined;
  const finish = (logical: string, line: number) => {
    const match = /^(\S+)\s*([\s\S]*)$/.exec(logical.trim());
    if (!match) return;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    if (keyword === "FROM") {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`line ${line}: cannot read FROM ${args}`);
      stages.push({ index: stages.length, name: from[2]?.toLowerCase(), from: from[1]!, instructions: [] });
      return;
    }
    const stage = stages.at(-1);
    if (!stage) {
      if (keyword === "ARG") return; // a global ARG before the first FROM
      throw new Error(`line ${line}: ${keyword} before any FROM`);
    }
    stage.instructions.push({ keyword, args, line });
  };
  physical.forEach((raw, i) => {
    const trimmed = raw.trim();
    // Comment lines (parser directives included) are dropped, even in the middle of a continued instruction.
    if (trimmed.startsWith("#")) return;
    if (pending === undefined && trimmed === "") return;
    const continued = /\\\s*$/.test(raw);
    const body = continued ? raw.replace(/\\\s*$/, "") : raw;
    if (pending === undefined) pending = { parts: [], line: i + 1 };
    pending.parts.push(body);
    if (!continued) {
      finish(pending.parts.join(" "), pending.line);
      pending = undefined;
    }
  });
  if (pending) finish(pending.parts.join(" "), pending.line);
  return stages;
}

/** The JSON-array (exec) form of RUN, CMD, COPY and HEALTHCHECK CMD, or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.trimStart().startsWith("[")) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    if (Array.isArray(parsed) && parsed.every((p): p is string => typeof p === "string")) return parsed;
  } catch {
    // Docker treats a malformed JSON array as the shell form.
  }
  return undefined;
}

/** Splits words the way the Dockerfile's ENV and flags do: quotes group, backslash escapes. */
export function words(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < text.length) {
      current += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(current);
      current = "";
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated quote in: ${text}`);
  if (inWord) out.push(current);
  return out;
}

/** Leading --name=value flags, and what follows them. */
export function flags(args: string): { flags: Record<string, string>; rest: string } {
  const found: Record<string, string> = {};
  let rest = args.trim();
  for (;;) {
    const m = /^--([a-z-]+)(?:=(\S*))?\s*/i.exec(rest);
    if (!m) return { flags: found, rest };
    found[m[1]!.toLowerCase()] = m[2] ?? "true";
    rest = rest.slice(m[0].length);
  }
}

export function parseEnv(args: string): Record<string, string> {
  const parts = words(args);
  if (parts.length > 0 && !parts[0]!.includes("=")) {
    // The legacy form: ENV KEY value with spaces
    const m = /^(\S+)\s+([\s\S]*)$/.exec(args.trim());
    if (!m) throw new Error(`cannot read ENV ${args}`);
    return { [m[1]!]: words(m[2]!).join(" ") };
  }
  const env: Record<string, string> = {};
  for (const part of parts) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new Error(`cannot read ENV ${args}`);
    env[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return env;
}

export function parseCopy(args: string): Copy {
  const { flags: f, rest } = flags(args);
  const list = execForm(rest) ?? rest.split(/\s+/).filter((w) => w !== "");
  if (list.length < 2) throw new Error(`COPY needs a source and a destination: ${args}`);
  return { from: f.from, chown: f.chown, sources: list.slice(0, -1), dest: list.at(-1)! };
}

export function parseHealthcheck(args: string): Healthcheck | undefined {
  const { flags: options, rest } = flags(args);
  if (/^NONE$/i.test(rest)) return undefined;
  const m = /^CMD\s+([\s\S]+)$/i.exec(rest);
  if (!m) throw new Error(`cannot read HEALTHCHECK ${args}`);
  const exec = execForm(m[1]!);
  return { options, command: exec ?? ["/bin/sh", "-c", m[1]!], execForm: exec !== undefined };
}

// ------------------------------------------------------------------------------------------- performing

export type BuildContext = {
  /** Directory holding the context files. */
  root: string;
  /** The files the context holds, relative posix paths (what `docker build .` would send). */
  files: readonly string[];
};

export type PerformOptions = {
  context: BuildContext;
  /** Where each stage's filesystem lives on this machine (an empty dir per stage). */
  stageRoot: (stage: Stage) => string;
  /** Environment every RUN starts from (the base image's own variables, here the machine's). */
  baseEnv: Record<string, string>;
  /** Decides which RUN instructions this machine cannot and need not perform (with the reason). */
  skipRun?: (command: string) => string | undefined;
  /** Rewrites a shell-form RUN before it runs here, e.g. mapping the image's user to this machine's. */
  adaptRun?: (command: string) => string;
  onOutput?: (chunk: string) => void;
};

/** Performs every stage in order; returns each stage's result, the last one being the image. */
export async function performDockerfile(stages: Stage[], options: PerformOptions): Promise<StageResult[]> {
  const results: StageResult[] = [];
  for (const stage of stages) {
    results.push(await performStage(stage, results, options));
  }
  return results;
}

const KNOWN = new Set(["WORKDIR", "COPY", "RUN", "ENV", "CMD", "HEALTHCHECK", "USER", "EXPOSE", "VOLUME", "STOPSIGNAL", "LABEL"]);

async function performStage(stage: Stage, earlier: StageResult[], options: PerformOptions): Promise<StageResult> {
  const root = options.stageRoot(stage);
  mkdirSync(root, { recursive: true });
  const parent = earlier.find((r) => r.stage.name !== undefined && r.stage.name === stage.from.toLowerCase());
  if (parent) cpSync(parent.root, root, { recursive: true, verbatimSymlinks: true });
  const result: StageResult = {
    stage,
    root,
    workdir: parent?.workdir ?? "/",
    env: { ...(parent?.env ?? {}) },
    user: parent?.user,
    cmd: parent?.cmd,
    cmdExecForm: parent?.cmdExecForm ?? false,
    healthcheck: parent?.healthcheck,
    stopSignal: parent?.stopSignal,
    copies: [],
    ran: [],
    skipped: [],
  };
  const here = (imagePath: string) => join(root, imagePath);
  const workdirs = new Set<string>();

  for (const ins of stage.instructions) {
    if (!KNOWN.has(ins.keyword)) {
      throw new Error(`Dockerfile line ${ins.line}: ${ins.keyword} is not performed by this test yet; teach test/deploy/dockerfile.ts`);
    }
    if (/\$\{?[A-Za-z_]/.test(ins.args) && ["WORKDIR", "COPY", "ENV"].includes(ins.keyword)) {
      throw new Error(`Dockerfile line ${ins.line}: variable substitution in ${ins.keyword} is not performed by this test`);
    }
    switch (ins.keyword) {
      case "WORKDIR": {
        result.workdir = posix.resolve(result.workdir, ins.args);
        workdirs.add(result.workdir);
        mkdirSync(here(result.workdir), { recursive: true });
        break;
      }
      case "ENV":
        Object.assign(result.env, parseEnv(ins.args));
        break;
      case "USER":
        result.user = ins.args;
        break;
      case "CMD": {
        const exec = execForm(ins.args);
        result.cmd = exec ?? ["/bin/sh", "-c", ins.args];
        result.cmdExecForm = exec !== undefined;
        break;
      }
      case "HEALTHCHECK":
        result.healthcheck = parseHealthcheck(ins.args);
        break;
      case "STOPSIGNAL":
        result.stopSignal = ins.args;
        break;
      case "VOLUME":
        for (const v of execForm(ins.args) ?? ins.args.split(/\s+/)) mkdirSync(here(posix.resolve(result.workdir, v)), { recursive: true });
        break;
      case "EXPOSE":
      case "LABEL":
        break;
      case "COPY": {
        const copy = parseCopy(ins.args);
        result.copies.push(copy);
        performCopy(copy, result, earlier, options.context);
        break;
      }
      case "RUN": {
        const exec = execForm(ins.args);
        const text = exec ? exec.join(" ") : ins.args;
        const reason = options.skipRun?.(text);
        if (reason) {
          result.skipped.push(`${text}  (${reason})`);
          break;
        }
        // Paths under the stage's WORKDIRs are the image's paths: point them at this stage's temp root.
        const mapPaths = (s: string) => {
          let out = s;
          for (const w of [...workdirs].filter((w) => w !== "/").sort((a, b) => b.length - a.length)) {
            const escaped = w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            out = out.replace(new RegExp(`(^|[\\s'"=:])${escaped}(?=/|[\\s'";&|)]|$)`, "g"), `$1${here(w)}`);
          }
          return out;
        };
        const argv = exec
          ? exec.map(mapPaths)
          : ["/bin/sh", "-c", mapPaths(options.adaptRun ? options.adaptRun(ins.args) : ins.args)];
        await run(argv, { cwd: here(result.workdir), env: { ...options.baseEnv, ...result.env }, onOutput: options.onOutput });
        result.ran.push(text);
        break;
      }
    }
  }
  return result;
}

function performCopy(copy: Copy, stage: StageResult, earlier: StageResult[], context: BuildContext): void {
  const destImage = posix.resolve(stage.workdir, copy.dest);
  const destIsDir = copy.dest.endsWith("/") || copy.sources.length > 1;
  const dest = join(stage.root, destImage);
  for (const source of copy.sources) {
    if (/[*?[]/.test(source)) throw new Error(`COPY wildcards are not performed by this test: ${source}`);
    if (copy.from !== undefined) {
      const from = earlier.find((r) => r.stage.name === copy.from!.toLowerCase() || String(r.stage.index) === copy.from);
      if (!from) throw new Error(`COPY --from=${copy.from}: no such earlier stage`);
      const src = join(from.root, posix.resolve("/", source));
      if (!existsSync(src)) throw new Error(`COPY --from=${copy.from} ${source}: not in that stage`);
      // A directory's contents go into the destination, as Docker copies them.
      const target = statSync(src).isDirectory() || !destIsDir ? dest : join(dest, posix.basename(source));
      mkdirSync(statSync(src).isDirectory() ? target : dirname(target), { recursive: true });
      // Relative symlinks (node_modules/.bin) stay relative: the copy must not point back into the build stage.
      cpSync(src, target, { recursive: true, verbatimSymlinks: true });
      continue;
    }
    const rel = posix.normalize(source).replace(/^(\.\/)+/, "").replace(/\/+$/, "");
    const inside = rel === "." ? [...context.files] : context.files.filter((f) => f.startsWith(`${rel}/`));
    if (context.files.includes(rel)) {
      const target = destIsDir ? join(dest, posix.basename(rel)) : dest;
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(context.root, rel), target);
    } else if (inside.length > 0) {
      for (const file of inside) {
        const target = join(dest, rel === "." ? file : file.slice(rel.length + 1));
        mkdirSync(dirname(target), { recursive: true });
        cpSync(join(context.root, file), target);
      }
    } else {
      throw new Error(`COPY ${source}: not in the build context`);
    }
  }
}

export type RunOptions = { cwd: string; env: Record<string, string>; onOutput?: ((chunk: string) => void) | undefined };

/** Runs argv to completion; rejects with the output's tail when it fails. */
export function run(argv: string[], opts: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      opts.onOutput?.(text);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${argv.join(" ")} failed (${signal ?? `exit ${String(code)}`}) in ${opts.cwd}:\n${output.slice(-4000)}`));
    });
  });
}
