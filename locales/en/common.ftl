sandbox-mode-banner = 🧪 Sandbox mode: everything here is simulated, no real money moves.
