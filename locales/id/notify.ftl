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
# A multi-use VA's payments so far: the shop counts them, and the VA stays open.
notify-payment-reusable = ♻️ Pembayaran ke-{ $count } ke VA berulang ini · total { $total }
# A bill (an Alfamart code: multi-use at the gateway) paid more than once, judged by its total.
notify-payment-repeated = ✅ Tagihan ini kini lunas: { $count } pembayaran, total <b>{ $total }</b>.
notify-payment-repeated-short = ⚠️ Tagihan ini sudah dibayar { $count }×, total <b>{ $total }</b>: masih kurang <b>{ $difference }</b> dari tagihan { $asked }.
notify-payment-repeated-over = ⚠️ Tagihan ini sudah dibayar <b>{ $count }×</b>, total <b>{ $total }</b>: lebih <b>{ $difference }</b> dari tagihan { $asked }. Periksa apakah pelanggan membayar lebih dari sekali.
# A bill paid more than once whose total is not what it asked: the heading says so, not "received".
notify-payment-again-short =
    ⚠️ <b>Pembayaran diterima, tagihan belum lunas</b>
    Jumlah: <b>{ $amount }</b>
    Metode: { $method }
    Pelanggan: { $customer }
    Waktu: { $time }
    Ref: <code>{ $reference }</code>
notify-payment-again-over =
    ⚠️ <b>Pembayaran lagi untuk tagihan yang sudah lunas</b>
    Jumlah: <b>{ $amount }</b>
    Metode: { $method }
    Pelanggan: { $customer }
    Waktu: { $time }
    Ref: <code>{ $reference }</code>
notify-payment-again-over-now =
    ⚠️ <b>Pembayaran diterima, tagihan kini lebih bayar</b>
    Jumlah: <b>{ $amount }</b>
    Metode: { $method }
    Pelanggan: { $customer }
    Waktu: { $time }
    Ref: <code>{ $reference }</code>
# A payment of another amount than the one asked: the cashier must see it before handing over the goods.
notify-payment-short =
    ⚠️ <b>Kurang bayar</b>
    Dibayar: <b>{ $amount }</b>
    ⚠️ Kurang <b>{ $difference }</b> dari tagihan { $asked }
    Metode: { $method }
    Pelanggan: { $customer }
    Waktu: { $time }
    Ref: <code>{ $reference }</code>
    Tagih kekurangannya sebelum barang diserahkan.
notify-payment-over =
    ⚠️ <b>Lebih bayar</b>
    Dibayar: <b>{ $amount }</b>
    ⚠️ Lebih <b>{ $difference }</b> dari tagihan { $asked }
    Metode: { $method }
    Pelanggan: { $customer }
    Waktu: { $time }
    Ref: <code>{ $reference }</code>
    Cek dengan pelanggan: kelebihannya mungkin perlu dikembalikan.
# The callback named another VA number or bank (or Alfamart code) than the one the bot issued.
notify-time-received = { $time } (saat diterima bot: waktu dari Palladium tidak terbaca)
notify-method-differs = ⚠️ Palladium menyebut { $method }, bukan yang tercatat di bot. Cek dashboard Palladium.
notify-method-virtual-account = VA { $bank } <code>{ $number }</code>
notify-method-retail = { $outlet }, kode <code>{ $code }</code>

notify-digest-header = ✅ <b>{ $count } pembayaran diterima</b>, total <b>{ $total }</b>:
notify-digest-line = • { $amount } · { $customer } · { $method } · { $time }
notify-digest-reusable = ♻️ ke-{ $count }
notify-digest-amount-short = { $amount } ⚠️ kurang { $difference } dari { $asked }
notify-digest-amount-over = { $amount } ⚠️ lebih { $difference } dari { $asked }
notify-digest-forwarded = ↪️ { $all ->
    [yes] Semuanya
   *[no] { $count } di antaranya
} dikirim ke Anda karena Telegram menolak chat tujuannya (bot dikeluarkan dari grup, atau diblokir kasir).
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
    Uangnya tidak terkirim, dan jumlahnya tidak dihitung dalam batas kirim harian.
    Waktu: { $time }
    Ref: <code>{ $reference }</code>

notify-disbursement-failed-not-believed =
    ⚠️ <b>Transfer ini kini dilaporkan GAGAL, padahal sebelumnya dilaporkan terkirim</b>
    Jumlah: <b>{ $amount }</b>
    Ke: { $bank } { $account } a.n. { $holder }
    Alasan: { $reason }
    Bot tetap mencatatnya terkirim, karena tidak bisa dipastikan laporan mana yang lebih baru (salah satunya tanpa waktu), dan uangnya mungkin sudah keluar. Cek dashboard Palladium sebelum mengirim ulang.
    Waktu: { $time }
    Ref: <code>{ $reference }</code>

