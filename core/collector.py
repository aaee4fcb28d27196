"""The cyclic garbage collector while a terminal app starts.

Start-up makes a few hundred thousand objects that live as long as the app: modules,
classes, pydantic schemas, the replica's orders, the widget tree. The collector's full
collections walk all of them, again and again: two during start-up (~60 ms of CPU), and
later one now and then in the middle of a frame (the barista's p99 of 50 to 90 ms for an event).
So `espresso kiosk|barista` pauses the collector before it imports the app, and the app,
once its first screen is out, freezes what exists (`gc.freeze`: out of the collector's
sight for good) and turns it back on; from then on it walks only what was made since.
The price: cyclic garbage made during start-up (under 1 MB) is never freed.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Around a terminal app's imports and run (the command does this). The app resumes the
    collector after its first screen; if it never got there, it is on again on the way out."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def resume_collector() -> None:
    """After the app's first screen: freeze what start-up made, then collect as usual.
    Nothing to do if the collector was not paused (tests, an app run from elsewhere)."""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()
