# The merchant bot (src/bot/). Every key here starts with "bot-".
# Messages are sent with HTML parse mode unless noted: keep <, > and & out of plain text.

## Main menu
bot-menu-title = Mau buat apa?
bot-menu-va = 🏦 Buat Virtual Account
bot-menu-alfamart = 🏪 Kode Alfamart
bot-menu-payments = 📋 Pembayaran terakhir
bot-menu-invite = ➕ Undang kasir
bot-menu-staff = 👥 Daftar kasir
bot-menu-language = 🌐 Bahasa
bot-menu-help = ❓ Bantuan
bot-welcome-owner = Halo, { $name }! Anda pemilik toko ini.
bot-welcome-staff = Halo, { $name }! Anda terdaftar sebagai kasir.

## Access
# An anonymous admin (or one posting as the group or a channel): no role can be read from such a message.
bot-access-anonymous = Bot tidak bisa tahu siapa yang mengirim perintah ini, karena dikirim secara anonim (atas nama grup atau kanal). Kirim lagi sebagai diri sendiri: matikan "Tetap Anonim" di hak admin Anda, atau pilih akun Anda sebagai pengirim.
bot-access-refused =
    Maaf, bot ini hanya untuk pemilik dan kasir toko.
    ID Telegram Anda: <code>{ $userId }</code>
    Kirim ID ini ke pemilik toko agar Anda diundang.
bot-access-refused-short = Maaf, bot ini hanya untuk pemilik dan kasir toko. ID Anda: { $userId }
bot-access-owner-only = Hanya pemilik toko yang bisa melakukan ini.

## Invites and staff
bot-invite-created =
    Kirim tautan ini ke kasir baru. Hanya bisa dipakai sekali, berlaku sampai { $expiresAt }:
    { $link }
bot-invite-sent-privately = Tautan undangan sudah dikirim lewat chat pribadi.
bot-invite-private-chat-closed = Tautan undangan tidak bisa dikirim ke chat pribadi Anda. Buka chat pribadi dengan bot ini ({ $link }), tekan Mulai (atau buka blokirnya), lalu minta undangan lagi.
bot-invite-accepted = Selamat datang, { $name }! Sekarang Anda kasir toko ini.
bot-invite-invalid = Tautan undangan ini sudah dipakai atau sudah kedaluwarsa. Minta tautan baru ke pemilik toko.
bot-invite-already-member = Anda sudah terdaftar, tautan ini tidak diperlukan.
bot-invite-joined-notice = ✅ { $name } (ID <code>{ $userId }</code>) bergabung sebagai kasir.
bot-staff-title = Kasir toko:
bot-staff-empty = Belum ada kasir. Tekan "Undang kasir" untuk membuat tautan undangan.
bot-staff-part-empty = Semua kasir di bagian daftar ini sudah dihapus.
bot-staff-entry = • { $name } (ID <code>{ $userId }</code>), sejak { $addedAt }
bot-staff-remove-button = ✖ Hapus { $name }
bot-staff-removed = { $name } tidak lagi menjadi kasir.
bot-staff-not-found = Kasir itu sudah tidak ada di daftar.
bot-staff-removed-notice = Akses Anda sebagai kasir sudah dicabut oleh pemilik toko.

## Groups
bot-group-linked = Grup "{ $title }" terhubung. Notifikasi pembayaran toko akan dikirim ke sini.
bot-group-linked-topic = Grup "{ $title }" terhubung{ $named ->
    [yes] , di topik "{ $topic }"
   *[no] {""}
}. Notifikasi pembayaran toko akan dikirim ke topik ini. Untuk memindahkannya, ketik /linkgroup di topik lain (atau di General).
bot-group-unlinked = Grup ini tidak lagi menerima notifikasi toko.
bot-group-removed-notice = ⚠️ Bot dikeluarkan dari grup "{ $title }", jadi notifikasi pembayaran toko tidak bisa lagi dikirim ke sana. Untuk menyambungkan lagi: tambahkan bot ke grup, lalu ketik /linkgroup di grup itu.
bot-group-not-linked = Grup ini memang belum terhubung.
bot-group-only = Perintah ini hanya bisa dipakai di dalam grup.

