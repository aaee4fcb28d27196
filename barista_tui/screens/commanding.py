"""Running barista commands from a screen: each in its own worker, reporting back with a
`CommandFinished` message that the screen turns into plain words."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from barista_tui.messages import CommandFinished
from barista_tui.sending import send
from barista_tui.wording import Request, describe
from core.sync.feed import StoreFeed

SAID_TIMEOUT_S = 4  # a quick confirmation
REFUSED_TIMEOUT_S = 10  # a refusal the barista must take in


def start_command(screen: Screen[Any], feed: StoreFeed, request: Request) -> Worker[None]:
    """Send `request` in a worker on `screen`; the screen hears `CommandFinished`."""

    async def run() -> None:
        result = await send(feed, request)
        screen.post_message(CommandFinished(request, result))

    # Not exclusive: every key press is its own command and none may replace another.
    return screen.run_worker(run(), name=f"command:{request.kind}", group="commands", exit_on_error=False)


def tell_finished(screen: Screen[Any], feed: StoreFeed, message: CommandFinished) -> None:
    request = message.request
    current = feed.projection.order(request.order_id) if request.order_id else None
    said = describe(request, message.result, current)
    timeout = SAID_TIMEOUT_S if said.severity == "information" else REFUSED_TIMEOUT_S
    screen.notify(said.text, severity=said.severity, timeout=timeout, markup=False)  # type: ignore[arg-type]


def tell_crashed(screen: Screen[Any], event: Worker.StateChanged) -> None:
    """A command that raised (a bug, not a refusal): say so rather than die."""
    if event.worker.group == "commands" and event.state is WorkerState.ERROR:
        error = event.worker.error
        screen.notify(
            f"That did not work: {error}", severity="error", timeout=REFUSED_TIMEOUT_S, markup=False
        )
