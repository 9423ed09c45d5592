# Sending money out of the shop's Palladium balance (src/bot/features/disbursement.ts). Keys start with
# "disburse-". HTML parse mode: every variable arrives already escaped. Callback answers (the
# "disburse-press-*" keys) are plain text of at most 200 characters.

disburse-menu = 💸 Kirim dana

## Who may send
disburse-private-only = Demi keamanan, kirim dana hanya lewat chat pribadi dengan bot. Buka @{ $bot } lalu ketik /kirimdana.
disburse-allowance-used-up = Batas kirim dana hari ini ({ $limit }) sudah terpakai; sisa { $remaining }. Coba lagi besok: batas harian mulai dari nol lagi pukul 00.00 WIB.

## Questions
disburse-ask-bank = 💸 <b>Kirim dana</b> ke rekening bank. Pilih bank tujuan:
disburse-ask-account = Ketik <b>nomor rekening</b> { $bank } tujuan (angka saja, { $lengths } digit):
disburse-ask-holder = Ketik <b>nama pemilik rekening</b> persis seperti tertulis di rekening, di buku tabungan atau aplikasi bank (huruf saja, contoh: Budi Santoso):
disburse-ask-amount = Ketik <b>nominal</b> (antara { $min } dan { $max }), contoh: 150.000 atau 1,5jt
    Batas per transfer { $perTransfer }; sisa batas hari ini { $remaining }.
disburse-ask-description = Ketik <b>keterangan</b> transfer (muncul di mutasi penerima), contoh: Bayar supplier beras
disburse-ask-email-to = Kirim bukti transfer ke <b>e-mail</b>? Ketik alamatnya, atau tekan Lewati.
disburse-ask-email-cc = Tambah e-mail <b>CC</b>? Ketik alamatnya, atau tekan Lewati.
disburse-ask-email-bcc = Tambah e-mail <b>BCC</b>? Ketik alamatnya, atau tekan Lewati.
disburse-skip-button = ⏭ Lewati
disburse-lengths-or = { $first } atau { $last }

## Refused answers (the question is asked again)
disburse-account-not-digits = Nomor rekening hanya boleh berisi angka. Contoh: 1234567890
disburse-account-length = Nomor rekening { $bank } harus { $lengths } digit; yang Anda ketik { $count } digit.
disburse-holder-empty = Nama pemilik rekening tidak boleh kosong. Contoh: Budi Santoso
disburse-holder-too-long = Nama pemilik rekening terlalu panjang (maksimal { $max } karakter).
disburse-holder-bad-characters = Nama pemilik rekening hanya boleh berisi huruf, spasi dan tanda . , ' - (tanpa angka atau simbol). Contoh: Budi Santoso
disburse-amount-unreadable = Nominal "{ $input }" tidak terbaca. Ketik angka rupiah, contoh: 150.000, 150rb atau 1,5jt
disburse-amount-ambiguous-m = Nominal "{ $input }" bisa berarti { $juta } atau { $miliar }. Ketik { $number }jt untuk juta, atau { $number } miliar.
disburse-amount-ambiguous-separator = Nominal "{ $input }" bisa berarti { $smaller } atau { $larger }. Ketik angkanya lengkap, contoh: 1.500.000, atau pakai koma untuk desimal: 1,5jt
disburse-amount-sen = Nominal "{ $input }" memakai sen, padahal transfer hanya dalam rupiah bulat. Ketik { $below } atau { $above }
disburse-amount-sen-one = Nominal "{ $input }" memakai sen, padahal transfer hanya dalam rupiah bulat. Ketik { $amount }
disburse-amount-not-positive = Nominal harus lebih dari nol. Contoh: 150.000
disburse-amount-too-small = Nominal minimal { $min } untuk { $bank }.
disburse-amount-too-large = Nominal maksimal { $max } untuk { $bank }.
disburse-amount-above-max = Nominal melebihi batas per transfer ({ $max }). Ketik nominal yang lebih kecil.
disburse-amount-above-remaining = Nominal melebihi sisa batas hari ini ({ $remaining }). Ketik nominal yang lebih kecil, atau kirim besok.
disburse-description-invalid = Keterangan harus satu baris, 1 sampai { $max } karakter (yang Anda ketik { $length }).
disburse-email-invalid = "{ $input }" bukan alamat e-mail yang benar. Contoh: toko@contoh.co.id, atau tekan Lewati.

## Summary
disburse-summary =
    <b>💸 Periksa sekali lagi. Uang yang sudah terkirim tidak bisa ditarik kembali.</b>
    Bank: { $bank }
    No. rekening: <code>{ $account }</code>
    Pemilik rekening: <b>{ $holder }</b>
    Nominal: <b>{ $amount }</b>
    Keterangan: { $description }
    Bukti e-mail: { $emails }
    { $today }
    Tombol kirim hanya untuk Anda, sekali pakai, berlaku { $minutes } menit.
