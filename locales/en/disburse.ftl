# Sending money out of the shop's Palladium balance (src/bot/features/disbursement.ts). Keys start with
# "disburse-". HTML parse mode: every variable arrives already escaped. Callback answers (the
# "disburse-press-*" keys) are plain text of at most 200 characters.

disburse-menu = 💸 Send money

## Who may send
disburse-private-only = For safety, money is sent only in a private chat with the bot. Open @{ $bot } and type /disburse.
disburse-allowance-used-up = Today's sending limit ({ $limit }) is used up; { $remaining } left. Try again tomorrow: the daily limit starts again at 00:00 WIB.

## Questions
disburse-ask-bank = 💸 <b>Send money</b> to a bank account. Choose the bank:
disburse-ask-account = Type the { $bank } <b>account number</b> (digits only, { $lengths } digits):
disburse-ask-holder = Type the <b>account holder's name</b> exactly as the bank has it (letters only, e.g. Budi Santoso):
disburse-ask-amount = Type the <b>amount</b> (between { $min } and { $max }), e.g. 150.000 or 1,5jt
    Limit per transfer { $perTransfer }; left today { $remaining }.
disburse-ask-description = Type a <b>description</b> (the recipient sees it in their statement), e.g. Rice supplier invoice
disburse-ask-email-to = Send a receipt by <b>e-mail</b>? Type the address, or press Skip.
disburse-ask-email-cc = Add a <b>CC</b> e-mail? Type the address, or press Skip.
disburse-ask-email-bcc = Add a <b>BCC</b> e-mail? Type the address, or press Skip.
disburse-skip-button = ⏭ Skip
disburse-lengths-or = { $first } or { $last }

## Refused answers (the question is asked again)
disburse-account-not-digits = An account number has digits only. Example: 1234567890
disburse-account-length = A { $bank } account number has { $lengths } digits; you typed { $count }.
disburse-holder-empty = The account holder's name cannot be empty. Example: Budi Santoso
disburse-holder-too-long = The account holder's name is too long (at most { $max } characters).
disburse-holder-bad-characters = The account holder's name may hold only letters, spaces and . , ' - (no digits or symbols). Example: Budi Santoso
disburse-amount-unreadable = Could not read "{ $input }" as an amount. Type rupiah, e.g. 150.000, 150rb or 1,5jt
disburse-amount-ambiguous-m = "{ $input }" could mean { $juta } or { $miliar }. Type { $number }jt for juta (million), or { $number } miliar (billion).
disburse-amount-ambiguous-separator = "{ $input }" could mean { $smaller } or { $larger }. Type the amount in full, e.g. 1.500.000, or with a decimal comma: 1,5jt
disburse-amount-sen = "{ $input }" has sen (cents), but transfers take whole rupiah only. Type { $below } or { $above }
disburse-amount-sen-one = "{ $input }" has sen (cents), but transfers take whole rupiah only. Type { $amount }
disburse-amount-not-positive = The amount must be more than zero. Example: 150.000
disburse-amount-too-small = The minimum for { $bank } is { $min }.
disburse-amount-too-large = The maximum for { $bank } is { $max }.
disburse-amount-above-max = That is above the limit per transfer ({ $max }). Type a smaller amount.
disburse-amount-above-remaining = That is above what is left today ({ $remaining }). Type a smaller amount, or send it tomorrow.
disburse-description-invalid = The description must be one line of 1 to { $max } characters (you typed { $length }).
disburse-email-invalid = "{ $input }" is not a valid e-mail address. Example: shop@example.co.id, or press Skip.

## Summary
disburse-summary =
    <b>💸 Check once more. Money sent cannot be pulled back.</b>
    Bank: { $bank }
    Account number: <code>{ $account }</code>
    Account holder: <b>{ $holder }</b>
    Amount: <b>{ $amount }</b>
    Description: { $description }
    E-mail receipt: { $emails }
    { $today }
    The send button is yours only, works once, and expires in { $minutes } minutes.
disburse-summary-today = Left today: { $remaining } (after this transfer { $remainingAfter }; daily limit { $limit })
# The amount is more than what is left today (another owner sent meanwhile, or a failed transfer sent again).
disburse-summary-today-short = ⚠️ Only <b>{ $remaining }</b> is left today (daily limit { $limit }), less than this amount: the send button will refuse it. Cancel, or send it tomorrow (the daily limit starts again at 00:00 WIB).
# Added to a summary once pressed: what became of it.
disburse-summary-closed-sent = ➡️ Button used: the answer is below.
disburse-summary-closed-cancelled = ✖ Cancelled: no money was sent.
disburse-summary-closed-expired = ⌛ Expired: not sent. Make it again with /disburse if still needed.
disburse-summary-closed-not-needed = ✖ Not sent: the earlier transfer (reported failed) went through after all.
disburse-emails-none = none
disburse-emails = to { $to }{ $cc }{ $bcc }
disburse-emails-cc = , cc { $address }
disburse-emails-bcc = , bcc { $address }
disburse-confirm-button = ✅ Send { $amount }
disburse-cancel-button = ✖ Cancel
disburse-retry-button = 🔁 Try again (safe, never twice)

## Pressing the buttons
disburse-press-sending = ⏳ Sending…
disburse-press-owner-only = Only the shop's owner can send money.
disburse-press-not-yours = Another owner started this transfer; only they can confirm it. No money was sent.
disburse-press-expired = This confirmation has expired. No money was sent. Start again with /disburse.
disburse-press-unknown = This transfer can no longer be found. No money was sent. Start again with /disburse.
disburse-press-retry-forgotten = This transfer is too old to try again here, and it may have been sent. Check the Palladium dashboard before sending it again.
disburse-press-already-sending = This transfer is being sent. The button works only once.
disburse-press-already-sent = This transfer was already sent. The button works only once; nothing more was sent.
disburse-press-already-cancelled = This transfer was cancelled. No money was sent.
disburse-press-already-refused = This transfer was refused. No money was sent. Start again with /disburse.
disburse-press-already-uncertain = The result is not certain yet. Press "Try again" on the last message.

