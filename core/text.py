"""Cleaning of free text that a screen will show (names, reasons, barista names).

Every such text goes through `clean_text` before it is stored, so no terminal escape
sequence, control character or bidirectional override ever reaches a screen.
"""

from __future__ import annotations

import re
import unicodedata

# 7-bit escape sequences: CSI (ESC [), OSC (ESC ]), DCS/SOS/PM/APC (ESC P, X, ^, _) with
# their string terminators, and the short two-byte forms (ESC followed by one char).
_ESCAPE_7BIT = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?            # CSI ... final byte
    | \x1b[\]PX^_].*?(?:\x07|\x1b\\|$)  # OSC / DCS / SOS / PM / APC ... BEL or ST
    | \x1b[ -/]*[0-~]?                  # nF / Fp / Fe / Fs two-byte forms
    """,
    re.VERBOSE | re.DOTALL,
)
# 8-bit C1 forms: CSI (0x9b), and OSC/DCS/SOS/PM/APC (0x9d, 0x90, 0x98, 0x9e, 0x9f).
_ESCAPE_8BIT = re.compile(
    r"\x9b[0-?]*[ -/]*[@-~]?|[\x9d\x90\x98\x9e\x9f].*?(?:\x07|\x9c|\x1b\\|$)",
    re.DOTALL,
)
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Cc: control characters. Cs: lone surrogates, which JSON can carry but UTF-8 cannot store.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cs"})


def clean_text(text: str) -> str:
    """Remove escape sequences, control characters, lone surrogates and bidi override and
    isolate characters; trim Unicode whitespace. Markup-like text (`[bold]`) is kept as is."""
    text = _ESCAPE_7BIT.sub("", text)
    text = _ESCAPE_8BIT.sub("", text)
    kept = (
        ch for ch in text if unicodedata.category(ch) not in _DROPPED_CATEGORIES and ch not in _BIDI_CONTROLS
    )
    return "".join(kept).strip()


def first_name(name: str) -> str:
    """The part of a customer name a public screen shows."""
    parts = name.split()
    return parts[0] if parts else name
