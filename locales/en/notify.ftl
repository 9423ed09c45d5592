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
notify-method-virtual-account = { $bank } VA <code>{ $number }</code>
notify-method-retail = { $outlet }, code <code>{ $code }</code>

notify-digest-header = ✅ <b>{ $count } payments received</b>, <b>{ $total }</b> in all:
notify-digest-line = • { $amount } · { $customer } · { $method } · { $time }
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
    Time: { $time }
    Ref: <code>{ $reference }</code>

notify-failure-INSUFFICIENT_BALANCE = your Palladium balance is too low. Top it up and send again.
notify-failure-INVALID_DESTINATION = the bank does not know that account number. Check the number and the bank.
notify-failure-INVALID_ACCOUNT_DETAILS = the account holder's name does not match the bank's records.
notify-failure-REJECTED_BY_BANK = the receiving bank refused this transfer.
notify-failure-TEMPORARY_BANK_NETWORK_ERROR = the bank's network is having trouble. Try again later.
notify-failure-UNKNOWN_BANK_NETWORK_ERROR = the bank's network did not answer. Check the account statement before sending again.
notify-failure-SWITCHING_NETWORK_ERROR = the interbank network is having trouble. Try again later.
notify-failure-TRANSFER_ERROR = the gateway could not make the transfer.
notify-failure-TEMPORARY_TRANSFER_ERROR = the gateway has a temporary problem. Try again later.
notify-failure-other = the transfer was refused (code { $code }).
notify-failure-none = the gateway gave no reason.

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

notify-paid-caption =
    ✅ <b>PAID</b>
    Amount: <b>{ $amount }</b>
    Method: { $method }
    Customer: { $customer }
    Paid: { $time }
