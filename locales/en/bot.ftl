# The merchant bot (src/bot/). Every key here starts with "bot-".
# Messages are sent with HTML parse mode unless noted: keep <, > and & out of plain text.

## Main menu
bot-menu-title = What would you like to create?
bot-menu-va = 🏦 Create Virtual Account
bot-menu-alfamart = 🏪 Alfamart code
bot-menu-payments = 📋 Recent payments
bot-menu-invite = ➕ Invite a cashier
bot-menu-staff = 👥 Cashiers
bot-menu-language = 🌐 Language
bot-menu-help = ❓ Help
bot-welcome-owner = Hello, { $name }! You are this shop's owner.
bot-welcome-staff = Hello, { $name }! You are registered as a cashier.

## Access
# An anonymous admin (or one posting as the group or a channel): no role can be read from such a message.
bot-access-anonymous = The bot cannot tell who sent this command: it was sent anonymously (on behalf of the group or a channel). Send it again as yourself: turn off "Remain Anonymous" in your admin rights, or choose your own account as the sender.
bot-access-refused =
    Sorry, this bot only serves the shop's owner and cashiers.
    Your Telegram ID: <code>{ $userId }</code>
    Send this ID to the shop owner so they can invite you.
bot-access-refused-short = Sorry, this bot only serves the shop's owner and cashiers. Your ID: { $userId }
bot-access-owner-only = Only the shop owner can do this.

## Invites and staff
bot-invite-created =
    Send this link to the new cashier. It works once, until { $expiresAt }:
    { $link }
bot-invite-sent-privately = The invite link was sent to you in a private chat.
bot-invite-private-chat-closed = The invite link could not be sent to your private chat. Open a private chat with this bot ({ $link }), press Start (or unblock it), then ask for the invite again.
bot-invite-accepted = Welcome, { $name }! You are now a cashier of this shop.
bot-invite-invalid = This invite link has been used or has expired. Ask the shop owner for a new one.
bot-invite-already-member = You are already registered; you don't need this link.
bot-invite-joined-notice = ✅ { $name } (ID <code>{ $userId }</code>) joined as a cashier.
bot-staff-title = The shop's cashiers:
bot-staff-empty = No cashiers yet. Press "Invite a cashier" to make an invite link.
bot-staff-part-empty = Every cashier in this part of the list has been removed.
bot-staff-entry = • { $name } (ID <code>{ $userId }</code>), since { $addedAt }
bot-staff-remove-button = ✖ Remove { $name }
bot-staff-removed = { $name } is no longer a cashier.
bot-staff-not-found = That cashier is no longer on the list.
bot-staff-removed-notice = The shop owner has removed your cashier access.

## Groups
bot-group-linked = Group "{ $title }" is linked. The shop's payment notifications will be posted here.
bot-group-linked-topic = Group "{ $title }" is linked{ $named ->
    [yes] , in the topic "{ $topic }"
   *[no] {""}
}. The shop's payment notifications will be posted in this topic. To move them, type /linkgroup in another topic (or in General).
bot-group-unlinked = This group no longer receives the shop's notifications.
bot-group-removed-notice = ⚠️ The bot was removed from the group "{ $title }", so the shop's payment notices can no longer be sent there. To link it again: add the bot to the group, then type /linkgroup in it.
bot-group-not-linked = This group was not linked.
bot-group-only = This command only works inside a group.

## Language
bot-lang-choose = Choose a language:
bot-lang-set = Language set to English.
bot-lang-id = 🇮🇩 Bahasa Indonesia
bot-lang-en = 🇬🇧 English

## Help
bot-help =
    <b>How to use</b>
    🏦 <b>Virtual Account</b> (/va): choose the bank, type the customer's name and the amount, then confirm. You get the VA number and a QR to forward to the customer.
    🏪 <b>Alfamart code</b> (/alfamart): make a payment code; the customer pays it at any Alfamart cashier.
    📋 <b>Recent payments</b> (/payments): the status of the payments created.
    🌐 /language: change language. /cancel: leave the current step.
    Amounts may be typed as 150000, 150.000, Rp 150.000, 150rb, 1,5jt or 2 juta.
bot-help-owner =
    <b>Owner only</b>
    /invite: make a one-time cashier invite link. /staff: list and remove cashiers.
    /linkgroup in the shop's group: post payment notifications there. /unlinkgroup: stop.
    💸 /disburse: send money from the Palladium balance to a bank account (private chat only).

## Leaving a flow
bot-not-understood = Sorry, I did not understand that. Type /start for the menu, or /help for help.
bot-not-understood-in-flow = I don't know that command. Answer the last question above, or type /cancel to stop.
bot-cancel-done = Cancelled. Nothing was created.
bot-flow-left = ↩️ The bill you were making was cancelled. Nothing was created.
bot-cancel-nothing = Nothing is in progress.
bot-flow-use-buttons = Please choose with the buttons above, or type /cancel to stop.
bot-flow-type-text = Please type your answer, or /cancel to stop.
bot-flow-button-expired = This button is no longer valid.
bot-flow-button-someone-else = This button belongs to someone else.
bot-flow-earlier-question = That replies to an earlier question, answered already. Reply to this message for the current one:
bot-flow-ended-idle = That question was closed after going unanswered for a long time, so this message was not used. Type /start to begin again.
bot-flow-too-many-tries = That was { $count } answers in a row I could not use, so this has been stopped. Type /start to begin again.