## Language
bot-lang-choose = Pilih bahasa:
bot-lang-set = Bahasa diubah ke Bahasa Indonesia.
bot-lang-id = 🇮🇩 Bahasa Indonesia
bot-lang-en = 🇬🇧 English

## Help
bot-help =
    <b>Cara pakai</b>
    🏦 <b>Virtual Account</b> (/va): pilih bank, ketik nama pelanggan dan nominal, lalu konfirmasi. Anda akan mendapat nomor VA dan QR untuk diteruskan ke pelanggan.
    🏪 <b>Kode Alfamart</b> (/alfamart): buat kode bayar; pelanggan membayar di kasir Alfamart dengan kode tersebut.
    📋 <b>Pembayaran terakhir</b> (/pembayaran): status pembayaran yang dibuat.
    🌐 /bahasa: ganti bahasa. /batal: batalkan langkah yang sedang berjalan.
    Nominal boleh ditulis 150000, 150.000, Rp 150.000, 150rb, 1,5jt atau 2 juta.
bot-help-owner =
    <b>Khusus pemilik</b>
    /invite: buat tautan undangan kasir (sekali pakai). /staff: lihat dan hapus kasir.
    /linkgroup di grup toko: kirim notifikasi pembayaran ke grup itu. /unlinkgroup: hentikan.
    💸 /kirimdana: kirim dana dari saldo Palladium ke rekening bank (hanya lewat chat pribadi).

## Leaving a flow
bot-not-understood = Maaf, saya tidak mengerti pesan ini. Ketik /start untuk menu, atau /help untuk bantuan.
bot-not-understood-in-flow = Saya tidak kenal perintah itu. Jawab pertanyaan terakhir di atas, atau ketik /batal untuk berhenti.
bot-cancel-done = Dibatalkan. Tidak ada yang dibuat.
bot-flow-left = ↩️ Pembuatan tagihan tadi dibatalkan. Tidak ada yang dibuat.
bot-cancel-nothing = Tidak ada yang sedang berjalan.
bot-flow-use-buttons = Silakan pilih dengan tombol di atas, atau ketik /batal untuk berhenti.
bot-flow-type-text = Silakan ketik jawabannya, atau /batal untuk berhenti.
bot-flow-button-expired = Tombol ini sudah tidak berlaku.
bot-flow-button-someone-else = Tombol ini untuk orang lain.
bot-flow-earlier-question = Itu balasan untuk pertanyaan sebelumnya, yang sudah dijawab. Balas pesan ini untuk pertanyaan yang sekarang:
bot-flow-ended-idle = Pertanyaan tadi sudah ditutup karena lama tidak dijawab, jadi pesan ini tidak dipakai. Ketik /start untuk mulai lagi.
bot-flow-too-many-tries = Sudah { $count } kali jawabannya belum bisa dipakai, jadi langkah ini dihentikan. Ketik /start untuk mulai lagi.

