# Notifications the notifier posts to the shop group, the creator and the owners (HTML parse mode:
# every variable arrives already escaped).

notify-payment-received =
    ✅ <b>Payment received</b>
    Amount: <b>{ $amount }</b>
    Method: { $method }
    Customer: { $customer }
    Time: { $time }
    Ref: <code>{ $reference }</code>
notify-payment-sender = Paid by: { $sender }
# A multi-use VA's payments so far: the shop counts them, and the VA stays open.
notify-payment-reusable = ♻️ Payment no. { $count } to this multi-use VA · { $total } in all
# A bill (an Alfamart code: multi-use at the gateway) paid more than once, judged by its total.
notify-payment-repeated = ✅ This bill is now paid in full: { $count } payments, <b>{ $total }</b> in all.
notify-payment-repeated-short = ⚠️ This bill has been paid { $count }×, <b>{ $total }</b> in all: still <b>{ $difference }</b> short of the { $asked } asked.
notify-payment-repeated-over = ⚠️ This bill has been paid <b>{ $count }×</b>, <b>{ $total }</b> in all: <b>{ $difference }</b> more than the { $asked } asked. Check whether the customer paid more than once.
# A bill paid more than once whose total is not what it asked: the heading says so, not "received".
notify-payment-again-short =
    ⚠️ <b>Payment received, the bill is not paid in full yet</b>
    Amount: <b>{ $amount }</b>
    Method: { $method }
    Customer: { $customer }
    Time: { $time }
    Ref: <code>{ $reference }</code>
notify-payment-again-over =
    ⚠️ <b>Another payment on a bill already paid</b>
    Amount: <b>{ $amount }</b>
    Method: { $method }
    Customer: { $customer }
    Time: { $time }
    Ref: <code>{ $reference }</code>
notify-payment-again-over-now =
    ⚠️ <b>Payment received: the bill is now overpaid</b>
    Amount: <b>{ $amount }</b>
    Method: { $method }
    Customer: { $customer }
    Time: { $time }
    Ref: <code>{ $reference }</code>
# A payment of another amount than the one asked: the cashier must see it before handing over the goods.
notify-payment-short =
    ⚠️ <b>Short payment</b>
    Paid: <b>{ $amount }</b>
    ⚠️ <b>{ $difference }</b> short of the { $asked } asked
    Method: { $method }
    Customer: { $customer }
    Time: { $time }
    Ref: <code>{ $reference }</code>
    Collect the rest before handing over the goods.
notify-payment-over =
    ⚠️ <b>Overpayment</b>
    Paid: <b>{ $amount }</b>
    ⚠️ <b>{ $difference }</b> more than the { $asked } asked
    Method: { $method }
    Customer: { $customer }
    Time: { $time }
    Ref: <code>{ $reference }</code>
    Check with the customer: the extra may need to be refunded.
