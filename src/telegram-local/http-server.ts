import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import formbody from "@fastify/formbody";
import multipart from "@fastify/multipart";
import { coerceFormParams } from "./request-params.js";
import type { BotApiResponse, StoredFile, UploadedFile } from "./types.js";

/**
 * The Bot API's HTTP face: `/bot<token>/<method>` with JSON, form or multipart bodies (grammY sends JSON,
 * or multipart when a file is uploaded) and `/file/bot<token>/<path>` for downloads. Fastify with its
 * multipart plugin parses uploads; everything Telegram-specific happens behind `handle`.
 */

const MAX_UPLOAD_BYTES = 50 * 1024 * 1024; // Telegram's limit for bots' uploads

export type CallHandler = (
  method: string,
  payload: Record<string, unknown>,
  uploaded: UploadedFile[],
  signal: AbortSignal,
) => Promise<{ response: BotApiResponse; drop: boolean }>;

export function createBotApiHttpServer(deps: {
  token: string;
  handle: CallHandler;
  fileAt: (filePath: string) => StoredFile | undefined;
}) {
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: MAX_UPLOAD_BYTES });
  // grammY posts methods without parameters as an empty JSON body, which Fastify's own parser refuses.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") return done(null, {});
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(Object.assign(new Error("can't parse JSON object"), { statusCode: 400 }), undefined);
    }
  });
  void app.register(formbody);
  void app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 10, fields: 200 } });

  app.setErrorHandler((error: { statusCode?: number; message?: string }, _request, reply) => {
    const code = error.statusCode && error.statusCode >= 400 ? error.statusCode : 400;
    const description = code === 413 ? "Request Entity Too Large" : `Bad Request: ${error.message ?? "invalid request"}`;
    void reply.code(code).send({ ok: false, error_code: code, description });
  });
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send({ ok: false, error_code: 404, description: "Not Found" });
  });

  const unauthorized = (reply: FastifyReply) =>
    reply.code(401).send({ ok: false, error_code: 401, description: "Unauthorized" });

  app.route({
    method: ["GET", "POST"],
    url: "/*",
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const path = new URL(request.url, "http://local").pathname;
      const fileRoute = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
      if (fileRoute) {
        if (fileRoute[1] !== deps.token) return unauthorized(reply);
        const file = deps.fileAt(decodeURIComponent(fileRoute[2]!));
        if (!file?.data) return reply.code(404).send({ ok: false, error_code: 404, description: "Not Found" });
        return reply.header("content-type", file.mimeType).send(file.data);
      }
      const route = /^\/bot([^/]*)\/([A-Za-z0-9_]*)$/.exec(path);
      if (!route) return reply.code(404).send({ ok: false, error_code: 404, description: "Not Found" });
      if (route[1] !== deps.token) return unauthorized(reply);
      const { payload, uploaded } = await readParams(request);
      // A long poll must stop waiting when grammY gives up on it (bot.stop() aborts the request).
      const aborted = new AbortController();
      reply.raw.once("close", () => aborted.abort());
      const { response, drop } = await deps.handle(route[2]!, payload, uploaded, aborted.signal);
      if (drop) {
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
      // A fault's body that is no Bot API answer (no error_code) goes out as 200, as a broken proxy sends it.
      return reply.code(response.ok || typeof response.error_code !== "number" ? 200 : response.error_code).send(response);
    },
  });

  return app;
}

async function readParams(request: FastifyRequest): Promise<{ payload: Record<string, unknown>; uploaded: UploadedFile[] }> {
  const form: Record<string, unknown> = { ...(request.query as Record<string, unknown>) };
  let json: Record<string, unknown> = {};
  const uploaded: UploadedFile[] = [];
  if (request.isMultipart()) {
    for await (const part of request.parts()) {
      if (part.type === "file") {
        const data = await part.toBuffer();
        uploaded.push({ field: part.fieldname, filename: part.filename, mimeType: part.mimetype, data });
      } else {
        form[part.fieldname] = part.value;
      }
    }
  } else if (typeof request.body === "object" && request.body !== null) {
    if ((request.headers["content-type"] ?? "").includes("json")) json = request.body as Record<string, unknown>;
    else Object.assign(form, request.body as Record<string, unknown>);
  }
  const payload = { ...coerceFormParams(form), ...json };
  // grammY names each upload at random and points the parameter at it with attach://<name>; curl-style
  // clients name the part after the parameter itself.
  const named = uploaded.map((file): UploadedFile => {
    const parameter = Object.keys(payload).find((key) => payload[key] === `attach://${file.field}`);
    return { ...file, field: parameter ?? file.field };
  });
  for (const file of named) payload[file.field] = file;
  return { payload, uploaded: named };
}
