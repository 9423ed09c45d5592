import { describe, expect, it } from "vitest";
import { execForm, parseCopy, parseDockerfile, parseEnv, parseHealthcheck, words } from "./dockerfile.js";

/** The reader behind dockerfile-build.test.ts: if it misreads the Dockerfile, that test proves nothing. */

const SAMPLE = `# syntax=docker/dockerfile:1.7
# a comment
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \\
    # a comment inside a continued line is dropped
    && apt-get install -y make
COPY package.json package-lock.json ./

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \\
    STORE_URL=sqlite:///app/data/pallabot.sqlite \\
    PORT=8080
COPY --from=build --chown=node:node /app/node_modules ./node_modules
HEALTHCHECK --interval=30s --timeout=5s \\
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz')"]
CMD ["node", "dist/main.js"]
`;

describe("reading the Dockerfile", () => {
  const stages = parseDockerfile(SAMPLE);

  it("finds each stage with its name and base image", () => {
    expect(stages.map((s) => [s.name, s.from])).toEqual([
      ["build", "node:20-bookworm-slim"],
      ["runtime", "node:20-bookworm-slim"],
    ]);
  });

  it("joins continued lines and drops comments inside them", () => {
    const runs = stages[0]!.instructions.filter((i) => i.keyword === "RUN");
    expect(runs).toHaveLength(1);
    expect(runs[0]!.args.replace(/\s+/g, " ")).toBe("apt-get update && apt-get install -y make");
    expect(runs[0]!.line).toBe(5);
  });

  it("reads ENV pairs over several lines, and the legacy one-pair form", () => {
    const env = stages[1]!.instructions.find((i) => i.keyword === "ENV")!;
    expect(parseEnv(env.args)).toEqual({ NODE_ENV: "production", STORE_URL: "sqlite:///app/data/pallabot.sqlite", PORT: "8080" });
    expect(parseEnv(`GREETING "selamat pagi"`)).toEqual({ GREETING: "selamat pagi" });
    expect(parseEnv(`A="x y" B='z'`)).toEqual({ A: "x y", B: "z" });
  });

  it("reads COPY with its flags, several sources, and the JSON form", () => {
    expect(parseCopy("--from=build --chown=node:node /app/dist ./dist")).toEqual({
      from: "build",
      chown: "node:node",
      sources: ["/app/dist"],
      dest: "./dist",
    });
    expect(parseCopy("package.json package-lock.json ./").sources).toEqual(["package.json", "package-lock.json"]);
    expect(parseCopy('["locales", "./locales"]')).toMatchObject({ sources: ["locales"], dest: "./locales" });
  });

  it("reads HEALTHCHECK options and its command in exec and shell form", () => {
    const hc = parseHealthcheck(stages[1]!.instructions.find((i) => i.keyword === "HEALTHCHECK")!.args)!;
    expect(hc.options).toEqual({ interval: "30s", timeout: "5s" });
    expect(hc.execForm).toBe(true);
    expect(hc.command).toEqual(["node", "-e", "fetch('http://127.0.0.1:8080/healthz')"]);
    expect(parseHealthcheck("CMD curl -f http://localhost/healthz || exit 1")!.command).toEqual([
      "/bin/sh",
      "-c",
      "curl -f http://localhost/healthz || exit 1",
    ]);
    expect(parseHealthcheck("NONE")).toBeUndefined();
  });

  it("tells exec form from shell form", () => {
    expect(execForm('["node", "dist/main.js"]')).toEqual(["node", "dist/main.js"]);
    expect(execForm("node dist/main.js")).toBeUndefined();
    // A broken JSON array is the shell form to Docker, and so here.
    expect(execForm("[node, dist/main.js]")).toBeUndefined();
  });

  it("splits words with quotes and escapes", () => {
    expect(words(`a "b c" 'd e' f\\ g`)).toEqual(["a", "b c", "d e", "f g"]);
    expect(() => words(`"open`)).toThrow(/unterminated/);
  });
});
