import { escapeHtml } from "./html.js";

/**
 * In sandbox mode, a message (HTML) under the line that says its money is make-believe, as a paragraph of its
 * own: every message of the bot that speaks of a payment or a transfer says so, so nobody hands over goods for
 * a simulated one.
 */
export function underSandboxBanner(html: string, t: (key: string) => string, sandboxMode: boolean): string {
  return sandboxMode ? `${escapeHtml(t("sandbox-mode-banner"))}\n\n${html}` : html;
}
