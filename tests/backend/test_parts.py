"""The backend's small parts on their own: stream fan-out, tokens, the rate limit, resume points."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from backend.auth import Authenticator, OrderTokens, Role
from backend.ratelimit import RateLimiter
from backend.sse import MAX_BACKLOG, Broadcaster, resume_cursor
from core.config import AuthConfig
from core.events import Event, make_event
from tests.support.server import REPO_ROOT


def _event(seq: int, order_id: str | None = None) -> Event:
    event = make_event(
        "OrderClaimed" if order_id else "StoreOpened",
        store="booth",
        time=datetime.now(UTC),
        actor="t",
        origin="t",
        order_id=order_id,
        data=None,
    )
    return event.with_seq(seq)


async def test_a_slow_stream_is_dropped_without_holding_up_the_others() -> None:
    hub = Broadcaster()
    slow, fast = hub.subscribe(), hub.subscribe()
    one_order = hub.subscribe("order-1")
    for seq in range(1, MAX_BACKLOG + 2):
        hub.publish([_event(seq)])
        while fast.backlog:  # the fast client keeps up
            fast.backlog.popleft()
    assert slow.closed and not fast.closed
    assert len(slow.backlog) == MAX_BACKLOG  # bounded: nothing more was queued for it
    assert not one_order.backlog  # store events do not go to order streams
    hub.publish([_event(MAX_BACKLOG + 2, "order-1"), _event(MAX_BACKLOG + 3, "order-2")])
    assert [seq for seq, _ in one_order.backlog] == [MAX_BACKLOG + 2]
    hub.unsubscribe(slow)
    assert hub.client_count == 2
    await asyncio.sleep(0)


def test_order_tokens_name_one_order_and_cannot_be_forged() -> None:
    tokens = OrderTokens(b"k" * 32)
    token = tokens.issue("order-1")
    assert tokens.verify(token) == "order-1"
    assert tokens.verify(token.replace("order-1", "order-2")) is None
    assert tokens.verify(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert tokens.verify("garbage") is None
    assert OrderTokens(b"x" * 32).verify(token) is None  # another database's secret
    auth = Authenticator(AuthConfig(admin_token="a", barista_token="b", display_token="d"), tokens)
    barista = auth.check("b")
    assert barista is not None and barista.role is Role.BARISTA
    customer = auth.check(token)
    assert customer is not None and customer.role is None and customer.order_id == "order-1"
    assert auth.check("nope") is None


def test_the_rate_limit_counts_per_address() -> None:
    limiter = RateLimiter(limit=2, window_s=60)
    assert limiter.allow("a") and limiter.allow("a")
    assert not limiter.allow("a")
    assert limiter.allow("b")
    assert limiter.retry_after("a") >= 1


@pytest.mark.parametrize(
    ("after", "last_event_id", "cursor"),
    [(0, None, 0), (5, None, 5), (5, "9", 9), (5, " 9 ", 9), (5, "nine", 5), (5, "-3", 5)],
)
def test_last_event_id_wins_over_after(after: int, last_event_id: str | None, cursor: int) -> None:
    assert resume_cursor(after, last_event_id) == cursor


def test_python_dash_m_backend_is_espresso_serve() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "backend", "--help"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "--database" in result.stdout and "--port" in result.stdout
