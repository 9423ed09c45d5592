import { createStore } from "../../src/store/index.js";
import { benchReceiver } from "./receiver.js";

/** One bot instance's callback receiver on a shared Redis, in its own process (so two can use two cores). */

process.once("message", (message) => {
  const { redisUrl, keyPrefix } = message as { redisUrl: string; keyPrefix: string };
  void (async () => {
    const store = await createStore({ url: redisUrl, keyPrefix });
    const server = benchReceiver(store);
    const url = await server.listen({ port: 0, host: "127.0.0.1" });
    process.send?.({ url });
    process.once("message", () => {
      void server
        .close()
        .then(() => store.close())
        .finally(() => process.exit(0));
    });
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
// The parent going away takes this instance with it.
process.once("disconnect", () => process.exit(0));
