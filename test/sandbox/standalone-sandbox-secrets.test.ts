import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

/**
 * `npm run sandbox` with a key or callback token the bot would refuse: the sandbox refuses them too, by
 * name and without their values, instead of starting a gateway the bot can never be configured for.
 */
it("the standalone sandbox refuses an 11-character key and a 15-character callback token, as the bot does", async () => {
  const key = "pallapi_abc";
  const token = "cbtoken-1234567";
  const refused = await run("node_modules/.bin/tsx", ["src/sandbox/main.ts"], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", SANDBOX_API_KEY: key, SANDBOX_CALLBACK_TOKEN: token, LOG_LEVEL: "warn" },
    timeout: 25_000,
  }).then(
    () => ({ code: 0, stderr: "" }),
    (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: String(error.stderr) }),
  );
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("SANDBOX_API_KEY must be at least 12 characters");
  expect(refused.stderr).toContain("SANDBOX_CALLBACK_TOKEN must be at least 16 characters");
  expect(refused.stderr).not.toContain(key);
  expect(refused.stderr).not.toContain(token);
});