# The callback named another VA number or bank (or Alfamart code) than the one the bot issued.
notify-time-received = { $time } (when the bot received it: Palladium's time could not be read)
notify-method-differs = ⚠️ Palladium named { $method }, not the one in the bot's records. Check the Palladium dashboard.
notify-method-virtual-account = { $bank } VA <code>{ $number }</code>
notify-method-retail = { $outlet }, code <code>{ $code }</code>

notify-digest-header = ✅ <b>{ $count } payments received</b>, <b>{ $total }</b> in all:
notify-digest-line = • { $amount } · { $customer } · { $method } · { $time }
notify-digest-reusable = ♻️ no. { $count }
notify-digest-amount-short = { $amount } ⚠️ { $difference } short of { $asked }
notify-digest-amount-over = { $amount } ⚠️ { $difference } over { $asked }
notify-digest-forwarded = ↪️ { $all ->
    [yes] All of these were
   *[no] { $count } of these were
} sent to you because Telegram refused the chat they were for (the bot was removed from the group, or a cashier blocked it).
notify-digest-more = … and { $count } more

notify-disbursement-completed =
    💸 <b>Transfer sent</b>
    Amount: <b>{ $amount }</b>
    To: { $bank } { $account } ({ $holder })
    Time: { $time }
    Ref: <code>{ $reference }</code>
notify-disbursement-failed =
    ❌ <b>Transfer failed</b>
    Amount: <b>{ $amount }</b>
    To: { $bank } { $account } ({ $holder })
    Reason: { $reason }
    The money was not sent, and it does not count against the daily sending limit.
    Time: { $time }
    Ref: <code>{ $reference }</code>

notify-disbursement-failed-not-believed =
    ⚠️ <b>This transfer is now reported FAILED, after it was reported sent</b>
    Amount: <b>{ $amount }</b>
    To: { $bank } { $account } ({ $holder })
    Reason: { $reason }
    The bot keeps it as sent, since it cannot tell which report is newer (one of them has no time), and the money may have left. Check the Palladium dashboard before sending it again.
    Time: { $time }
    Ref: <code>{ $reference }</code>

# A transfer's "⏳ … being processed by the bank" message (disburse-sent), edited once the bank's result is in.
notify-transfer-message-completed =
    ✅ The transfer of <b>{ $amount }</b> to { $bank } { $account } ({ $holder }) <b>went through</b>: the bank reports the money sent.
    Time: { $time }
    Ref: <code>{ $reference }</code>
notify-transfer-message-failed =
    ❌ The transfer of <b>{ $amount }</b> to { $bank } { $account } ({ $holder }) <b>failed</b>: the money was not sent.
    Reason: { $reason }
    Time: { $time }
    Ref: <code>{ $reference }</code>

notify-forwarded = ↪️ Sent to you because Telegram refused the chat it was for (the bot was removed from the group, or blocked by the cashier).
notify-disbursement-differs = ⚠️ What the bot sent: { $sent }. Palladium reports otherwise; check the Palladium dashboard.
notify-disbursement-answered-otherwise = ⚠️ When it was sent, Palladium answered with { $field ->
    [amount] the amount
    [bank_code] the bank
   *[account_number] the account number
} <b>{ $answered }</b>, not the one confirmed. Check the Palladium dashboard for where the money went.
notify-disbursement-overturns-completed = ⚠️ This changes the earlier notice: Palladium had reported this transfer as sent.
notify-disbursement-overturns-failed = ⚠️ This changes the earlier notice: Palladium had reported this transfer as failed, so its amount counts against the daily sending limit again.
notify-disbursement-overturns-refused = ⚠️ This changes the earlier notice: Palladium had refused this transfer, but the bank reports it sent, so its amount counts against the daily sending limit. If it was sent again with /disburse, the money may have left twice: check the Palladium dashboard.
notify-disbursement-sent-again = ⚠️ This transfer was also sent again with "Send again" (Ref <code>{ $reference }</code>): the money may have gone twice. Check the Palladium dashboard and ask the recipient to return the extra.
notify-sent-amount = amount { $amount }
notify-sent-bank = bank { $bank }
notify-sent-holder = name { $holder }

notify-failure-INSUFFICIENT_BALANCE = your Palladium balance is too low. Top it up and send again.
notify-failure-INVALID_DESTINATION = the bank does not know that account number. Check the number and the bank.
notify-failure-INVALID_ACCOUNT_DETAILS = the account holder's name does not match the bank's records.
notify-failure-REJECTED_BY_BANK = the receiving bank refused this transfer.
notify-failure-TEMPORARY_BANK_NETWORK_ERROR = the bank's network is having trouble. Try again later.
notify-failure-UNKNOWN_BANK_NETWORK_ERROR = the bank's network returned an unknown error; sending again may not succeed either.
notify-failure-SWITCHING_NETWORK_ERROR = the interbank network is having trouble. Try again later.
notify-failure-TRANSFER_ERROR = the payment service could not make the transfer.
notify-failure-TEMPORARY_TRANSFER_ERROR = the payment service has a temporary problem. Try again later.
notify-failure-other = the transfer was refused (code { $code }).
notify-failure-none = the payment service gave no reason.

# Many of them at once, as one message.
notify-unknown-digest-header = ⚠️ <b>{ $count } payments came in under references the bot does not know</b>, <b>{ $total }</b> in all:
notify-unknown-digest-line = • { $amount } · { $method } · Ref <code>{ $reference }</code> · { $time }
notify-unknown-digest-footer = Check the Palladium dashboard: the bot has no record of these. If this Palladium account is also used by a web shop or another till, its callbacks come to the bot too; the bot is best given an account of its own.
notify-unknown-payment =
    ⚠️ <b>A payment arrived with a reference the bot does not know</b>
    Kind: { $event }
    Amount: <b>{ $amount }</b>
    Method: { $method }
    Ref: <code>{ $reference }</code>
    Time: { $time }
    Check the Palladium dashboard: this payment is not in the bot's records.
notify-event-virtual-account-paid = virtual account payment
notify-event-retail-outlet-paid = Alfamart payment
notify-event-disbursement = transfer status
notify-event-virtual-account-created = virtual account created
notify-event-disbursement-COMPLETED = transfer sent (COMPLETED)
notify-event-disbursement-FAILED = transfer failed (FAILED)

# A callback for one of our references, but of another kind than the payment the bot made under it.
notify-mismatched-callback =
    ⚠️ <b>A Palladium report does not match the bot's records</b>
    Palladium reported: { $event }.
    The bot has this reference as { $kind }, so the report was not applied.
    Amount: <b>{ $amount }</b>
    Method: { $method }
    Ref: <code>{ $reference }</code>
    Time: { $time }
    The payment's status in the bot is unchanged. Check the Palladium dashboard.
notify-record-kind-virtual_account = a virtual account (VA)
notify-record-kind-retail = an Alfamart code
notify-record-kind-disbursement = an outgoing transfer

# A transfer result for a reference the bot never issued: money sent from the account without the bot.
notify-unknown-disbursement =
    ⚠️ <b>An outgoing transfer the bot does not know</b>
    Status: { $status }
    Amount: <b>{ $amount }</b>
    To: { $to }
    Ref: <code>{ $reference }</code>
    Time: { $time }
    Check the Palladium dashboard: this transfer was not made through the bot.
notify-unknown-disbursement-failed =
    ⚠️ <b>An outgoing transfer the bot does not know</b>
    Status: { $status }
    Reason: { $reason }
    Amount: <b>{ $amount }</b>
    To: { $to }
    Ref: <code>{ $reference }</code>
    Time: { $time }
    Check the Palladium dashboard: this transfer was not made through the bot.
notify-transfer-status-COMPLETED = ✅ sent (COMPLETED)
notify-transfer-status-FAILED = ❌ failed (FAILED)
notify-transfer-status-unknown = unknown
notify-transfer-to = { $bank } ({ $holder })

notify-paid-caption =
    ✅ <b>PAID</b>
    Amount: <b>{ $amount }</b>
    Method: { $method }
    Customer: { $customer }
    Paid: { $time }
notify-paid-caption-short =
    ⚠️ <b>PAID SHORT</b>
    Paid: <b>{ $amount }</b>
    ⚠️ <b>{ $difference }</b> short of the { $asked } asked
    Method: { $method }
    Customer: { $customer }
    Time: { $time }
notify-paid-caption-over =
    ⚠️ <b>OVERPAID</b>
    Paid: <b>{ $amount }</b>
    ⚠️ <b>{ $difference }</b> more than the { $asked } asked
    Method: { $method }
    Customer: { $customer }
    Time: { $time }
# A bill paid more than once whose total is not what it asked.
notify-paid-caption-again-short =
    ⚠️ <b>PAID { $count }× · NOT IN FULL YET</b>
    Latest: <b>{ $amount }</b>
    Method: { $method }
    Customer: { $customer }
    Paid: { $time }
notify-paid-caption-again-over =
    ⚠️ <b>PAID { $count }× · OVERPAID</b>
    Latest: <b>{ $amount }</b>
    Method: { $method }
    Customer: { $customer }
    Paid: { $time }
# A multi-use VA's message: the VA as it is now, which stays open until it expires.
notify-paid-caption-reusable =
    ♻️ <b>MULTI-USE VA · paid { $count }×</b>
    Total: <b>{ $total }</b>
    Latest: <b>{ $amount }</b>, { $time }
    Method: { $method }
    Customer: { $customer }
notify-paid-caption-reusable-short = ⚠️ The latest is <b>{ $difference }</b> short of the { $asked } asked
notify-paid-caption-reusable-over = ⚠️ The latest is <b>{ $difference }</b> more than the { $asked } asked
notify-paid-caption-reusable-until = It can still be paid until { $expiresAt }.
notify-paid-caption-reusable-open = It can still be paid.
notify-paid-caption-reusable-closed = It has expired: it can no longer be paid.