## Creating a payment: questions
bot-va-ask-bank = Choose the bank for the Virtual Account:
bot-ask-customer-name = Type the <b>customer's name</b> (letters only, e.g. Siti Aminah):
bot-ask-amount = Type the <b>amount</b> (between { $min } and { $max }), e.g. 150.000 or 150rb
bot-va-ask-single-use = Is this Virtual Account for one payment, or multi-use (paid again and again)?
bot-single-use-yes = One payment
bot-single-use-no = Multi-use
bot-name-empty = The customer's name cannot be empty. Example: Siti Aminah
bot-name-too-long = The name is too long (at most { $max } characters). Example: Siti Aminah
bot-name-bad-characters = A name may only contain letters, spaces and . , ' - (no digits or other symbols), and needs letters. Example: Siti Aminah
bot-name-institution = Banks refuse names containing "{ $word }". Type the person's name, e.g. Siti Aminah
bot-amount-unreadable = I can't read "{ $input }" as an amount. Type rupiah, e.g. 150.000, 150rb or 1,5jt
bot-amount-not-positive = The amount must be more than zero. Example: 150.000
bot-amount-ambiguous-m = "{ $input }" could mean { $juta } or { $miliar }. Type { $number }jt for juta (million), or { $number } miliar (billion).
bot-amount-ambiguous-separator = "{ $input }" could mean { $smaller } or { $larger }. Type the amount in full, e.g. 1.500.000, or with a decimal comma: 1,5jt
bot-amount-sen = "{ $input }" has sen (cents), but payments take whole rupiah only. Type { $below } or { $above }
bot-amount-sen-one = "{ $input }" has sen (cents), but payments take whole rupiah only. Type { $amount }
bot-amount-too-small = The minimum amount is { $min }. Example: 150.000
bot-amount-too-large = The maximum amount is { $max }. Example: 1,5jt
bot-summary-va =
    <b>Please check:</b>
    Bank: { $bank }
    Customer name: { $name }
    Amount: { $amount }
    Type: { $singleUse ->
        [yes] one payment
       *[no] multi-use
    }
bot-summary-alfamart =
    <b>Please check:</b>
    Outlet: Alfamart
    Customer name: { $name }
    Amount: { $amount }
bot-confirm-button = ✅ Create now
bot-abandon-button = ✖ Cancel

## Gateway trouble
# Only when the gateway clearly turned the request away (rate limited on the first try): nothing was made.
# An update the bot failed to handle (the store refused a write, say): the person is told to try again.
# A message edited after it was sent: only new messages are read.
bot-edit-not-read = The bot does not read edited messages. Send your answer as a new message.
bot-update-failed = ⚠️ Sorry, something went wrong in the bot, so your message was not handled. Try again in a moment; if it keeps happening, contact the bot's operator.
bot-update-failed-short = ⚠️ Something went wrong in the bot; this button was not handled. Press it again in a moment.
bot-gateway-unavailable = The payment service can't be reached right now. Nothing was created yet. Try again in a moment: the same number won't be created twice.
# After a timeout, a dropped connection or a 5xx the gateway may have made it: never say it did not.
bot-gateway-no-answer = The payment service did not answer, so it is not certain whether this payment was created. "Try again" is safe: it cannot create a second one.
bot-cancel-maybe-made = Cancelled. If it was created just now, it is not recorded here and will expire unpaid.
bot-cancel-recorded = Closed. This payment is already recorded in "Recent payments" and the customer can still pay it.
bot-gateway-bad-key = The payment service refused the shop's API key. Ask the shop owner or the bot's operator to check PALLAPI_KEY.
bot-gateway-validation = The payment service refused this data: { $message }
bot-gateway-duplicate = This payment had already been created. Check "Recent payments" before making a new one.
# A 409 after a request of ours whose answer was lost: the gateway may hold it, nothing here recorded it, and
# a retry with the same external_id only meets the same 409.
bot-gateway-duplicate-unrecorded = The payment service's answer for this payment was lost, so it is not certain whether this payment was created. If it was, it is not recorded here and its number was never shown, so it cannot be paid and will expire. The safe next step: press "Cancel", then create a new payment.
bot-gateway-unexpected = The payment service answered in a way I don't understand. Nothing was saved. Try again, or contact the bot's operator.
# A 2xx that could not be read: the gateway may hold the payment, so never say nothing was made.
bot-gateway-unexpected-maybe-made = The payment service answered in a way I don't understand, so it is not certain whether this payment was created. Nothing was saved or shown. "Try again" is safe: it cannot create a second one. If this keeps happening, contact the bot's operator.
# The gateway made a payment other than the one confirmed (NOT_AS_ASKED): it is not shown, so no one pays it.
bot-gateway-not-as-asked = ⚠️ The payment service created this payment with { $field ->
    [amount] an amount
    [bank_code] a bank
    [retail_outlet_name] an outlet
    [is_single_use] a once/multi-use setting
   *[other] details
} other than the one you confirmed. It was not shown or recorded, so do not use it. Press Cancel and create it again, and tell the bot's operator.
bot-gateway-invalid-input = This data was not accepted: { $reason }
bot-retry-button = 🔁 Try again

