"""The QR matrix and its half-block drawing, without a screen."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from kiosk.qr import drawn_size, half_block_lines, pixel_grid, qr_matrix
from tests.kiosk.screen_reading import DARK_LOWER, DARK_UPPER, decode_qr

URL = "http://127.0.0.1:8000/order/booth?code=abcdefghijklmnop"


def lines_to_image(lines: list[str], zoom: int = 4) -> Image.Image:
    image = Image.new("L", (len(lines[0]), 2 * len(lines)), 255)
    for row, line in enumerate(lines):
        for column, char in enumerate(line):
            image.putpixel((column, 2 * row), 0 if char in DARK_UPPER else 255)
            image.putpixel((column, 2 * row + 1), 0 if char in DARK_LOWER else 255)
    return image.resize((image.width * zoom, image.height * zoom), Image.Resampling.NEAREST)


def test_an_order_url_takes_a_small_symbol_with_free_error_correction() -> None:
    matrix = qr_matrix(URL)
    assert (matrix.version, matrix.size) == (4, 33)
    assert matrix.error_correction == "M"  # M still fits version 4; L would waste the room


def test_only_half_blocks_full_blocks_and_spaces_are_drawn() -> None:
    lines = half_block_lines(qr_matrix(URL), scale=1, quiet=4)
    assert set("".join(lines)) <= {" ", "▀", "▄", "█"}


@pytest.mark.parametrize(("scale", "quiet"), [(1, 4), (1, 2), (2, 4), (3, 3)])
def test_the_drawing_has_the_quiet_zone_and_size_it_promises(scale: int, quiet: int) -> None:
    matrix = qr_matrix(URL)
    lines = half_block_lines(matrix, scale, quiet)
    columns, rows = drawn_size(matrix.size, scale, quiet)
    assert (len(lines[0]), len(lines)) == (columns, rows)
    margin = quiet * scale
    assert all(line[:margin].strip() == "" and line[-margin:].strip() == "" for line in lines)
    assert "".join(lines[: margin // 2]).strip() == ""
    assert decode_qr(lines_to_image(lines)) == [URL]


def test_two_module_rows_per_character_row() -> None:
    matrix = qr_matrix(URL)
    pixels = pixel_grid(matrix, 1, 0)
    lines = half_block_lines(matrix, 1, 0)
    for row, line in enumerate(lines):
        for column, char in enumerate(line):
            assert (char in DARK_UPPER) == pixels[2 * row][column]
            lower = pixels[2 * row + 1][column] if 2 * row + 1 < len(pixels) else False
            assert (char in DARK_LOWER) == lower


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=120))
def test_any_text_round_trips(text: str) -> None:
    assert decode_qr(lines_to_image(half_block_lines(qr_matrix(text), 1, 4))) == [text]
