"""The code panel's plan: the biggest code that fits beside a usable board, on any screen."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.code_layout import MIN_BOARD_WIDTH, TEXT_ROWS, plan_code
from kiosk.qr import qr_matrix

URL = "http://127.0.0.1:8000/order/booth?code=abcdefghijklmnop"
MODULES = qr_matrix(URL).size


def test_small_screen_one_column_a_module_and_the_url_on_two_lines() -> None:
    plan = plan_code(80, 24, MODULES, len(URL))
    assert (plan.scale, plan.quiet, plan.url_rows) == (1, 3, 2)
    assert plan.code_height + plan.url_rows + TEXT_ROWS <= 24


def test_big_screen_three_columns_a_module_and_the_full_quiet_zone() -> None:
    plan = plan_code(240, 67, MODULES, len(URL))
    assert (plan.scale, plan.quiet, plan.url_rows) == (3, 4, 1)


def test_no_room_for_the_url_drops_the_url_not_the_code() -> None:
    long_url = "https://espresso.conference-venue.example.org/order/booth-hall-b?code=abcdefghijklmnop"
    plan = plan_code(80, 24, qr_matrix(long_url).size, len(long_url))
    assert plan.url_rows == 0
    assert plan.quiet >= 2 and plan.code_height + TEXT_ROWS <= 24


@settings(deadline=None)  # making QR matrices is slow on a busy machine
@given(st.integers(80, 240), st.integers(24, 67), st.integers(40, 78))
def test_every_screen_from_80x24_fits_code_text_and_board(width: int, height: int, url_length: int) -> None:
    modules = qr_matrix("h" * url_length).size
    plan = plan_code(width, height, modules, url_length)
    assert plan.quiet >= 2
    assert plan.panel_width + MIN_BOARD_WIDTH <= width
    assert plan.code_height + plan.url_rows + TEXT_ROWS <= height


@settings(deadline=None)
@given(st.integers(80, 239), st.integers(24, 66))
def test_a_bigger_screen_never_draws_a_smaller_code(width: int, height: int) -> None:
    smaller = plan_code(width, height, MODULES, len(URL))
    bigger = plan_code(width + 1, height + 1, MODULES, len(URL))
    assert bigger.scale >= smaller.scale
