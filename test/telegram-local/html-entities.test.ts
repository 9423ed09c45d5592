import { describe, expect, it } from "vitest";
import { EntityParseError, parseTelegramHtml } from "../../src/telegram-local/html-entities.js";

describe("Telegram's HTML parse mode, as the bot's payment messages use it", () => {
  it("turns the VA message's tags into entities over plain text", () => {
    const parsed = parseTelegramHtml("<b>BCA</b> VA: <code>8808 1234</code>\n<i>Bayar &lt; 24 jam</i> &amp; <a href=\"https://x.id/p\">cara</a>");
    expect(parsed.text).toBe("BCA VA: 8808 1234\nBayar < 24 jam & cara");
    expect(parsed.entities).toEqual([
      { type: "bold", offset: 0, length: 3 },
      { type: "code", offset: 8, length: 9 },
      { type: "italic", offset: 18, length: 14 },
      { type: "text_link", offset: 35, length: 4, url: "https://x.id/p" },
    ]);
  });

  it("counts offsets in UTF-16 units, as Telegram does, and nests entities outer first", () => {
    const parsed = parseTelegramHtml("✅ <b>Lunas <u>Rp 150.000</u></b> 🎉<pre><code class=\"language-txt\">x</code></pre>");
    expect(parsed.text).toBe("✅ Lunas Rp 150.000 🎉x");
    expect(parsed.entities).toEqual([
      { type: "bold", offset: 2, length: 16 },
      { type: "underline", offset: 8, length: 10 },
      { type: "pre", offset: 21, length: 1, language: "txt" },
    ]);
  });

  it.each([
    ["a <br> b", 'Unsupported start tag "br" at byte offset 2'],
    ["<b>bold<i>both</b></i>", 'Unmatched end tag at byte offset 14, expected "</i>", found "</b>"'],
    ["<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'],
    ["1 < 2", "Unclosed start tag at byte offset 2"],
    ["Rp 5 < 10 > 3", 'Unsupported start tag "" at byte offset 5'],
    ['<span class="red">x</span>', 'Unsupported start tag "span" at byte offset 0'],
  ])("refuses %j like Telegram", (html, reason) => {
    expect(() => parseTelegramHtml(html)).toThrow(EntityParseError);
    expect(() => parseTelegramHtml(html)).toThrow(reason);
  });
});
