"""Hostile text: what a prankster types as a name, and what must come out of it.

Markup-like text (Rich/Textual `[...]`, HTML `<...>`) is kept and shown literally; terminal
escape sequences, control characters and bidirectional overrides are removed.
"""

from __future__ import annotations

# (what is sent, what is stored and shown)
HOSTILE_NAMES: list[tuple[str, str]] = [
    ("[bold red]x[/]", "[bold red]x[/]"),
    ("[link=https://evil]x[/link]", "[link=https://evil]x[/link]"),
    ("Eve\x1b]52;c;SGVsbG8=\x07", "Eve"),  # OSC 52: would write the terminal's clipboard
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
    ("Red\x9b31m\u202eevil", "Redevil"),  # 8-bit CSI, right-to-left override
]

# Headers cannot carry ESC or BEL (the HTTP parser refuses them); the 8-bit forms get through.
HOSTILE_HEADER_NAMES: list[tuple[bytes, str]] = [
    (b"[bold red]x[/]", "[bold red]x[/]"),
    (b"[link=https://evil]x[/link]", "[link=https://evil]x[/link]"),
    (b"Eve\x9d52;c;SGVsbG8=\x9c", "Eve"),  # OSC 52 in its 8-bit form
    (b"<script>alert(1)</script>", "<script>alert(1)</script>"),
    (b"<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
]

# Nothing that drives a terminal may be stored, whatever the way in (checked in every string
# of every event, after JSON decoding).
FORBIDDEN_CHARACTERS = frozenset(
    [chr(c) for c in range(0x20)]  # C0
    + [chr(0x7F)]
    + [chr(c) for c in range(0x80, 0xA0)]  # C1
    + list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")  # bidi overrides, isolates
)
