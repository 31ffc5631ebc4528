"""The Telegram shell: builds the Application and translates updates into core calls."""
