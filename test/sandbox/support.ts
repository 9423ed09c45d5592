import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createSandbox, type Sandbox, type SandboxOptions } from "../../src/sandbox/index.js";

/** Shared by the gateway and sandbox tests: a sandbox on a loopback port, and tiny hand-rolled servers. */

export const API_KEY = "pallapi_secret_development_0123456789abcdef0123456789abcdef";
export const CALLBACK_TOKEN = "callback-token-for-tests-0123456789";

export async function startSandbox(options: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  const sandbox = createSandbox({
    apiKey: API_KEY,
    callbackToken: CALLBACK_TOKEN,
    callbackRetry: { attempts: 5, baseDelayMs: 20 },
    callbackTimeoutMs: 2_000,
    ...options,
  });
  await sandbox.listen();
  return sandbox;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface TestServer {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** A node:http server whose every answer the test decides; it records what it was sent. */
export async function startServer(
  answer: (req: ReceivedRequest, res: ServerResponse, index: number) => unknown,
): Promise<TestServer> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const received = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(received);
      void answer(received, res, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bind one, note it, close it. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Waits (bounded) until `check` holds; for background work such as callback deliveries. */
export async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const authorized = { Authorization: `Bearer ${API_KEY}` };

export function form(fields: Record<string, string>): URLSearchParams {
  return new URLSearchParams(fields);
}