## "Send again" under a failed transfer's notice
disburse-again-button = 🔁 Send again
disburse-again-intro = 🔁 <b>Send again</b> the failed transfer (Ref <code>{ $reference }</code>) with the same details, as a new transfer.
disburse-again-completed = This transfer went through after all (see its latest notice). Nothing more was sent.
disburse-again-pending = This transfer is still waiting for the bank's answer. Nothing more was sent.
disburse-again-already = This transfer was already sent again; its news is in this chat. For another transfer, start with /disburse.
disburse-again-completed-maybe-sent = Not tried again: the first transfer (reported failed) went through after all. This resend has been unclear since its first attempt, so the money <b>may have gone twice</b>: check the Palladium dashboard.
disburse-again-destination-wrong = This transfer failed because of its destination: sent again with the same details, it would fail the same way. Start a new transfer with /disburse and the right details.
disburse-again-not-yours = Another owner is sending this transfer again; only they can confirm it.

## Outcomes
disburse-cancelled = Cancelled. No money was sent.
disburse-flow-left = ↩️ The transfer you were preparing was cancelled. No money was sent.
disburse-sent =
    ⏳ The transfer of <b>{ $amount }</b> to { $bank } <code>{ $account }</code> ({ $holder }) was accepted by the payment service and is being processed by the bank. { $told ->
        [group] You and the shop group will hear the result.
       *[owner] You will hear the result.
    }
    Until then, do not tell the recipient the money has arrived.
    Left today: { $remaining }
disburse-sent-earlier =
    ⏳ The payment service had already accepted this transfer on an earlier attempt; it was not sent again. { $told ->
        [group] You and the shop group will hear the result.
       *[owner] You will hear the result.
    }
    Until then, do not tell the recipient the money has arrived.
    Left today: { $remaining }
# The gateway answered the send itself with FAILED: nothing left, and the allowance is back.
disburse-failed-at-once = ❌ The payment service answered at once that the transfer of <b>{ $amount }</b> to { $bank } <code>{ $account }</code> ({ $holder }) failed: { $reason }
    The money was not sent, and the amount does not count against today's limit.
    Left today: { $remaining }
# The bank's result came in while the gateway's answer to the send was still on its way: the result is the last word.
disburse-bank-answered = { $result ->
        [completed] ✅ The bank has reported the transfer of <b>{ $amount }</b> to { $bank } <code>{ $account }</code> ({ $holder }) as completed: the money was sent.
       *[failed] ❌ The bank has reported the transfer of <b>{ $amount }</b> to { $bank } <code>{ $account }</code> ({ $holder }) as failed: the money was not sent.
    } The bank's notice comes separately.
    Left today: { $remaining }
disburse-over-daily-limit = ⛔ Not sent: above what is left today ({ $remaining }). No money was sent.
disburse-retry-over-today = ⛔ <b>Not retried.</b> Today's sending limit has { $remaining } left, less than { $amount }. The earlier attempt may have been sent already: check the Palladium dashboard. Press Try again once the daily limit starts again (tomorrow, at 00:00 WIB).
disburse-over-max = ⛔ Not sent: at most { $max } per transfer. No money was sent.
disburse-refused-bad-key = ⛔ Not sent: the payment service refused the shop's API key. Ask the bot's operator to check PALLAPI_KEY. It does not count against today's limit.
disburse-refused-validation = ⛔ Not sent: the payment service refused this data ({ $message }). It does not count against today's limit.
disburse-refused-busy = ⛔ Not sent: the payment service turned this request away before handling it (busy, or its connection failed). No money was sent, and it does not count against today's limit. Try sending it again in a moment.
disburse-refused-invalid-input = ⛔ Not sent: this data was not accepted ({ $reason }). It does not count against today's limit.
disburse-uncertain = ⚠️ The payment service gave no clear answer, so it is not certain the transfer was made. Press "Try again": the transaction number stays the same, so the money can never be sent twice.
# The gateway answered with a transfer other than the one confirmed (NOT_AS_ASKED): money may be going elsewhere.
disburse-not-as-asked = ⚠️ The payment service answered with a transfer whose { $field ->
    [amount] amount
    [bank_code] bank
    [retail_outlet_name] outlet
    [is_single_use] once/many-times setting
   *[account_number] account number
} differs from the one you confirmed. Check the Palladium dashboard now and stop that transfer if you can. Its amount stays counted in today's limit until its result is known.
disburse-not-as-asked-answered = The payment service answered: <b>{ $answered }</b>.
# Heads the uncertain answer when it replaces the summary: a send cut off by a restart, told later.
disburse-uncertain-which = 💸 The transfer of <b>{ $amount }</b> to { $bank } <code>{ $account }</code> ({ $holder })
# Sent as a reply to that summary once it is edited: Telegram does not notify an edit.
disburse-uncertain-notice = ⚠️ The transfer of <b>{ $amount }</b> to { $bank } <code>{ $account }</code> ({ $holder }) is not certain to have been sent. Press "Try again" on the message this replies to: the money can never be sent twice.

## Payment list
disburse-list-outgoing = ↗️ Out { $method }

# Sandbox mode: the owner plays the bank's answer to a transfer sent (its result notice comes the real way).
disburse-simulate-completed-button = 🧪 Bank: completed
disburse-simulate-failed-button = 🧪 Bank: failed
disburse-simulate-sent = 🧪 The bank's answer is simulated; its notice is on its way.
disburse-simulate-settled = This transfer has its bank result already.
