"""Browser fixtures: Debian's chromium driven by Playwright, one browser per test module and
a fresh context (empty storage, a 360x640 touch screen) per test.

Every test fails if the page threw an uncaught error or opened a dialog (an `alert` would
mean injected markup ran).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_SCREEN = {"width": 360, "height": 640}

# The backend answers within milliseconds; a generous ceiling only matters when it fails.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Browser]:
    # launch() gives the browser a new, empty user-data-dir of its own.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE_SCREEN, has_touch=True, is_mobile=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", on_dialog)
    try:
        yield page
    finally:
        context.close()
    assert errors == [], f"the page threw: {errors}"
    assert dialogs == [], f"the page opened dialogs: {dialogs}"
