sandbox-mode-banner = 🧪 Mode sandbox: pembayaran ini simulasi, tidak ada uang sungguhan.
