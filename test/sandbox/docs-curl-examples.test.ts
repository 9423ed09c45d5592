import { execFile, spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readGatewayTime } from "../../src/domain/jakarta-time.js";
import {
  disbursementResponseSchema,
  retailPaymentResponseSchema,
  virtualAccountResponseSchema,
} from "../../src/gateway/response-schemas.js";

const run = promisify(execFile);

/**
 * The three curl examples from the Palladium docs, copied as written. The test swaps only the host and
 * the key, and runs them with the real curl against the sandbox's own entry point (`npm run sandbox`)
 * started as a child process.
 */
const DOCS_EXAMPLES = {
  virtualAccount: `curl --location --request POST 'https://qa.pallapi.com/api/v2/create-virtual-account' \\
--header 'Authorization: Bearer bearer-token' \\
--form 'bank_code="BNI"' \\
--form 'name="PT Test Bersama"' \\
--form 'is_single_use="true"' \\
--form 'amount="10000000"' \\
--form 'external_id="124"'`,
  retail: `curl --location --request POST 'https://qa.pallapi.com/api/v2/create-retail-payment' \\
--header 'Authorization: Bearer pallapi_secret_development_90f9c69a09ee36d31a1b734d75d8fa74' \\
--form 'name="PT Test Bersama"' \\
--form 'retail_outlet_name="ALFAMART"' \\
--form 'amount="1000000"' \\
--form 'external_id="123"'`,
  disbursement: `curl --location --request POST 'https://qa.pallapi.com/api/v2/create-disbursement' \\
--header 'Authorization: Bearer secret_key' \\
--form 'bank_code="BCA"' \\
--form 'account_name="Dono Warkop"' \\
--form 'account_number="12345678"' \\
--form 'description="Bayar Nasabah"' \\
--form 'external_id="124"' \\
--form 'email_to="dono@gmail.com"' \\
--form 'email_cc="dono@gmail.com"' \\
--form 'email_bcc="dono@gmail.com"' \\
--form 'amount="20000000"'`,
};

const KEY = "pallapi_secret_development_5f0c2b7e9a1d4c3b8e6f7a2d1c0b9e8f";
let child: ChildProcess;
let origin = "";

async function curlAsDocumented(example: string): Promise<Record<string, unknown>> {
  const command = example
    .replace("https://qa.pallapi.com", origin)
    .replace(/Authorization: Bearer [^']+/, `Authorization: Bearer ${KEY}`)
    .replace(/^curl /, "curl --silent --show-error --max-time 10 ");
  const { stdout } = await run("bash", ["-c", command], { timeout: 15_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  // What `npm run sandbox` runs once its dependency check is done. The check itself is left out on
  // purpose: it may run `npm ci`, which must never be interrupted by a test's teardown. Its own process
  // group, so the tsx -> node pair is stopped together in afterAll.
  child = spawn("node_modules/.bin/tsx", ["src/sandbox/main.ts"], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", SANDBOX_API_KEY: KEY, LOG_LEVEL: "warn" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${output}`)), 25_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`sandbox exited with ${code}:\n${output}`)));
  });
  // The banner must not echo a key that came from the environment.
  expect(output).not.toContain(KEY);
});

afterAll(() => {
  if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
});

describe("the docs' curl examples, pointed at npm run sandbox", () => {
  it("creates the BNI virtual account of the example, with the documented fields and types", async () => {
    const va = await curlAsDocumented(DOCS_EXAMPLES.virtualAccount);
    expect(Object.keys(va).sort()).toEqual(
      ["account_name", "account_number", "amount", "bank_code", "expiration_date", "external_id", "id", "is_single_use", "status"],
    );
    expect(va).toMatchObject({
      status: "pending",
      external_id: "124",
      bank_code: "BNI",
      account_name: "XDT-PT Test Bersama",
      amount: 10_000_000,
      is_single_use: true,
    });
    expect(va.id).toMatch(/^[0-9a-f]{32}$/);
    expect(va.account_number).toMatch(/^\d{16}$/);
    expect(va.expiration_date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(Date.parse(readGatewayTime(va.expiration_date) ?? "")).toBeGreaterThan(Date.now());
    expect(virtualAccountResponseSchema.safeParse(va).success).toBe(true);
  });

  it("creates the Alfamart payment code of the example", async () => {
    const rp = await curlAsDocumented(DOCS_EXAMPLES.retail);
    expect(Object.keys(rp).sort()).toEqual(
      ["amount", "expiration_date", "external_id", "id", "is_single_use", "name", "payment_code", "retail_outlet_name", "status"],
    );
    expect(rp).toMatchObject({
      status: "pending",
      external_id: "123",
      retail_outlet_name: "ALFAMART",
      name: "PT Test Bersama",
      amount: 1_000_000,
      is_single_use: false,
    });
    expect(rp.id).toMatch(/^[0-9a-f]{32}$/);
    expect(rp.payment_code).toMatch(/^TEST\d{6}$/);
    expect(rp.expiration_date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(retailPaymentResponseSchema.safeParse(rp).success).toBe(true);
  });

  it("creates the disbursement of the example", async () => {
    const d = await curlAsDocumented(DOCS_EXAMPLES.disbursement);
    expect(d).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      status: "pending",
      external_id: "124",
      bank_code: "BCA",
      account_name: "Dono Warkop",
      account_number: "12345678",
      description: "Bayar Nasabah",
      amount: 20_000_000,
    });
    expect(disbursementResponseSchema.safeParse(d).success).toBe(true);
  });

  it("answers the same example sent twice with the documented duplicate error", async () => {
    const again = await curlAsDocumented(DOCS_EXAMPLES.retail);
    expect(again).toEqual({ error_code: "DUPLICATE_EXTERNAL_ID", message: expect.any(String) });
  });
});
