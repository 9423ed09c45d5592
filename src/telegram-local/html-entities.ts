import type { MessageEntity } from "grammy/types";

/**
 * Telegram's `parse_mode: "HTML"`: the tags Telegram accepts become entities over plain text, and anything
 * else is refused with Telegram's own error. A bot that sends a tag Telegram rejects (an unescaped `<`, a
 * `<br>`, a `<div>`) fails here exactly as it would in production, instead of passing a lenient fake.
 */

export type ParsedText = { text: string; entities: MessageEntity[] };
export class EntityParseError extends Error {}

/** An entity before its span is known (Omit spread over each kind of entity, not over their union). */
type EntityStart = MessageEntity extends infer E ? (E extends MessageEntity ? Omit<E, "offset" | "length"> : never) : never;
type OpenTag = { name: string; start: number; entity: EntityStart | undefined };

const SIMPLE_TAGS: Record<string, MessageEntity["type"]> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
};

const NAMED_CHARACTERS: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

export function parseTelegramHtml(html: string): ParsedText {
  let text = "";
  const entities: MessageEntity[] = [];
  const open: OpenTag[] = [];
  const byteOffset = (index: number) => Buffer.byteLength(html.slice(0, index));
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === "&") {
      const match = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/.exec(html.slice(i, i + 12));
      const ref = match?.[1];
      const decoded =
        ref === undefined
          ? undefined
          : ref.startsWith("#x")
            ? String.fromCodePoint(parseInt(ref.slice(2), 16))
            : ref.startsWith("#")
              ? String.fromCodePoint(parseInt(ref.slice(1), 10))
              : NAMED_CHARACTERS[ref];
      // Telegram keeps entities it does not know as literal text.
      if (match && decoded !== undefined) {
        text += decoded;
        i += match[0].length;
      } else {
        text += ch;
        i += 1;
      }
      continue;
    }
    if (ch !== "<") {
      text += ch;
      i += 1;
      continue;
    }
    const close = html.indexOf(">", i);
    if (close < 0) throw new EntityParseError(`Unclosed start tag at byte offset ${byteOffset(i)}`);
    const inner = html.slice(i + 1, close);
    if (inner.startsWith("/")) {
      const name = inner.slice(1).trim().toLowerCase();
      const top = open.pop();
      if (!top) throw new EntityParseError(`Unexpected end tag at byte offset ${byteOffset(i)}`);
      if (name !== "" && name !== top.name) {
        throw new EntityParseError(
          `Unmatched end tag at byte offset ${byteOffset(i)}, expected "</${top.name}>", found "</${name}>"`,
        );
      }
      if (top.entity && text.length > top.start) {
        entities.push({ ...top.entity, offset: top.start, length: text.length - top.start } as MessageEntity);
      }
      i = close + 1;
      continue;
    }
    const nameMatch = /^([a-zA-Z][a-zA-Z0-9-]*)/.exec(inner);
    const name = nameMatch?.[1]?.toLowerCase() ?? "";
    const attributes = parseAttributes(inner.slice(name.length));
    const entity = entityFor(name, attributes, open);
    if (entity === null) throw new EntityParseError(`Unsupported start tag "${name}" at byte offset ${byteOffset(i)}`);
    open.push({ name, start: text.length, entity });
    i = close + 1;
  }
  const unclosed = open.pop();
  if (unclosed) throw new EntityParseError(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  // Telegram lists entities by offset, the outer (longer) one first.
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const pattern = /([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  for (const m of source.matchAll(pattern)) {
    attributes.set(m[1]!.toLowerCase(), decodeAttribute(m[2] ?? m[3] ?? m[4] ?? ""));
  }
  return attributes;
}

function decodeAttribute(value: string): string {
  return value.replace(/&(lt|gt|amp|quot);/g, (_, name: string) => NAMED_CHARACTERS[name] ?? "");
}

/** The entity a start tag opens, `undefined` for a tag that adds none, `null` for a tag Telegram refuses. */
function entityFor(
  name: string,
  attributes: Map<string, string>,
  open: OpenTag[],
): OpenTag["entity"] | null {
  if (name === "span") return attributes.get("class") === "tg-spoiler" ? { type: "spoiler" } : null;
  if (name === "a") {
    const href = attributes.get("href") ?? "";
    const mention = /^tg:\/\/user\?id=(\d+)$/.exec(href);
    if (mention) return { type: "text_mention", user: { id: Number(mention[1]), is_bot: false, first_name: "" } };
    return href === "" ? undefined : { type: "text_link", url: href };
  }
  if (name === "tg-emoji") return { type: "custom_emoji", custom_emoji_id: attributes.get("emoji-id") ?? "" };
  if (name === "code") {
    // <pre><code class="language-x"> is a pre block with a language, not inline code.
    const language = /^language-(.+)$/.exec(attributes.get("class") ?? "")?.[1];
    const parent = open.at(-1);
    if (parent?.name === "pre" && parent.entity?.type === "pre") {
      if (language) parent.entity = { type: "pre", language };
      return undefined;
    }
    return { type: "code" };
  }
  if (name === "blockquote" && attributes.has("expandable")) return { type: "expandable_blockquote" };
  const type = SIMPLE_TAGS[name];
  return type ? ({ type } as OpenTag["entity"]) : null;
}
