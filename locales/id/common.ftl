sandbox-mode-banner = 🧪 Mode sandbox: semua transaksi di sini simulasi, tidak ada uang sungguhan.
