sandbox-mode-banner = 🧪 Sandbox mode: this payment is simulated, no real money moves.
