"""Cleaning free text that a screen will show: hostile names come out harmless."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.text import clean_text, first_name


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("[bold red]x[/]", "[bold red]x[/]"),  # markup is text, shown literally
        ("<script>alert(1)</script> & [link=x]", "<script>alert(1)</script> & [link=x]"),
        ("\x1b[31mRed\x1b[0m", "Red"),  # CSI colour
        ("\x1b[2J\x1b[HAda", "Ada"),  # clear screen, cursor home
        ("\x1b[?1049hAda\x1b[?25l", "Ada"),  # private modes
        ("\x1b]52;c;aGFja2Vk\x07Ada", "Ada"),  # OSC 52: write the clipboard, BEL-terminated
        ("\x1b]0;owned\x1b\\Ada", "Ada"),  # OSC window title, ST-terminated
        ("\x1b]8;;https://evil.example\x1b\\Ada\x1b]8;;\x1b\\", "Ada"),  # OSC 8 hyperlink
        ("Ada\x1b]52;c;unterminated", "Ada"),  # an unterminated string swallows the rest
        ("\x1bPq#0;2;0;0;0\x1b\\Ada", "Ada"),  # DCS (sixel)
        ("\x1b_apc\x1b\\\x1b^pm\x1b\\\x1bXsos\x1b\\Ada", "Ada"),
        ("\x1bcAda\x1b7\x1b8", "Ada"),  # RIS, save/restore cursor
        ("\x1b(0Ada", "Ada"),  # charset designation (nF)
        ("\x9b31mAda\x9b0m", "Ada"),  # 8-bit CSI
        ("\x9d52;c;aGFja2Vk\x07Ada", "Ada"),  # 8-bit OSC, BEL-terminated
        ("\x9d0;title\x9cAda", "Ada"),  # 8-bit OSC, 8-bit ST
        ("\x90q#0\x9cAda", "Ada"),  # 8-bit DCS
        ("\x85A\x84d\x8da", "Ada"),  # lone C1 controls
        ("A\x00d\x08a\x7f\r\n\t", "Ada"),  # C0 controls and DEL
        ("\u202eAda\u202c", "Ada"),  # right-to-left override
        ("\u2066A\u2067d\u2068a\u2069\u202a\u202b\u202d", "Ada"),  # isolates and embeddings
        ("\u3000\u00a0 Ada Lovelace\u2003\u2028", "Ada Lovelace"),  # Unicode whitespace at the ends
        ("Ada  \u00a0Lovelace", "Ada  \u00a0Lovelace"),  # inner whitespace is kept
        ("A\ud800da", "Ada"),  # a lone surrogate cannot be stored as UTF-8
        ("Zoë 🧋 王", "Zoë 🧋 王"),
    ],
)
def test_hostile_text_is_cleaned(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_lengths_are_code_points_and_combining_marks_count() -> None:
    assert len(clean_text("☕" * 40)) == 40
    assert len(clean_text("e\u0301")) == 2  # decomposed é: two code points


_FRAGMENTS = st.sampled_from(
    [
        "\x1b",
        "[",
        "]",
        "\x07",
        "\\",
        "\x9b",
        "\x9d",
        "\x9c",
        "\x90",
        "52;c;",
        "31m",
        "\u202e",
        "\u2069",
        " ",
        "\u3000",
        "a",
        "é",
    ]
)
_HOSTILE = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=3)), max_size=20).map("".join)
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@settings(max_examples=300, deadline=None)
@given(_HOSTILE)
def test_nothing_that_drives_a_terminal_survives_cleaning(raw: str) -> None:
    clean = clean_text(raw)
    assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in clean)  # ESC, C1, BEL…
    assert not _BIDI & set(clean)
    assert clean == clean.strip()
    assert clean_text(clean) == clean


def test_a_public_screen_shows_the_first_name() -> None:
    assert first_name("Ada Lovelace") == "Ada"
    assert first_name("[b]Ada[/b] L") == "[b]Ada[/b]"
    assert first_name("Ada") == "Ada"
