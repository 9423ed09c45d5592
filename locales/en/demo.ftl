demo-help-pay = pay [external_id]  – play the customer: pay the latest unpaid request (through the sandbox)
demo-pay-nothing = Nothing is waiting for payment. Create a virtual account or an Alfamart code first.
demo-pay-sent = 💸 The customer paid { $externalId } in the sandbox. The "paid" notification is on its way…
demo-pay-refused = The sandbox refused the payment: { $reason }
demo-welcome = pallabot offline demo: you are the shop owner. Type /start to begin, "pay" to play the customer, "?" for help, "quit" to leave.
