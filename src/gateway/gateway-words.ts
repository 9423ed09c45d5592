import { createSecretList, type SecretList } from "../logger.js";

/**
 * The gateway's own words (its error `message` and `error_code`) are passed on to the chat. A gateway or a
 * proxy in front of it may echo what it was sent, Authorization header included, so every word that
 * leaves the client is first scrubbed of the API key and the process's other secrets (by value, with the
 * logger's SecretList: as written, JSON-escaped and URL-encoded) and of anything shaped like a credential
 * ("Bearer <token>", "Basic <token>").
 */

// A token after the scheme: at least 8 token characters, and either a digit or token punctuation in it, or
// 20 characters or more. "Basic information required" and "Bearer token missing" keep their words.
const CREDENTIAL = /\b(Bearer|Basic)(\s+|=|:\s*)([A-Za-z0-9._~+/=-]{8,})/gi;

function looksLikeToken(token: string): boolean {
  return /[0-9._~+/=-]/.test(token) || token.length >= 20;
}

export type ScrubGatewayWords = (text: string) => string;

/** `otherSecrets`: the process's other secrets (bot token, callback token, …): a gateway may echo those too. */
export function gatewayWordsScrubber(apiKey: string, otherSecrets?: Pick<SecretList, "scrub">): ScrubGatewayWords {
  const secrets = createSecretList([apiKey]);
  return (text) =>
    secrets
      .scrub(otherSecrets?.scrub(text) ?? text)
      .replace(CREDENTIAL, (whole, scheme: string, gap: string, token: string) => (looksLikeToken(token) ? `${scheme}${gap}[REDACTED]` : whole));
}
