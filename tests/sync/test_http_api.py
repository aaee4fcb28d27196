"""What the sync client's HTTP layer loads, and when."""

from __future__ import annotations

import ssl
import subprocess
import sys

from core.sync.http_api import tls_verification


def test_a_plain_http_backend_gets_a_context_that_trusts_no_one() -> None:
    context = tls_verification("http://127.0.0.1:8000")
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert context.get_ca_certs() == []  # no bundle loaded: any TLS connection would fail


def test_an_https_backend_is_checked_as_httpx_checks_it() -> None:
    assert tls_verification("HTTPS://stall.example") is True


def test_an_app_reaches_its_first_screen_without_httpx() -> None:
    # Everything an app imports to show its replica; httpx comes with the first request.
    code = (
        "import sys, kiosk.app, kiosk.feed_source, barista_tui.app, core.sync.client, "
        "core.sync.preflight; print('httpx' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
