"""What the code panel shows, from the store's state, the link and the backend's answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.sync.feed import CodeInfo
from kiosk.panel_state import PanelMode, countdown_fraction, panel_state

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
CODE = CodeInfo("c", "http://x/order/booth?code=c", NOW + timedelta(seconds=60), remaining=3, rotation_s=300)


def mode(**state: object) -> PanelMode:
    given: dict[str, object] = {"is_open": True, "online": True, "code": CODE, "queue_full": False}
    return panel_state(**{**given, **state}).mode  # type: ignore[arg-type]


def test_the_code_when_open_online_and_given_one() -> None:
    assert mode() is PanelMode.CODE


def test_closed_wins_over_everything() -> None:
    assert mode(is_open=False, online=False, code=None) is PanelMode.CLOSED


def test_offline_or_no_code_or_full_queue_means_the_counter() -> None:
    assert mode(online=False) is PanelMode.COUNTER  # even with a code fetched before
    assert mode(code=None) is PanelMode.COUNTER
    assert mode(queue_full=True) is PanelMode.COUNTER


def test_waiting_while_the_first_answer_is_on_its_way() -> None:
    assert mode(code=None, fetched=False) is PanelMode.WAITING
    assert mode(online=False, connecting=True, code=None) is PanelMode.WAITING
    assert mode(online=False, connecting=True) is PanelMode.CODE  # the backend answered already


def test_a_used_up_code_is_not_shown() -> None:
    used = CodeInfo("c", "u", CODE.expires_at, remaining=0)
    assert mode(code=used) is PanelMode.USED_UP


def test_the_countdown_is_the_share_of_the_window_left() -> None:
    assert countdown_fraction(CODE, NOW) == 0.2
    assert countdown_fraction(CODE, NOW + timedelta(seconds=90)) == 0.0
