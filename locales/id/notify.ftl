# Notifications the notifier posts to the shop group, the creator and the owners (HTML parse mode:
# every variable arrives already escaped).

notify-payment-received =
    ✅ <b>Pembayaran diterima</b>
    Jumlah: <b>{ $amount }</b>
    Metode: { $method }
    Pelanggan: { $customer }
    Waktu: { $time }
    Ref: <code>{ $reference }</code>
notify-payment-sender = Dikirim oleh: { $sender }
notify-method-virtual-account = VA { $bank } <code>{ $number }</code>
notify-method-retail = { $outlet }, kode <code>{ $code }</code>

notify-digest-header = ✅ <b>{ $count } pembayaran diterima</b>, total <b>{ $total }</b>:
notify-digest-line = • { $amount } · { $customer } · { $method } · { $time }
notify-digest-more = … dan { $count } pembayaran lainnya

notify-disbursement-completed =
    💸 <b>Transfer terkirim</b>
    Jumlah: <b>{ $amount }</b>
    Ke: { $bank } { $account } a.n. { $holder }
    Waktu: { $time }
    Ref: <code>{ $reference }</code>
notify-disbursement-failed =
    ❌ <b>Transfer gagal</b>
    Jumlah: <b>{ $amount }</b>
    Ke: { $bank } { $account } a.n. { $holder }
    Alasan: { $reason }
    Waktu: { $time }
    Ref: <code>{ $reference }</code>

notify-failure-INSUFFICIENT_BALANCE = saldo di Palladium tidak cukup. Isi saldo lalu kirim ulang.
notify-failure-INVALID_DESTINATION = nomor rekening tujuan tidak ditemukan di bank. Periksa nomor dan banknya.
notify-failure-INVALID_ACCOUNT_DETAILS = nama pemilik rekening tidak cocok dengan data bank.
notify-failure-REJECTED_BY_BANK = bank tujuan menolak transfer ini.
notify-failure-TEMPORARY_BANK_NETWORK_ERROR = jaringan bank sedang gangguan. Coba lagi nanti.
notify-failure-UNKNOWN_BANK_NETWORK_ERROR = jaringan bank tidak menjawab. Cek mutasi rekening sebelum mengirim ulang.
notify-failure-SWITCHING_NETWORK_ERROR = jaringan antarbank sedang gangguan. Coba lagi nanti.
notify-failure-TRANSFER_ERROR = transfer gagal di sisi layanan pembayaran.
notify-failure-TEMPORARY_TRANSFER_ERROR = layanan pembayaran sedang gangguan sementara. Coba lagi nanti.
notify-failure-other = transfer ditolak (kode { $code }).
notify-failure-none = tidak ada keterangan dari layanan pembayaran.

notify-unknown-payment =
    ⚠️ <b>Pembayaran masuk dengan referensi yang tidak dikenal bot</b>
    Jenis: { $event }
    Jumlah: <b>{ $amount }</b>
    Metode: { $method }
    Ref: <code>{ $reference }</code>
    Waktu: { $time }
    Cek dashboard Palladium: pembayaran ini tidak tercatat di bot.
notify-event-virtual-account-paid = pembayaran VA
notify-event-retail-outlet-paid = pembayaran Alfamart
notify-event-disbursement = status transfer
notify-event-virtual-account-created = VA dibuat

notify-paid-caption =
    ✅ <b>SUDAH DIBAYAR</b>
    Jumlah: <b>{ $amount }</b>
    Metode: { $method }
    Pelanggan: { $customer }
    Dibayar: { $time }