## Creating a payment: questions
bot-va-ask-bank = Pilih bank untuk Virtual Account:
bot-ask-customer-name = Ketik <b>nama pelanggan</b> (huruf saja, contoh: Siti Aminah):
bot-ask-amount = Ketik <b>nominal</b> (antara { $min } dan { $max }), contoh: 150.000 atau 150rb
bot-va-ask-single-use = Virtual Account ini untuk sekali bayar, atau bisa dipakai berulang?
bot-single-use-yes = Sekali bayar
bot-single-use-no = Bisa berulang
bot-name-empty = Nama pelanggan tidak boleh kosong. Contoh: Siti Aminah
bot-name-too-long = Nama terlalu panjang (maksimal { $max } karakter). Contoh: Siti Aminah
bot-name-bad-characters = Nama hanya boleh berisi huruf, spasi dan tanda . , ' - (tanpa angka atau simbol lain), dan harus ada hurufnya. Contoh: Siti Aminah
bot-name-institution = Bank menolak nama yang memuat "{ $word }". Ketik nama orangnya, contoh: Siti Aminah
bot-amount-unreadable = Nominal "{ $input }" tidak terbaca. Ketik angka rupiah, contoh: 150.000, 150rb atau 1,5jt
bot-amount-not-positive = Nominal harus lebih dari nol. Contoh: 150.000
bot-amount-ambiguous-m = Nominal "{ $input }" bisa berarti { $juta } atau { $miliar }. Ketik { $number }jt untuk juta, atau { $number } miliar.
bot-amount-ambiguous-separator = Nominal "{ $input }" bisa berarti { $smaller } atau { $larger }. Ketik angkanya lengkap, contoh: 1.500.000, atau pakai koma untuk desimal: 1,5jt
bot-amount-sen = Nominal "{ $input }" memakai sen, padahal pembayaran hanya dalam rupiah bulat. Ketik { $below } atau { $above }
bot-amount-sen-one = Nominal "{ $input }" memakai sen, padahal pembayaran hanya dalam rupiah bulat. Ketik { $amount }
bot-amount-too-small = Nominal minimal { $min }. Contoh: 150.000
bot-amount-too-large = Nominal maksimal { $max }. Contoh: 1,5jt
bot-summary-va =
    <b>Periksa dulu:</b>
    Bank: { $bank }
    Nama pelanggan: { $name }
    Nominal: { $amount }
    Jenis: { $singleUse ->
        [yes] sekali bayar
       *[no] bisa berulang
    }
bot-summary-alfamart =
    <b>Periksa dulu:</b>
    Gerai: Alfamart
    Nama pelanggan: { $name }
    Nominal: { $amount }
bot-confirm-button = ✅ Buat sekarang
bot-abandon-button = ✖ Batal

