"""Sending a barista's request through the feed (the feed handles online and offline)."""

from __future__ import annotations

from barista_tui.wording import Kind, Request
from core.sync.feed import CommandResult, StoreFeed


async def send(feed: StoreFeed, request: Request) -> CommandResult:
    order_id = request.order_id or ""
    match request.kind:
        case Kind.CLAIM:
            return await feed.claim(order_id)
        case Kind.UNCLAIM:
            return await feed.unclaim(order_id)
        case Kind.COMPLETE:
            return await feed.complete(order_id)
        case Kind.CANCEL:
            return await feed.cancel(order_id, request.reason)
        case Kind.WALK_UP:
            return await feed.walk_up(request.customer_name, request.item, dict(request.options))
        case Kind.OPEN:
            return await feed.open_store()
        case Kind.CLOSE:
            return await feed.close_store()
        case Kind.ITEM_STOCK:
            return await feed.set_item_stock(request.item, request.available)
        case Kind.CHOICE_STOCK:
            return await feed.set_choice_stock(request.option, request.choice, request.available)
    raise AssertionError(request.kind)
