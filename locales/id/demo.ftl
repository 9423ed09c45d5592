demo-help-pay = pay [ref]  – berperan sebagai pelanggan: bayar tagihan terakhir yang belum lunas, atau yang ber-Ref itu, atau yang nomor VA atau kode Alfamart-nya diketik (lewat sandbox)
demo-help-transfer = bank [gagal] [ref]  – berperan sebagai bank: selesaikan transfer terakhir yang masih diproses, atau gagalkan dengan "gagal" (lewat sandbox)
demo-pay-nothing = Tidak ada tagihan yang menunggu pembayaran. Buat Virtual Account atau kode Alfamart dulu.
demo-pay-sent = 💸 Pelanggan { $customer } membayar { $amount } untuk { $externalId } di sandbox. Notifikasi pembayaran segera datang…
demo-pay-unknown-ref = Tidak ada tagihan dengan referensi, nomor VA atau kode { $ref }. Ketik pay saja untuk membayar tagihan terakhir, atau salin nomor VA atau kode Alfamart-nya dari pesan tagihan.
demo-pay-not-a-bill = { $externalId } adalah transfer keluar, bukan tagihan. Untuk berperan sebagai bank, ketik "bank".
demo-pay-refused = Sandbox menolak pembayaran: { $reason }
demo-transfer-nothing = Tidak ada transfer yang sedang diproses bank. Kirim dana dulu dengan /kirimdana.
demo-transfer-not-one = { $externalId } bukan transfer keluar. Transfer dibuat dengan /kirimdana; tagihan dibayar dengan "pay".
demo-transfer-completed = 🏦 Bank menyelesaikan transfer { $amount } ke { $holder } ({ $externalId }) di sandbox. Notifikasi "transfer terkirim" segera datang…
demo-transfer-failed = 🏦 Bank menolak transfer { $amount } ke { $holder } ({ $externalId }) di sandbox: { $reason } Notifikasi "transfer gagal" segera datang…
demo-transfer-refused = Sandbox tidak bisa memproses transfer ini: { $reason }
demo-refused-already-paid = tagihan sekali bayar ini sudah dibayar.
demo-refused-expired = masa berlakunya sudah habis.
demo-refused-already-settled = bank sudah memberi hasil untuk transfer ini.
demo-welcome = Demo offline pallabot: Anda adalah pemilik toko. Ketik /start untuk mulai, "pay" atau "bank" untuk berperan sebagai pelanggan atau bank, "?" untuk bantuan, "quit" untuk keluar.
# The terminal chat's own words, around the bot's messages.
demo-terminal-greeting = Anda mengobrol dengan @{ $bot } sebagai { $user } (user id { $userId }). Ketik "?" untuk bantuan.
demo-terminal-help =
    Ketik pesan lalu tekan Enter untuk mengirimnya.
    Angka menekan tombol bernomor itu di pesan terakhir yang bertombol; M.N menekan tombol N di pesan #M.
    Baris yang bukan nomor tombol (misalnya nominal 150.000) dikirim sebagai teks.
    Awali baris dengan \ untuk mengirim angka sebagai teks. quit atau exit (atau Ctrl-D) untuk keluar.
demo-terminal-edited = diubah
demo-terminal-deleted = { $bot } menghapus pesan #{ $messageId }
demo-terminal-in-chat = di { $chat }
demo-terminal-cannot-press = tombol "{ $button }" tidak bisa ditekan di terminal ini
demo-port-taken = (Port { $wanted } sudah dipakai program lain, jadi demo memakai port { $port }.)
