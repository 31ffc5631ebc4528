"""One module per feature; each handler is a few lines of translation between Telegram and core."""
