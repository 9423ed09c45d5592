import { PAYMENTS_NAMESPACE, type Backend } from "./backend.js";
import type { PaymentRecord, PaymentRepository, StoreLogger } from "./types.js";

const RECENT = "payments:recent";
const byCreator = (userId: number) => `payments:by-creator:${userId}`;

/**
 * Payments as keyv records, plus two ordered indexes (all, and per creator) so "recent payments" reads
 * only the rows it shows. Updates are one atomic read-modify-write in the backend (`updateRecord`, atomic
 * against `applyOnce` too), because the bot (message id) and the webhook (paid) can update the same
 * payment at the same moment.
 */
export function createPaymentRepository(backend: Backend, options: { logger?: StoreLogger | undefined } = {}): PaymentRepository {
  const records = backend.namespace(PAYMENTS_NAMESPACE);
  const scoreOf = (record: PaymentRecord) => {
    const ms = Date.parse(record.createdAt);
    if (Number.isNaN(ms)) throw new Error(`payment ${record.externalId}: createdAt is not an ISO date`);
    return ms;
  };

  return {
    async save(record) {
      scoreOf(record); // a createdAt the lists can order by, checked before anything is written
      // The record first: an index entry must never point at nothing. Only if absent: a second showing of
      // the same payment (a press again after a restart cut the first off) must not put a payment whose
      // paid callback came in between back to "pending".
      const { previous } = await backend.updateRecord<PaymentRecord>(PAYMENTS_NAMESPACE, record.externalId, (found) => (found === undefined ? record : undefined));
      const stored = previous ?? record;
      // Added again for one already recorded: a save cut off between the record and its index entries left
      // it out of the lists (adding is idempotent).
      const storedScore = scoreOf(stored);
      // One recorded before keeps its place if it moved up since (paid: see movePaid).
      const options = { onlyHigher: previous !== undefined };
      await Promise.all([
        backend.index.add(RECENT, stored.externalId, storedScore, options),
        backend.index.add(byCreator(stored.createdBy), stored.externalId, storedScore, options),
      ]);
      return stored;
    },
    async get(externalId) {
      return (await records.get<PaymentRecord>(externalId)) ?? undefined;
    },
    async update(externalId, patch, options = {}) {
      const { previous: current, next } = await backend.updateRecord<PaymentRecord>(PAYMENTS_NAMESPACE, externalId, (found) =>
        found === undefined || (options.onlyIf !== undefined && !options.onlyIf(found))
          ? undefined
          : { ...found, ...patch, externalId: found.externalId, updatedAt: backend.now().toISOString() },
      );
      if (current === undefined || next === undefined) return undefined;
      if (next.createdBy !== current.createdBy || next.createdAt !== current.createdAt) {
        await backend.index.remove(byCreator(current.createdBy), externalId);
        await Promise.all([
          backend.index.add(RECENT, externalId, scoreOf(next)),
          backend.index.add(byCreator(next.createdBy), externalId, scoreOf(next)),
        ]);
      }
      return next;
    },
    async movePaid(externalId, paidAt) {
      const record = await records.get<PaymentRecord>(externalId);
      const at = paidAt.getTime();
      if (record === undefined || record === null || Number.isNaN(at) || at <= scoreOf(record)) return;
      // Only up: an older payment's notice handled after a newer one's (a retry, another instance) leaves it.
      await Promise.all([
        backend.index.add(RECENT, externalId, at, { onlyHigher: true }),
        backend.index.add(byCreator(record.createdBy), externalId, at, { onlyHigher: true }),
      ]);
    },
    async listRecent({ limit, createdBy }) {
      if (limit <= 0) return [];
      const ids = await backend.index.range(createdBy === undefined ? RECENT : byCreator(createdBy), {
        limit,
        newestFirst: true,
      });
      if (ids.length === 0) return [];
      const found = await records.get<PaymentRecord>(ids).catch(async (error: unknown) => {
        // One row that does not parse failed the whole list, and /pembayaran answered nobody whose ten
        // latest held it: read one by one, and leave that one out (the log says which).
        if (!(error instanceof SyntaxError)) throw error;
        return Promise.all(
          ids.map((id) =>
            records.get<PaymentRecord>(id).catch((rowError: unknown) => {
              if (!(rowError instanceof SyntaxError)) throw rowError;
              options.logger?.warn({ externalId: id, err: rowError }, "a stored payment could not be read; left out of the list");
              return undefined;
            }),
          ),
        );
      });
      return found.filter((r): r is PaymentRecord => r !== undefined && r !== null);
    },
  };
}