# A transfer's "⏳ … sedang diproses bank" message (disburse-sent), edited once the bank's result is in.
notify-transfer-message-completed =
    ✅ Transfer <b>{ $amount }</b> ke { $bank } { $account } a.n. { $holder } <b>berhasil</b>: bank melaporkan uangnya sudah terkirim.
    Waktu: { $time }
    Ref: <code>{ $reference }</code>
notify-transfer-message-failed =
    ❌ Transfer <b>{ $amount }</b> ke { $bank } { $account } a.n. { $holder } <b>gagal</b>: uangnya tidak terkirim.
    Alasan: { $reason }
    Waktu: { $time }
    Ref: <code>{ $reference }</code>

notify-forwarded = ↪️ Dikirim ke Anda karena Telegram menolak chat tujuannya (bot dikeluarkan dari grup, atau diblokir kasir).
notify-disbursement-differs = ⚠️ Yang dikirim dari bot: { $sent }. Palladium melaporkan lain; cek dashboard Palladium.
notify-disbursement-answered-otherwise = ⚠️ Saat dikirim, Palladium menjawab dengan { $field ->
    [amount] nominal
    [bank_code] bank
   *[account_number] nomor rekening
} <b>{ $answered }</b>, berbeda dari yang dikonfirmasi. Cek dashboard Palladium ke mana uangnya pergi.
notify-disbursement-overturns-completed = ⚠️ Ini mengubah kabar sebelumnya: Palladium sebelumnya melaporkan transfer ini terkirim.
notify-disbursement-overturns-failed = ⚠️ Ini mengubah kabar sebelumnya: Palladium sebelumnya melaporkan transfer ini gagal, jadi jumlahnya kini dihitung lagi dalam batas kirim harian.
notify-disbursement-overturns-refused = ⚠️ Ini mengubah kabar sebelumnya: Palladium sebelumnya menolak transfer ini, tetapi bank melaporkannya terkirim, jadi jumlahnya kini dihitung dalam batas kirim harian. Bila sudah dikirim ulang dengan /kirimdana, uangnya mungkin keluar dua kali: periksa dashboard Palladium.
notify-disbursement-sent-again = ⚠️ Transfer ini juga sudah dikirim ulang lewat "Kirim lagi" (Ref <code>{ $reference }</code>): uangnya mungkin keluar dua kali. Cek dashboard Palladium dan minta penerima mengembalikan kelebihannya.
notify-sent-amount = jumlah { $amount }
notify-sent-bank = bank { $bank }
notify-sent-holder = nama { $holder }

notify-failure-INSUFFICIENT_BALANCE = saldo di Palladium tidak cukup. Isi saldo lalu kirim ulang.
notify-failure-INVALID_DESTINATION = nomor rekening tujuan tidak ditemukan di bank. Periksa nomor dan banknya.
notify-failure-INVALID_ACCOUNT_DETAILS = nama pemilik rekening tidak cocok dengan data bank.
notify-failure-REJECTED_BY_BANK = bank tujuan menolak transfer ini.
notify-failure-TEMPORARY_BANK_NETWORK_ERROR = jaringan bank sedang gangguan. Coba lagi nanti.
notify-failure-UNKNOWN_BANK_NETWORK_ERROR = jaringan bank memberi galat yang tidak dikenal; kiriman ulang belum tentu berhasil.
notify-failure-SWITCHING_NETWORK_ERROR = jaringan antarbank sedang gangguan. Coba lagi nanti.
notify-failure-TRANSFER_ERROR = transfer gagal di sisi layanan pembayaran.
notify-failure-TEMPORARY_TRANSFER_ERROR = layanan pembayaran sedang gangguan sementara. Coba lagi nanti.
notify-failure-other = transfer ditolak (kode { $code }).
notify-failure-none = tidak ada keterangan dari layanan pembayaran.

# Many of them at once, as one message.
notify-unknown-digest-header = ⚠️ <b>{ $count } pembayaran masuk dengan referensi yang tidak dikenal bot</b>, total <b>{ $total }</b>:
notify-unknown-digest-line = • { $amount } · { $method } · Ref <code>{ $reference }</code> · { $time }
notify-unknown-digest-footer = Cek dashboard Palladium: pembayaran ini tidak tercatat di bot. Jika akun Palladium ini juga dipakai toko online atau kasir lain, laporan pembayarannya ikut datang ke bot; sebaiknya bot memakai akun sendiri.
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
notify-event-disbursement-COMPLETED = transfer terkirim (COMPLETED)
notify-event-disbursement-FAILED = transfer gagal (FAILED)

