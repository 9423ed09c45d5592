export { createAppMetrics, type AppMetrics, type AppMetricsDeps, type CallbackResult, type TelegramUpdateResult } from "./app-metrics.js";
export { countTelegramCalls } from "./telegram-calls.js";
