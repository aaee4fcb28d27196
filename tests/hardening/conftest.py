"""Hardening tests run real `espresso serve` processes (fixtures: tests/support/fixtures.py);
the phone page's tests borrow the browser fixtures of tests/phone."""

from tests.phone.conftest import browser, page

__all__ = ["browser", "page"]