# A callback for one of our references, but of another kind than the payment the bot made under it.
notify-mismatched-callback =
    ⚠️ <b>Laporan Palladium tidak cocok dengan catatan bot</b>
    Palladium melaporkan: { $event }.
    Di bot, referensi ini adalah { $kind }, jadi laporan ini tidak dipakai.
    Jumlah: <b>{ $amount }</b>
    Metode: { $method }
    Ref: <code>{ $reference }</code>
    Waktu: { $time }
    Status pembayaran di bot tidak diubah. Cek dashboard Palladium.
notify-record-kind-virtual_account = virtual account (VA)
notify-record-kind-retail = kode Alfamart
notify-record-kind-disbursement = transfer keluar

# A transfer result for a reference the bot never issued: money sent from the account without the bot.
notify-unknown-disbursement =
    ⚠️ <b>Transfer keluar yang tidak dikenal bot</b>
    Status: { $status }
    Jumlah: <b>{ $amount }</b>
    Ke: { $to }
    Ref: <code>{ $reference }</code>
    Waktu: { $time }
    Cek dashboard Palladium: transfer ini tidak dibuat lewat bot.
notify-unknown-disbursement-failed =
    ⚠️ <b>Transfer keluar yang tidak dikenal bot</b>
    Status: { $status }
    Alasan: { $reason }
    Jumlah: <b>{ $amount }</b>
    Ke: { $to }
    Ref: <code>{ $reference }</code>
    Waktu: { $time }
    Cek dashboard Palladium: transfer ini tidak dibuat lewat bot.
notify-transfer-status-COMPLETED = ✅ terkirim (COMPLETED)
notify-transfer-status-FAILED = ❌ gagal (FAILED)
notify-transfer-status-unknown = tidak diketahui
notify-transfer-to = { $bank } a.n. { $holder }

notify-paid-caption =
    ✅ <b>SUDAH DIBAYAR</b>
    Jumlah: <b>{ $amount }</b>
    Metode: { $method }
    Pelanggan: { $customer }
    Dibayar: { $time }
notify-paid-caption-short =
    ⚠️ <b>KURANG BAYAR</b>
    Dibayar: <b>{ $amount }</b>
    ⚠️ Kurang <b>{ $difference }</b> dari tagihan { $asked }
    Metode: { $method }
    Pelanggan: { $customer }
    Waktu: { $time }
notify-paid-caption-over =
    ⚠️ <b>LEBIH BAYAR</b>
    Dibayar: <b>{ $amount }</b>
    ⚠️ Lebih <b>{ $difference }</b> dari tagihan { $asked }
    Metode: { $method }
    Pelanggan: { $customer }
    Waktu: { $time }
# A bill paid more than once whose total is not what it asked.
notify-paid-caption-again-short =
    ⚠️ <b>DIBAYAR { $count }× · BELUM LUNAS</b>
    Terakhir: <b>{ $amount }</b>
    Metode: { $method }
    Pelanggan: { $customer }
    Dibayar: { $time }
notify-paid-caption-again-over =
    ⚠️ <b>DIBAYAR { $count }× · LEBIH BAYAR</b>
    Terakhir: <b>{ $amount }</b>
    Metode: { $method }
    Pelanggan: { $customer }
    Dibayar: { $time }
# A multi-use VA's message: the VA as it is now, which stays open until it expires.
notify-paid-caption-reusable =
    ♻️ <b>VA BERULANG · sudah dibayar { $count }×</b>
    Total: <b>{ $total }</b>
    Terakhir: <b>{ $amount }</b>, { $time }
    Metode: { $method }
    Pelanggan: { $customer }
notify-paid-caption-reusable-short = ⚠️ Yang terakhir kurang <b>{ $difference }</b> dari tagihan { $asked }
notify-paid-caption-reusable-over = ⚠️ Yang terakhir lebih <b>{ $difference }</b> dari tagihan { $asked }
notify-paid-caption-reusable-until = Masih bisa dibayar lagi sampai { $expiresAt }.
notify-paid-caption-reusable-open = Masih bisa dibayar lagi.
notify-paid-caption-reusable-closed = Masa berlakunya sudah habis: tidak bisa dibayar lagi.
