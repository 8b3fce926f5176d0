#!/usr/bin/env python3
"""The baseline bot for Benchmarks/telegram-load: python-telegram-bot's echo bot, as its users run it.

It answers every text message (commands included) with the same text, through a Telegram Bot API at
TELEGRAM_API_URL (default https://api.telegram.org) with the token in TELEGRAM_BOT_TOKEN. Everything
else is python-telegram-bot's default: `run_polling()` with its default poll timeout and `allowed_updates`,
`concurrent_updates` off (updates are handled one after another), the default HTTPX connection pools.
"""

import logging
import os

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(update.message.text)


def main() -> None:
    logging.basicConfig(format="%(asctime)s %(name)s %(levelname)s %(message)s", level=logging.WARNING)
    api = os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/")
    token = os.environ["TELEGRAM_BOT_TOKEN"]
    # base_url is the prefix the token is appended to: requests go to {api}/bot{token}/{method}.
    application = ApplicationBuilder().token(token).base_url(f"{api}/bot").build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling()


if __name__ == "__main__":
    main()
