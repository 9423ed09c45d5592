import type { Transformer } from "grammy";

/**
 * Telegram takes the answer to a button press only for a short while (some seconds, undocumented) and then
 * refuses it with 400 "query is too old and response timeout expired or query ID is invalid". A press can be
 * that old when it reaches us: queued through a restart or a deploy, an outage, a webhook redelivery. The
 * answer only stops the button's spinner or shows a toast, but thrown, it ended the handler in hand: a
 * confirmed VA was never made, a claimed transfer never sent. So such a refusal counts as answered; the
 * work of the press goes on, and whatever it says in the chat is still said.
 */
const TOO_LATE = /query is too old|query id is invalid/i;

export function lateAnswersToPressesAreHarmless(): Transformer {
  return async (prev, method, payload, signal) => {
    const response = await prev(method, payload, signal);
    if (method === "answerCallbackQuery" && !response.ok && response.error_code === 400 && TOO_LATE.test(response.description)) {
      return { ok: true, result: true } as Awaited<ReturnType<typeof prev>>;
    }
    return response;
  };
}
