import { z } from "zod";

/**
 * What the webhook puts in the outbox for the notifier: a self-contained snapshot of everything the
 * message needs, taken when the callback was recorded. The notifier then never reads the store to render,
 * so a later edit of the payment (or an unknown external_id with no record at all) cannot change or break
 * what the shop is told about that event.
 */

const chatId = z.number().int().safe();
/** A message the bot showed before, to edit. */
const messageId = z.number().int().positive().safe();
const locale = z.string().min(1).max(16);
const money = z.number().int().nonnegative().safe();

/** How the customer paid: the bank and VA number, or the outlet and payment code. */
export const paymentMethodSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("virtual_account"), bankCode: z.string(), accountNumber: z.string() }),
  z.object({ kind: z.literal("retail"), retailOutletName: z.string(), paymentCode: z.string() }),
]);
export type PaymentMethod = z.infer<typeof paymentMethodSchema>;

/**
 * What the payment asked for, when the callback paid something else: the shop must not read a short
 * payment as paid in full. Absent when the amounts agree (and in items recorded before it existed).
 */
const askedAmount = money.optional();
/** The bank and number (or outlet and code) the callback named, when they are not the ones we issued. */
const reportedMethod = paymentMethodSchema.optional();

/**
 * Set on a copy sent to an owner because Telegram refused for good the chat the notice was for (the bot
 * was removed from the shop group, or a cashier blocked it with no group linked): says why it came to them.
 */
const forwarded = z.boolean().optional();
/**
 * Whether a linked group was among the recipients when the event was recorded: a person's notice refused
 * for good then needs no forward to the owners (the shop heard it). Absent in items recorded before it.
 */
const groupTold = z.boolean().optional();
/** The callback's own time could not be read: the time shown is when the bot received it (said in the notice). */
const timeReceived = z.boolean().optional();

/**
 * A multi-use VA's payments so far, this one included, and until when it can still be paid: its paid notice
 * and its QR message must not read as if the VA were done. Absent for any other payment (and in older items).
 */
const reusable = z
  .object({ count: z.number().int().positive().safe(), total: money, expiresAt: z.string().optional() })
  .optional();

/**
 * A bill (not a multi-use VA) paid again: its payments so far, this one included, and what it asked. Their sum
 * against the bill is what the shop must see: the rest of a short payment, or money paid twice (owed back).
 * Absent for a first payment (and in older items).
 */
const repeated = z.object({ count: z.number().int().min(2).safe(), total: money, asked: money }).optional();

/** "A customer paid": to a linked group or to the creator's chat. */
export const paymentReceivedSchema = z.object({
  type: z.literal("payment-received"),
  chatId,
  locale,
  externalId: z.string(),
  amount: money,
  method: paymentMethodSchema,
  customerName: z.string(),
  /** The payer's name as the bank reports it, when it differs from the customer's. */
  senderName: z.string().optional(),
  askedAmount,
  reportedMethod,
  /** ISO 8601, the gateway's transaction time. */
  paidAt: z.string(),
  timeReceived,
  reusable,
  repeated,
  forwarded,
  groupTold,
});

/** A transfer's result as told: the transfer, whether the bank sent it, and when. */
const transferResult = {
  externalId: z.string(),
  amount: money,
  bankCode: z.string(),
  accountNumber: z.string().optional(),
  accountHolderName: z.string(),
  status: z.enum(["completed", "failed"]),
  failureCode: z.string().optional(),
  /** ISO 8601, the gateway's `updated` (or when the bot received it, with `timeReceived`). */
  at: z.string(),
  timeReceived,
  /**
   * What the owner sent, each only when the result reports otherwise (absent in items recorded before):
   * what is told is what the gateway says happened, and these say how it differs from what was asked.
   */
  sentAmount: money.optional(),
  sentBankCode: z.string().optional(),
  sentHolderName: z.string().optional(),
};

