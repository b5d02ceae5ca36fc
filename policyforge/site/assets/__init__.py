"""Static assets (stylesheet) copied into every built site."""
