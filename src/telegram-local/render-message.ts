import jsQRModule from "jsqr";
import { PNG } from "pngjs";
import QRCode from "qrcode";
import type { InlineKeyboardButton, KeyboardButton, Message, MessageEntity } from "grammy/types";
import type { StoredFile } from "./bot-api-server.js";

/**
 * How a Telegram message looks in a terminal: entities as ANSI styles (or plain), buttons numbered, and a
 * QR photo decoded and redrawn with block characters so the number it carries can be seen and scanned.
 */

// jsqr is CommonJS: loaders disagree on whether its default import is the function or the module.
type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: JsQr = (jsQRModule as unknown as { default?: JsQr }).default ?? (jsQRModule as unknown as JsQr);

const STYLE: Partial<Record<MessageEntity["type"], string>> = {
  bold: "1",
  italic: "3",
  underline: "4",
  strikethrough: "9",
  spoiler: "2",
  code: "36",
  pre: "36",
  text_link: "4;34",
  blockquote: "2",
  expandable_blockquote: "2",
};

export function renderEntities(text: string, entities: readonly MessageEntity[] = [], color = false): string {
  if (entities.length === 0) return text;
  const cuts = new Set([0, text.length]);
  for (const e of entities) cuts.add(e.offset).add(Math.min(text.length, e.offset + e.length));
  const points = [...cuts].sort((a, b) => a - b);
  let out = "";
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i]!, points[i + 1]!];
    const segment = text.slice(from, to);
    const codes = entities
      .filter((e) => e.offset <= from && e.offset + e.length >= to)
      .map((e) => STYLE[e.type])
      .filter((c): c is string => c !== undefined);
    out += color && codes.length > 0 ? `\x1b[${codes.join(";")}m${segment}\x1b[0m` : segment;
    for (const e of entities) {
      if (e.type === "text_link" && e.offset + e.length === to) out += ` (${e.url})`;
    }
  }
  return out;
}

/** Buttons numbered in reading order, first button [1], so a human can press one by typing its number. */
export function renderButtons(rows: ReadonlyArray<ReadonlyArray<InlineKeyboardButton | KeyboardButton>>): string {
  let n = 0;
  return rows
    .map((row) =>
      row
        .map((button) => {
          const label = typeof button === "string" ? button : button.text;
          const url = typeof button === "object" && "url" in button ? ` (${button.url})` : "";
          return `[${++n}] ${label}${url}`;
        })
        .join("   "),
    )
    .join("\n");
}

/** The QR drawn for the terminal and the text it encodes, or undefined when the image holds no QR. */
export async function drawQr(file: StoredFile | undefined): Promise<{ drawing: string; data: string } | undefined> {
  if (!file?.data) return undefined;
  try {
    const png = PNG.sync.read(file.data);
    const pixels = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length);
    const code = jsQR(pixels, png.width, png.height);
    if (!code) return undefined;
    const drawing = await QRCode.toString(code.data, { type: "terminal", small: true });
    return { drawing, data: code.data };
  } catch {
    return undefined; // not a PNG (a JPEG, a document): shown as a plain attachment instead
  }
}

export async function renderMessage(
  message: Message,
  fileById: (fileId: string) => StoredFile | undefined,
  color: boolean,
): Promise<string> {
  const parts: string[] = [];
  if ("photo" in message && message.photo) {
    const largest = message.photo.at(-1);
    const qr = largest ? await drawQr(fileById(largest.file_id)) : undefined;
    parts.push(qr ? `${withoutEmptyLines(qr.drawing)}\n(QR: ${qr.data})` : "[photo]");
  }
  if ("document" in message && message.document) {
    parts.push(`[document: ${message.document.file_name ?? "file"}, ${message.document.file_size ?? 0} bytes]`);
  }
  if ("text" in message && message.text !== undefined) parts.push(renderEntities(message.text, message.entities, color));
  if ("caption" in message && message.caption !== undefined) {
    parts.push(renderEntities(message.caption, message.caption_entities, color));
  }
  const keyboard = "reply_markup" in message ? message.reply_markup?.inline_keyboard : undefined;
  if (keyboard && keyboard.length > 0) parts.push(renderButtons(keyboard));
  return parts.join("\n");
}

/** qrcode ends its drawing with a line of colour codes only, which a terminal shows as a blank line. */
function withoutEmptyLines(drawing: string): string {
  const visible = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, "").trim() !== "";
  return drawing.split("\n").filter(visible).join("\n");
}
