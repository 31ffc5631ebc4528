"""Webhook mode and observability: our own aiohttp server instead of python-telegram-bot's.

`service.start_webhook` runs beside the Application: `receiver` (the webhook path, /healthz,
/metrics) writes each update into the database inbox (bot.store.inbox) before answering 200,
`worker` drains the inbox into `Application.process_update` in order per chat, `registration`
and calls setWebhook once per deployment (metrics live in bot.metrics; Bot API round trips are
timed by the shell's transport, bot.telegram.transport).
"""
