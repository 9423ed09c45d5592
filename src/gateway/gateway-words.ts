import { createSecretList, type SecretList } from "../logger.js";

/**
 * The gateway's own words (its error `message` and `error_code`) are passed on to the chat. A gateway or a
 * proxy in front of it may echo what it was sent, Authorization header included, so every word that
 * leaves the client is first scrubbed of the API key and the process's other secrets (by value, with the
 * logger's SecretList: as written, JSON-escaped and URL-encoded) and of anything shaped like a credential
 * ("Bearer <token>", "Basic <token>"). A gateway may also quote only part of the key ("key pallapi_live_ab…
 * invalid") or the header base64-encoded: any run of token characters holding 8 characters of the key's secret
 * part in a row, as written or once base64-decoded, goes whole.
 */

// A token after the scheme: at least 8 token characters, and either a digit or token punctuation in it, or
// 20 characters or more. "Basic information required" and "Bearer token missing" keep their words.
const CREDENTIAL = /\b(Bearer|Basic)(\s+|=|:\s*)([A-Za-z0-9._~+/=-]{8,})/gi;

function looksLikeToken(token: string): boolean {
  return /[0-9._~+/=-]/.test(token) || token.length >= 20;
}

/** Eight characters of the key in a row are taken for the key: shorter runs match ordinary words and ids. */
const FRAGMENT = 8;
const TOKEN_RUN = /[A-Za-z0-9._~+/=-]{8,}/g;
/** Base64 inside a run: a full stop, a "..." or a `name=` may touch it, so the run is cut at those first. */
const NOT_BASE64 = /[.~=]+/;
const BASE64_MIN = 12;

/**
 * Where the key's secret starts. A Palladium key opens with words every key of its kind shares
 * ("pallapi_secret_development_"): those are public, and a gateway saying "development" or "production"
 * is not quoting the key. The secret starts at the first `_`-separated part that is not lowercase letters;
 * a key of only such parts is all secret from its last part on.
 */
function secretStart(key: string): number {
  const parts = key.split("_");
  let at = 0;
  for (const part of parts.slice(0, -1)) {
    if (!/^[a-z]+$/.test(part)) return at;
    at += part.length + 1;
  }
  return at;
}

/** Every 8-character window of the key that holds at least one character of its secret part. */
function keyFragments(apiKey: string): Set<string> {
  const fragments = new Set<string>();
  const key = apiKey.toLowerCase();
  const firstWindow = Math.max(0, secretStart(apiKey) - FRAGMENT + 1);
  for (let i = firstWindow; i + FRAGMENT <= key.length; i++) fragments.add(key.slice(i, i + FRAGMENT));
  return fragments;
}

function holdsFragment(text: string, fragments: ReadonlySet<string>): boolean {
  const lower = text.toLowerCase();
  for (let i = 0; i + FRAGMENT <= lower.length; i++) if (fragments.has(lower.slice(i, i + FRAGMENT))) return true;
  return false;
}

/** Base64 may start anywhere in a piece ("headerQmVhcmVy…"): each of the four alignments is decoded. */
function decodesToKey(run: string, fragments: ReadonlySet<string>): boolean {
  for (const piece of run.split(NOT_BASE64)) {
    for (let offset = 0; offset < 4 && piece.length - offset >= BASE64_MIN; offset++) {
      if (holdsFragment(Buffer.from(piece.slice(offset), "base64").toString("latin1"), fragments)) return true;
    }
  }
  return false;
}

function carriesKey(run: string, fragments: ReadonlySet<string>): boolean {
  return holdsFragment(run, fragments) || decodesToKey(run, fragments);
}

export type ScrubGatewayWords = (text: string) => string;

/** `otherSecrets`: the process's other secrets (bot token, callback token, …): a gateway may echo those too. */
export function gatewayWordsScrubber(apiKey: string, otherSecrets?: Pick<SecretList, "scrub">): ScrubGatewayWords {
  const secrets = createSecretList([apiKey]);
  const fragments = keyFragments(apiKey);
  return (text) =>
    secrets
      .scrub(otherSecrets?.scrub(text) ?? text)
      .replace(TOKEN_RUN, (run) => (carriesKey(run, fragments) ? "[REDACTED]" : run))
      .replace(CREDENTIAL, (whole, scheme: string, gap: string, token: string) => (looksLikeToken(token) ? `${scheme}${gap}[REDACTED]` : whole));
}

/** How much of the gateway's message the chat shows (the log keeps it whole). */
const CHAT_WORDS_MAX = 200;
/**
 * A stack frame: " at fn (/srv/app.js:120:11)", " at /srv/app.js:7:3", " at node:internal/x:1:1". Only with its
 * line and column: "below the minimum at /v2/disbursements for BCA" is a sentence.
 */
const STACK_FRAME = /\s+at\s+(?:\S+\s+\()?(?:\/|file:|node:|[A-Za-z]:\\)[^\s()]*:\d+:\d+\)?/;

/**
 * The gateway's reason as a shop reads it: its lines without a stack trace, joined, 200 characters at most. A
 * gateway in trouble pastes its debugging into `message` (a stack, a page of JSON), and an owner's chat got
 * two thousand characters of it; a heading's next line ("Request validation failed:" / "account_number: not
 * registered") is the reason, and stays. Undefined when nothing readable is left.
 */
export function gatewayWordsForChat(message: string | undefined): string | undefined {
  const lines = (message ?? "").split(/\r?\n/).map((line) => {
    const frame = line.search(STACK_FRAME);
    return (frame >= 0 ? line.slice(0, frame) : line).replace(/\s+/g, " ").trim();
  });
  // "; " between lines, but a heading's colon leads straight into its line.
  const said = lines.filter((line) => line !== "").join("; ").replaceAll(":; ", ": ");
  if (said === "") return undefined;
  const characters = Array.from(said);
  return characters.length <= CHAT_WORDS_MAX ? said : `${characters.slice(0, CHAT_WORDS_MAX - 1).join("").trimEnd()}…`;
}
