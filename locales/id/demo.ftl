demo-help-pay = pay [external_id]  – berperan sebagai pelanggan: bayar tagihan terakhir yang belum lunas (lewat sandbox)
demo-pay-nothing = Tidak ada tagihan yang menunggu pembayaran. Buat Virtual Account atau kode Alfamart dulu.
demo-pay-sent = 💸 Pelanggan membayar { $externalId } di sandbox. Notifikasi "lunas" segera datang…
demo-pay-refused = Sandbox menolak pembayaran: { $reason }
demo-welcome = Demo offline pallabot: Anda adalah pemilik toko. Ketik /start untuk mulai, "pay" untuk berperan sebagai pelanggan, "?" untuk bantuan, "quit" untuk keluar.
