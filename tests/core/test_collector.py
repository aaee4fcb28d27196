"""The collector is paused around a terminal app's start-up and back on afterwards."""

from __future__ import annotations

import gc

from core.collector import collector_paused, resume_collector


def test_paused_then_resumed_by_the_app() -> None:
    with collector_paused():
        assert not gc.isenabled()
        resume_collector()  # the app, after its first screen
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    assert gc.isenabled()
    gc.unfreeze()  # give this test process its objects back


def test_on_again_if_the_app_never_got_to_its_first_screen() -> None:
    with collector_paused():
        pass
    assert gc.isenabled()


def test_resume_leaves_a_running_collector_alone() -> None:
    assert gc.isenabled()
    before = gc.get_freeze_count()
    resume_collector()
    assert gc.get_freeze_count() == before
