"""Static assets (stylesheet) copied into every built site."""

__all__: list[str] = []
