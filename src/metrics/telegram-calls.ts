import type { Transformer } from "grammy";
import type { AppMetrics } from "./app-metrics.js";

/**
 * A grammY API transformer that counts Bot API calls by method and result. Installed last on an Api, it
 * is the outermost layer, so it sees each call once, after any retry plugin under it has had its go.
 */
export function countTelegramCalls(metrics: Pick<AppMetrics, "telegramCall">, source: "bot" | "notifier"): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const response = await prev(method, payload, signal);
      metrics.telegramCall(source, method, response.ok ? "ok" : String(response.error_code));
      return response;
    } catch (error) {
      metrics.telegramCall(source, method, "network");
      throw error;
    }
  };
}
