demo-help-pay = pay [ref]  – play the customer: pay the latest unpaid request, or the one with that Ref, VA number or Alfamart code (through the sandbox)
demo-help-transfer = bank [fail] [ref]  – play the bank: complete the latest transfer still in process, or make it fail with "fail" (through the sandbox)
demo-pay-nothing = Nothing is waiting for payment. Create a virtual account or an Alfamart code first.
demo-pay-sent = 💸 The customer { $customer } paid { $amount } for { $externalId } in the sandbox. The payment notification is on its way…
demo-pay-unknown-ref = No bill has the reference, VA number or code { $ref }. Type just pay to pay the latest bill, or copy its VA number or Alfamart code from its message.
demo-pay-not-a-bill = { $externalId } is an outgoing transfer, not a bill. To play the bank, type "bank".
demo-pay-refused = The sandbox refused the payment: { $reason }
demo-transfer-nothing = No transfer is waiting for the bank. Send money with /disburse first.
demo-transfer-not-one = { $externalId } is not an outgoing transfer. Transfers are made with /disburse; requests are paid with "pay".
demo-transfer-completed = 🏦 The bank completed the transfer of { $amount } to { $holder } ({ $externalId }) in the sandbox. The "sent" notification is on its way…
demo-transfer-failed = 🏦 The bank refused the transfer of { $amount } to { $holder } ({ $externalId }) in the sandbox: { $reason } The "failed" notification is on its way…
demo-transfer-refused = The sandbox could not process this transfer: { $reason }
demo-refused-already-paid = this one-payment bill is paid already.
demo-refused-expired = it has expired.
demo-refused-already-settled = the bank has already given this transfer's result.
demo-welcome = pallabot offline demo: you are the shop owner. Type /start to begin, "pay" or "bank" to play the customer or the bank, "?" for help, "quit" to leave.
# The terminal chat's own words, around the bot's messages.
demo-terminal-greeting = Chatting with @{ $bot } as { $user } (user id { $userId }). "?" shows help.
demo-terminal-help =
    Type a message and press Enter to send it.
    A number presses that button of the last message with buttons; M.N presses button N of message #M.
    A line that names no button (an amount such as 150.000) is sent as text.
    Start a line with \ to send a number as text. quit or exit (or Ctrl-D) leaves.
demo-terminal-edited = edited
demo-terminal-deleted = { $bot } deleted message #{ $messageId }
demo-terminal-in-chat = in { $chat }
demo-terminal-cannot-press = the button "{ $button }" cannot be pressed in this terminal
demo-port-taken = (Port { $wanted } is taken by another program, so the demo uses port { $port }.)
