"""Actions on a whole chat: forget everything about it, or follow it to a new id."""

from __future__ import annotations

from bot.store import Store


async def forget_chat(store: Store, chat_id: int) -> int:
    """/forget (or the bot lost a group or channel): delete everything stored about the chat;
    returns how many rows went or were emptied."""
    async with store.transaction() as tx:
        return (
            await tx.history.forget(chat_id)
            + await tx.subscriptions.forget(chat_id)  # with their notes and any blocked state
            + await tx.conversations.clear(chat_id)
            + await tx.check_ins.forget(chat_id)
            + await tx.inbox.forget_chat(chat_id)
            + await tx.video_charts.forget(chat_id)  # the charts a parent chose to keep
            + await tx.languages.forget(chat_id)
        )


async def move_chat(store: Store, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: everything stored follows the new chat id."""
    async with store.transaction() as tx:
        await tx.subscriptions.move_chat(old_chat_id, new_chat_id)
        await tx.conversations.move_chat(old_chat_id, new_chat_id)
        await tx.languages.move_chat(old_chat_id, new_chat_id)
