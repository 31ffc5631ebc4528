"""Sleepsigns: a Telegram bot for parents who wonder about baby sleep smiles and twitches."""