disburse-summary-today = Sisa batas hari ini: { $remaining } (setelah transfer ini { $remainingAfter }; batas harian { $limit })
# The amount is more than what is left today (another owner sent meanwhile, or a failed transfer sent again).
disburse-summary-today-short = ⚠️ Sisa batas hari ini tinggal <b>{ $remaining }</b> (batas harian { $limit }), kurang dari nominal ini: tombol kirim akan menolaknya. Batalkan, atau kirim besok (batas harian mulai lagi pukul 00.00 WIB).
# Added to a summary once pressed: what became of it.
disburse-summary-closed-sent = ➡️ Tombol sudah dipakai: jawabannya di bawah.
disburse-summary-closed-cancelled = ✖ Dibatalkan: tidak ada uang yang dikirim.
disburse-summary-closed-expired = ⌛ Kedaluwarsa: tidak dikirim. Buat lagi dengan /kirimdana bila masih perlu.
disburse-summary-closed-not-needed = ✖ Tidak dikirim: transfer sebelumnya (yang dilaporkan gagal) ternyata berhasil.
disburse-emails-none = tidak dikirim
disburse-emails = ke { $to }{ $cc }{ $bcc }
disburse-emails-cc = , cc { $address }
disburse-emails-bcc = , bcc { $address }
disburse-confirm-button = ✅ Kirim { $amount }
disburse-cancel-button = ✖ Batal
disburse-retry-button = 🔁 Coba lagi (aman, tidak dobel)

## Pressing the buttons
disburse-press-sending = ⏳ Mengirim…
disburse-press-owner-only = Hanya pemilik toko yang bisa mengirim dana.
disburse-press-not-yours = Transfer ini dimulai oleh pemilik lain; hanya dia yang bisa mengonfirmasi. Tidak ada uang yang dikirim.
disburse-press-expired = Konfirmasi ini sudah kedaluwarsa. Tidak ada uang yang dikirim. Mulai lagi dengan /kirimdana.
disburse-press-unknown = Transfer ini tidak ditemukan lagi. Tidak ada uang yang dikirim. Mulai lagi dengan /kirimdana.
disburse-press-retry-forgotten = Transfer ini sudah terlalu lama untuk dicoba lagi di sini, dan mungkin sudah terkirim. Periksa di dashboard Palladium sebelum mengirim lagi.
disburse-press-already-sending = Transfer ini sedang dikirim. Tombol ini hanya berlaku sekali.
disburse-press-already-sent = Transfer ini sudah dikirim. Tombol ini hanya berlaku sekali; tidak ada yang dikirim lagi.
disburse-press-already-cancelled = Transfer ini sudah dibatalkan. Tidak ada uang yang dikirim.
disburse-press-already-refused = Transfer ini sudah ditolak. Tidak ada uang yang dikirim. Mulai lagi dengan /kirimdana.
disburse-press-already-uncertain = Hasilnya belum pasti. Tekan "Coba lagi" pada pesan terakhir.

## "Kirim lagi" under a failed transfer's notice
disburse-again-button = 🔁 Kirim lagi
disburse-again-intro = 🔁 <b>Kirim lagi</b> transfer yang gagal (Ref <code>{ $reference }</code>) dengan rincian yang sama, sebagai transfer baru.
disburse-again-completed = Transfer ini ternyata berhasil (lihat kabar terbarunya). Tidak ada yang dikirim lagi.
disburse-again-pending = Transfer ini masih menunggu jawaban bank. Tidak ada yang dikirim lagi.
disburse-again-already = Transfer ini sudah dikirim lagi; kabarnya ada di chat ini. Untuk transfer lain, mulai dengan /kirimdana.
disburse-again-completed-maybe-sent = Tidak dicoba lagi: transfer pertama (yang tadinya dilaporkan gagal) ternyata berhasil. Kiriman ulang ini belum jelas sejak percobaan pertamanya, jadi uangnya <b>mungkin terkirim dua kali</b>: cek dashboard Palladium.
disburse-again-destination-wrong = Transfer ini gagal karena rekening tujuannya: dikirim lagi dengan rincian yang sama, hasilnya akan sama. Mulai transfer baru dengan /kirimdana dan rincian yang benar.
disburse-again-not-yours = Pemilik lain sedang mengirim lagi transfer ini; hanya dia yang bisa mengonfirmasinya.

## Outcomes
disburse-cancelled = Dibatalkan. Tidak ada uang yang dikirim.
disburse-flow-left = ↩️ Transfer tadi dibatalkan. Tidak ada uang yang dikirim.
disburse-sent =
    ⏳ Transfer <b>{ $amount }</b> ke { $bank } <code>{ $account }</code> a.n. { $holder } diterima layanan pembayaran dan sedang diproses bank. { $told ->
        [group] Anda dan grup toko akan diberi tahu hasilnya.
       *[owner] Anda akan diberi tahu hasilnya.
    }
    Sebelum kabar itu datang, jangan dulu bilang ke penerima bahwa uangnya sudah masuk.
    Sisa batas hari ini: { $remaining }