## Gateway trouble
# Only when the gateway clearly turned the request away (rate limited on the first try): nothing was made.
# An update the bot failed to handle (the store refused a write, say): the person is told to try again.
# A message edited after it was sent: only new messages are read.
bot-edit-not-read = Pesan yang diedit tidak dibaca bot. Kirim jawabannya sebagai pesan baru.
bot-update-failed = ⚠️ Maaf, ada gangguan di bot sehingga pesan Anda belum diproses. Coba lagi sebentar lagi; kalau terus terjadi, hubungi operator bot.
bot-update-failed-short = ⚠️ Ada gangguan di bot, tombol ini belum diproses. Coba tekan lagi sebentar lagi.
bot-gateway-unavailable = Layanan pembayaran sedang tidak bisa dihubungi. Belum ada yang dibuat. Silakan coba beberapa saat lagi; pembayaran tidak akan dibuat dua kali.
# After a timeout, a dropped connection or a 5xx the gateway may have made it: never say it did not.
bot-gateway-no-answer = Layanan pembayaran tidak menjawab, jadi belum pasti pembayaran ini sudah dibuat atau belum. "Coba lagi" aman: tidak akan membuat yang kedua.
bot-cancel-maybe-made = Dibatalkan. Kalau tadi sempat dibuat, pembayaran itu tidak tercatat di sini dan akan kedaluwarsa tanpa dibayar.
bot-cancel-recorded = Ditutup. Pembayaran ini sudah tercatat di "Pembayaran terakhir" dan masih bisa dibayar pelanggan.
bot-gateway-bad-key = Kunci API toko ditolak oleh layanan pembayaran. Minta pemilik toko atau operator bot memeriksa PALLAPI_KEY.
bot-gateway-validation = Layanan pembayaran menolak data ini: { $message }
bot-gateway-duplicate = Pembayaran ini ternyata sudah pernah dibuat. Cek "Pembayaran terakhir" sebelum membuat yang baru.
# A 409 after a request of ours whose answer was lost: the gateway may hold it, nothing here recorded it, and
# a retry with the same external_id only meets the same 409.
bot-gateway-duplicate-unrecorded = Jawaban layanan pembayaran untuk pembayaran ini hilang, jadi belum pasti pembayaran ini sudah dibuat. Kalau sudah, pembayaran itu tidak tercatat di sini dan nomornya tidak pernah ditampilkan, jadi tidak bisa dibayar dan akan kedaluwarsa. Yang aman: tekan "Batal", lalu buat pembayaran baru.
bot-gateway-unexpected = Layanan pembayaran memberi jawaban yang tidak dikenali. Belum ada yang disimpan. Coba lagi, atau hubungi operator bot.
# A 2xx that could not be read: the gateway may hold the payment, so never say nothing was made.
bot-gateway-unexpected-maybe-made = Layanan pembayaran menjawab dengan cara yang tidak dikenali, jadi belum pasti pembayaran ini sudah dibuat. Belum ada yang disimpan atau ditampilkan. "Coba lagi" aman: tidak akan membuat yang kedua. Kalau tetap begini, hubungi operator bot.
# The gateway made a payment other than the one confirmed (NOT_AS_ASKED): it is not shown, so no one pays it.
bot-gateway-not-as-asked = ⚠️ Layanan pembayaran membuat pembayaran ini dengan { $field ->
    [amount] nominalnya
    [bank_code] banknya
    [retail_outlet_name] gerainya
    [is_single_use] jenisnya (sekali bayar atau berulang)
   *[other] datanya
} berbeda dari yang Anda konfirmasi. Pembayaran itu tidak ditampilkan dan tidak dicatat, jadi jangan dipakai. Tekan Batal lalu buat lagi, dan beri tahu operator bot.
bot-gateway-invalid-input = Data ini tidak diterima: { $reason }
bot-retry-button = 🔁 Coba lagi

## The payment message (photo caption, HTML, at most 1024 characters)
bot-payment-va-title = <b>Virtual Account { $bank }</b>
bot-payment-alfamart-title = <b>Pembayaran di Alfamart</b>
bot-payment-va-number = Nomor VA:
bot-payment-alfamart-code = Kode bayar:
bot-payment-details =
    Nama pelanggan: { $name }
    Nominal: <b>{ $amount }</b>
    Berlaku sampai: { $expiresAt }
bot-payment-expiry-not-given = tidak disebutkan oleh Palladium
bot-payment-reusable = ♻️ VA berulang: bisa dibayar berkali-kali sampai masa berlakunya habis.
bot-payment-steps-va =
    <b>Cara bayar:</b>
    1. Buka m-banking / ATM { $bank }, pilih Transfer ke Virtual Account.
    2. Masukkan nomor VA di atas.
    3. Periksa nama dan nominal, lalu bayar.
bot-payment-steps-alfamart =
    <b>Cara bayar:</b>
    1. Datang ke kasir Alfamart dan sampaikan ingin membayar "Palladium".
    2. Tunjukkan kode bayar di atas.
    3. Bayar { $amount } dan simpan struknya.
bot-payment-qr-note = QR ini <b>bukan QRIS</b>: tidak bisa dibayar dengan scan di aplikasi bank atau e-wallet. Isinya hanya { $kind ->
        [code] kode bayar di atas, untuk dipindai kasir Alfamart
       *[number] nomor VA di atas
    }.