/** The disbursement callback: to the owner who sent it and to the linked groups. */
export const disbursementResultSchema = z.object({
  type: z.literal("disbursement-result"),
  chatId,
  locale,
  ...transferResult,
  /**
   * The word this one overturns, said in the notice: the gateway reported the transfer the other way before,
   * or ("refused") refused its request, which the owner was told in the chat.
   */
  overturns: z.enum(["completed", "failed", "refused"]).optional(),
  /** A result not believed: it contradicts the one recorded and cannot be ordered against it, which stays. */
  keptAs: z.enum(["completed"]).optional(),
  /** The resend ("Kirim lagi") of this transfer that left for the gateway before it was reported completed. */
  sentAgainAs: z.string().optional(),
  /** The gateway answered the send with this field otherwise than asked (see PaymentRecord.answeredOtherwise). */
  answeredOtherwise: z.object({ field: z.string(), answered: z.string() }).optional(),
  forwarded,
  groupTold,
});

/** An outgoing transfer as its callback describes it (the status fields are absent in older items). */
const disbursementMethodSchema = z.object({
  kind: z.literal("disbursement"),
  bankCode: z.string(),
  accountHolderName: z.string().optional(),
  status: z.enum(["COMPLETED", "FAILED"]).optional(),
  failureCode: z.string().optional(),
});

/**
 * A callback for an external_id the bot never issued, or for one it issued for another kind of payment
 * (`belongsTo`, the kind of ours it names): each owner hears of it once.
 */
export const unknownPaymentSchema = z.object({
  type: z.literal("unknown-payment"),
  chatId,
  locale,
  event: z.string(),
  externalId: z.string(),
  amount: money,
  method: z.union([paymentMethodSchema, disbursementMethodSchema]),
  belongsTo: z.enum(["virtual_account", "retail", "disbursement"]).optional(),
  at: z.string(),
  timeReceived,
});

/** Rewrite the caption of the photo that showed the VA/Alfamart code, so it reads PAID. */
export const markPaidSchema = z.object({
  type: z.literal("mark-paid"),
  chatId,
  messageId,
  locale,
  amount: money,
  method: paymentMethodSchema,
  customerName: z.string(),
  paidAt: z.string(),
  timeReceived,
  askedAmount,
  reportedMethod,
  /** Ours (absent in older items): the buttons a multi-use VA's message keeps name it. */
  externalId: z.string().optional(),
  reusable,
  repeated,
});

/**
 * Rewrite the message that told the owner a transfer was being processed ("⏳ … sedang diproses bank"), so it
 * reads the bank's result and loses its buttons (in sandbox mode, the ones that play the bank).
 */
export const markTransferResultSchema = z.object({
  type: z.literal("mark-transfer-result"),
  chatId,
  messageId,
  locale,
  /** The result shown: an edit that waited past a newer result (a reversal) must not put this one back. */
  resultEventId: z.string(),
  ...transferResult,
});

export const notificationSchema = z.discriminatedUnion("type", [
  paymentReceivedSchema,
  disbursementResultSchema,
  unknownPaymentSchema,
  markPaidSchema,
  markTransferResultSchema,
]);

export type Notification = z.infer<typeof notificationSchema>;

/** The outbox id of one chat's notice of one event: the same event to the same chat is always one item. */
export const chatItemId = (eventId: string, chatId: number): string => `${eventId}:chat:${chatId}`;

/** The event a chatItemId names; the id itself for an id made otherwise. */
export const eventIdOfChatItem = (id: string): string => /^(.*):chat:-?\d+$/.exec(id)?.[1] ?? id;
export type PaymentReceived = z.infer<typeof paymentReceivedSchema>;
export type DisbursementResult = z.infer<typeof disbursementResultSchema>;
export type UnknownPayment = z.infer<typeof unknownPaymentSchema>;
export type MarkPaid = z.infer<typeof markPaidSchema>;
export type MarkTransferResult = z.infer<typeof markTransferResultSchema>;
/** An edit of a message the bot showed before (a payment's, a transfer's), not a message of its own. */
export type MessageEdit = MarkPaid | MarkTransferResult;
/** A message of its own to a chat. */
export type Notice = Exclude<Notification, MessageEdit>;
export const isMessageEdit = (n: Notification): n is MessageEdit => n.type === "mark-paid" || n.type === "mark-transfer-result";