disburse-sent-earlier =
    ⏳ Transfer ini ternyata sudah diterima layanan pembayaran pada percobaan sebelumnya; tidak dikirim lagi. { $told ->
        [group] Anda dan grup toko akan diberi tahu hasilnya.
       *[owner] Anda akan diberi tahu hasilnya.
    }
    Sebelum kabar itu datang, jangan dulu bilang ke penerima bahwa uangnya sudah masuk.
    Sisa batas hari ini: { $remaining }
# The gateway answered the send itself with FAILED: nothing left, and the allowance is back.
disburse-failed-at-once = ❌ Layanan pembayaran langsung menjawab transfer <b>{ $amount }</b> ke { $bank } <code>{ $account }</code> a.n. { $holder } gagal: { $reason }
    Uangnya tidak terkirim, dan jumlahnya tidak dihitung dalam batas harian.
    Sisa batas hari ini: { $remaining }
# The bank's result came in while the gateway's answer to the send was still on its way: the result is the last word.
disburse-bank-answered = { $result ->
        [completed] ✅ Bank sudah melaporkan transfer <b>{ $amount }</b> ke { $bank } <code>{ $account }</code> a.n. { $holder } berhasil: uangnya sudah terkirim.
       *[failed] ❌ Bank sudah melaporkan transfer <b>{ $amount }</b> ke { $bank } <code>{ $account }</code> a.n. { $holder } gagal: uangnya tidak terkirim.
    } Kabar dari bank dikirim terpisah.
    Sisa batas hari ini: { $remaining }
disburse-over-daily-limit = ⛔ Tidak dikirim: melebihi sisa batas hari ini ({ $remaining }). Tidak ada uang yang dikirim.
disburse-retry-over-today = ⛔ <b>Belum dicoba lagi.</b> Sisa batas kirim hari ini { $remaining }, kurang dari { $amount }. Percobaan sebelumnya mungkin sudah terkirim: cek dashboard Palladium. Tekan Coba lagi setelah batas harian mulai lagi (besok, pukul 00.00 WIB).
disburse-over-max = ⛔ Tidak dikirim: maksimal { $max } per transfer. Tidak ada uang yang dikirim.
disburse-refused-bad-key = ⛔ Tidak dikirim: kunci API toko ditolak layanan pembayaran. Minta operator bot memeriksa PALLAPI_KEY. Jumlahnya tidak dihitung dalam batas harian.
disburse-refused-validation = ⛔ Tidak dikirim: layanan pembayaran menolak data ini ({ $message }). Jumlahnya tidak dihitung dalam batas harian.
disburse-refused-busy = ⛔ Tidak dikirim: layanan pembayaran menolak permintaan ini sebelum memprosesnya (sedang sibuk atau koneksinya bermasalah). Tidak ada uang yang keluar, dan jumlahnya tidak dihitung dalam batas harian. Coba kirim lagi sebentar lagi.
disburse-refused-invalid-input = ⛔ Tidak dikirim: data ini tidak diterima ({ $reason }). Jumlahnya tidak dihitung dalam batas harian.
disburse-uncertain = ⚠️ Layanan pembayaran tidak menjawab dengan jelas, jadi belum pasti transfer ini dibuat. Tekan "Coba lagi": nomor transaksinya tetap sama, jadi uang tidak akan terkirim dua kali.
# The gateway answered with a transfer other than the one confirmed (NOT_AS_ASKED): money may be going elsewhere.
disburse-not-as-asked = ⚠️ Layanan pembayaran menjawab dengan transfer yang { $field ->
    [amount] nominalnya
    [bank_code] banknya
    [retail_outlet_name] gerainya
    [is_single_use] jenisnya (sekali bayar atau berkali-kali)
   *[account_number] nomor rekeningnya
} berbeda dari yang Anda konfirmasi. Periksa dashboard Palladium sekarang dan hentikan transfer itu kalau bisa. Jumlahnya tetap dihitung dalam batas harian sampai hasilnya jelas.
disburse-not-as-asked-answered = Jawaban layanan pembayaran: <b>{ $answered }</b>.
# Heads the uncertain answer when it replaces the summary: a send cut off by a restart, told later.
disburse-uncertain-which = 💸 Transfer <b>{ $amount }</b> ke { $bank } <code>{ $account }</code> a.n. { $holder }
# Sent as a reply to that summary once it is edited: Telegram does not notify an edit.
disburse-uncertain-notice = ⚠️ Transfer <b>{ $amount }</b> ke { $bank } <code>{ $account }</code> a.n. { $holder } belum pasti terkirim. Tekan "Coba lagi" pada pesan yang dibalas ini: uang tidak akan terkirim dua kali.

## Payment list
disburse-list-outgoing = ↗️ Keluar { $method }

# Sandbox mode: the owner plays the bank's answer to a transfer sent (its result notice comes the real way).
disburse-simulate-completed-button = 🧪 Bank: berhasil
disburse-simulate-failed-button = 🧪 Bank: gagal
disburse-simulate-sent = 🧪 Jawaban bank disimulasikan; kabarnya segera datang.
disburse-simulate-settled = Transfer ini sudah punya hasil dari bank.