bot-payment-expired-at-birth = ⚠️ <b>Jangan diteruskan ke pelanggan.</b> Menurut Palladium, pembayaran ini sudah kedaluwarsa sejak { $expiresAt }, jadi tidak bisa dibayar. Coba buat lagi; bila terulang, beri tahu pemilik toko (jam server atau zona waktu Palladium mungkin keliru).
bot-payment-expired-since-earlier-try = ⚠️ <b>Jangan diteruskan ke pelanggan.</b> Pembayaran ini dibuat Palladium pada percobaan sebelum "Coba lagi", dan sudah kedaluwarsa sejak { $expiresAt }, jadi tidak bisa dibayar. Buat yang baru untuk pelanggan.
bot-payment-next-after-expired = Mau buat lagi?
bot-payment-next = Pesan ber-QR di atas bisa diteruskan ke pelanggan. Mau buat lagi?

## Payment list
bot-list-title-own = <b>Pembayaran terakhir Anda</b>
bot-list-title-all = <b>Pembayaran terakhir toko</b>
bot-list-empty = Belum ada pembayaran.
bot-list-only-latest = <i>Hanya { $count } terbaru yang ditampilkan; yang lebih lama ada di dashboard Palladium.</i>
bot-list-transfers-in-private = <i>Kirim dana tidak ditampilkan di grup: lihat di chat pribadi dengan bot.</i>
bot-list-entry = { $status } { $method } · { $amount } · { $name } · { $when }
# When: the payment's making, or its (latest) payment once paid.
bot-list-when-created = dibuat { $time }
bot-list-when-paid = dibayar { $time }
bot-list-when-paid-latest = terakhir dibayar { $time }
bot-status-pending = ⏳ Menunggu
bot-status-paid = ✅ Lunas
bot-status-completed = ✅ Selesai
bot-status-failed = ❌ Gagal
bot-status-expired = ⌛ Kedaluwarsa
bot-status-paid-short = ⚠️ Kurang bayar
bot-status-paid-over = ⚠️ Lebih bayar
# A bill paid in more than one payment (the rest paid later, or paid twice at the till).
bot-list-paid-times = (dibayar { $count }×)
bot-list-amount-short = { $paid } dari { $asked } (kurang { $difference })
bot-list-amount-over = { $paid } dari { $asked } (lebih { $difference })
# A multi-use VA: paid how many times and how much in all (it stays open, so not "paid").
bot-status-reusable = ♻️ Dibayar { $count }×
bot-status-reusable-expired = ⌛ Dibayar { $count }×, kedaluwarsa
bot-list-amount-reusable = tagihan { $amount }, total { $total }
bot-list-amount-reusable-short = tagihan { $amount }, total { $total } (⚠️ terakhir kurang { $difference })
bot-list-amount-reusable-over = tagihan { $amount }, total { $total } (⚠️ terakhir lebih { $difference })

## Sandbox
bot-simulate-button = 🧪 Simulasikan pembayaran
bot-simulate-sent = Pembayaran simulasi dikirim.
bot-simulate-failed = Simulasi gagal, coba lagi.
bot-simulate-expired = Kedaluwarsa sejak { $since }: pelanggan pun tidak bisa membayarnya lagi. Buat pembayaran baru.
bot-payment-barcode-caption = Barcode untuk kasir Alfamart: pindai atau ketik kode <code>{ $code }</code>.

## The "/" menu of commands (Telegram shows these beside each command)
bot-command-start = Menu utama
bot-command-va = Buat Virtual Account (BNI, BCA)
bot-command-alfamart = Buat kode bayar Alfamart
bot-command-payments = Pembayaran terakhir dan statusnya
bot-command-cancel = Batalkan langkah yang sedang berjalan
bot-command-language = Ganti bahasa
bot-command-help = Bantuan
bot-command-disburse = Kirim dana ke rekening bank (pemilik)
bot-command-invite = Undang kasir baru (pemilik)
bot-command-staff = Daftar kasir (pemilik)
bot-command-linkgroup = Kirim notifikasi pembayaran ke grup ini (pemilik)
bot-command-unlinkgroup = Hentikan notifikasi di grup ini (pemilik)
