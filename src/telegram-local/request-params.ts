/**
 * Form and multipart bodies carry every value as a string. Telegram reads each parameter by its declared
 * type (objects as JSON, ids as integers, flags as booleans), so the same request means the same thing
 * whether grammY sent it as JSON or as multipart with an upload. Free text (text, caption, callback data)
 * is never touched, so a caption of "150000" stays a string.
 */

const INTEGER_FIELDS = new Set([
  "chat_id",
  "from_chat_id",
  "message_id",
  "message_thread_id",
  "reply_to_message_id",
  "user_id",
  "offset",
  "limit",
  "timeout",
  "max_connections",
  "cache_time",
  "duration",
  "width",
  "height",
  "until_date",
]);

const BOOLEAN_FIELDS = new Set([
  "disable_notification",
  "protect_content",
  "show_alert",
  "drop_pending_updates",
  "has_spoiler",
  "disable_content_type_detection",
  "allow_sending_without_reply",
  "only_if_banned",
  "show_caption_above_media",
  "disable_web_page_preview",
  "is_personal",
]);

const JSON_FIELDS = new Set([
  "reply_markup",
  "entities",
  "caption_entities",
  "allowed_updates",
  "commands",
  "scope",
  "reply_parameters",
  "link_preview_options",
  "media",
  "results",
  "menu_button",
]);

export function coerceParam(name: string, value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (INTEGER_FIELDS.has(name) && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  if (BOOLEAN_FIELDS.has(name)) return value === "true" || value === "1";
  if (JSON_FIELDS.has(name)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

/** Form fields and query parameters: the last of a repeated field wins, then each is read by its type. */
export function coerceFormParams(raw: Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    params[name] = coerceParam(name, Array.isArray(value) ? value[value.length - 1] : value);
  }
  return params;
}

/** An integer parameter, whether it came as a JSON number or a digit string. */
export function intParam(p: Record<string, unknown>, key: string): number | undefined {
  const value = p[key];
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isInteger(n) ? n : undefined;
}