## The payment message (photo caption, HTML, at most 1024 characters)
bot-payment-va-title = <b>{ $bank } Virtual Account</b>
bot-payment-alfamart-title = <b>Pay at Alfamart</b>
bot-payment-va-number = VA number:
bot-payment-alfamart-code = Payment code:
bot-payment-details =
    Customer name: { $name }
    Amount: <b>{ $amount }</b>
    Valid until: { $expiresAt }
bot-payment-expiry-not-given = not stated by Palladium
bot-payment-reusable = ♻️ Multi-use VA: it can be paid again and again until it expires.
bot-payment-steps-va =
    <b>How to pay:</b>
    1. Open { $bank } mobile banking or an ATM, choose Transfer to Virtual Account.
    2. Enter the VA number above.
    3. Check the name and amount, then pay.
bot-payment-steps-alfamart =
    <b>How to pay:</b>
    1. Go to any Alfamart cashier and say you want to pay "Palladium".
    2. Show the payment code above.
    3. Pay { $amount } and keep the receipt.
bot-payment-qr-note = This QR is <b>not QRIS</b>: it cannot be paid by scanning it in a bank or e-wallet app. It holds only the { $kind ->
        [code] payment code above, for the Alfamart cashier's scanner
       *[number] VA number above
    }.
bot-payment-expired-at-birth = ⚠️ <b>Do not forward this to the customer.</b> Palladium says this payment expired at { $expiresAt } already, so it cannot be paid. Try creating it again; if it happens again, tell the shop owner (the server's clock or Palladium's time zone may be wrong).
bot-payment-expired-since-earlier-try = ⚠️ <b>Do not forward this to the customer.</b> Palladium made this payment at an attempt before "Try again", and it expired at { $expiresAt }, so it cannot be paid. Create a new one for the customer.
bot-payment-next-after-expired = Create another?
bot-payment-next = You can forward the QR message above to the customer. Create another?

## Payment list
bot-list-title-own = <b>Your recent payments</b>
bot-list-title-all = <b>The shop's recent payments</b>
bot-list-empty = No payments yet.
bot-list-only-latest = <i>Only the latest { $count } are shown; older ones are in the Palladium dashboard.</i>
bot-list-transfers-in-private = <i>Transfers are not shown in a group: see them in your private chat with the bot.</i>
bot-list-entry = { $status } { $method } · { $amount } · { $name } · { $when }
# When: the payment's making, or its (latest) payment once paid.
bot-list-when-created = created { $time }
bot-list-when-paid = paid { $time }
bot-list-when-paid-latest = last paid { $time }
bot-status-pending = ⏳ Pending
bot-status-paid = ✅ Paid
bot-status-completed = ✅ Completed
bot-status-failed = ❌ Failed
bot-status-expired = ⌛ Expired
bot-status-paid-short = ⚠️ Paid short
bot-status-paid-over = ⚠️ Overpaid
# A bill paid in more than one payment (the rest paid later, or paid twice at the till).
bot-list-paid-times = (paid { $count }×)
bot-list-amount-short = { $paid } of { $asked } ({ $difference } short)
bot-list-amount-over = { $paid } of { $asked } ({ $difference } over)
# A multi-use VA: paid how many times and how much in all (it stays open, so not "paid").
bot-status-reusable = ♻️ Paid { $count }×
bot-status-reusable-expired = ⌛ Paid { $count }×, expired
bot-list-amount-reusable = { $amount } each, { $total } in all
bot-list-amount-reusable-short = { $amount } each, { $total } in all (⚠️ the latest { $difference } short)
bot-list-amount-reusable-over = { $amount } each, { $total } in all (⚠️ the latest { $difference } over)

## Sandbox
bot-simulate-button = 🧪 Simulate payment
bot-simulate-sent = Simulated payment sent.
bot-simulate-failed = The simulation failed, try again.
bot-simulate-expired = Expired since { $since }: a customer could not pay it either. Create a new payment.
bot-payment-barcode-caption = Barcode for the Alfamart cashier: scan it or type the code <code>{ $code }</code>.

## The "/" menu of commands (Telegram shows these beside each command)
bot-command-start = Main menu
bot-command-va = Make a virtual account (BNI, BCA)
bot-command-alfamart = Make an Alfamart payment code
bot-command-payments = Recent payments and their status
bot-command-cancel = Leave the current step
bot-command-language = Change language
bot-command-help = Help
bot-command-disburse = Send money to a bank account (owner)
bot-command-invite = Invite a new cashier (owner)
bot-command-staff = List of cashiers (owner)
bot-command-linkgroup = Post payment notices in this group (owner)
bot-command-unlinkgroup = Stop the notices in this group (owner)
