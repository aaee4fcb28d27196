"""`GET /order/{store}` over HTTP on a real `espresso serve`: the page, its files, its headers."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture(scope="module")
def server(module_server_factory: ServerFactory) -> BackendServer:
    return module_server_factory()


def _assets(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/order/assets/[^"]+)"', page)


@pytest.mark.parametrize("query", ["?code=whatever", "", "?code=", "?code=%3Cscript%3E"])
def test_a_known_store_gets_the_page_whatever_its_code(server: BackendServer, query: str) -> None:
    response = httpx.get(f"{server.url}/order/booth{query}", headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert '<meta name="viewport"' in response.text
    assert "<script>" not in response.text.lower() and "whatever" not in response.text
    assert response.headers["cache-control"] == "no-cache"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert response.headers["referrer-policy"] == "no-referrer"  # the code stays on the phone
    assert response.headers["content-encoding"] == "gzip"  # httpx asks for it and unpacks it


def test_an_unknown_store_is_404(server: BackendServer) -> None:
    browser = httpx.get(f"{server.url}/order/nowhere?code=abc", headers=HTML)
    assert browser.status_code == 404
    assert browser.headers["content-type"].startswith("text/html")
    assert "scan the QR code" in browser.text

    client = httpx.get(f"{server.url}/order/nowhere?code=abc", headers={"Accept": "application/json"})
    assert client.status_code == 404
    assert client.headers["content-type"] == "application/problem+json"
    assert client.json()["code"] == "not_found"


def test_the_files_are_cached_for_long_and_sent_compressed(server: BackendServer) -> None:
    page = httpx.get(f"{server.url}/order/booth", headers=HTML).text
    assets = _assets(page)
    assert sorted(a.rsplit(".", 1)[1] for a in assets) == ["css", "js"]
    total = len(page.encode())
    for path in assets:
        plain = httpx.get(server.url + path, headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200
        assert plain.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert plain.headers["x-content-type-options"] == "nosniff"
        assert plain.headers["content-type"].startswith(("text/javascript", "text/css"))
        packed = httpx.get(server.url + path, headers={"Accept-Encoding": "gzip"})
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.content == plain.content  # httpx unpacked it
        assert int(packed.headers["content-length"]) < len(plain.content) / 2
        total += len(plain.content)
    assert total < 30_000


def test_an_old_or_unknown_file_name_is_not_cached_for_long(server: BackendServer) -> None:
    old = httpx.get(f"{server.url}/order/assets/order.0123456789ab.js")
    assert old.status_code == 200 and old.headers["cache-control"] == "no-cache"
    assert httpx.get(f"{server.url}/order/assets/config.0123456789ab.toml").status_code == 404
    assert httpx.get(f"{server.url}/order/assets/..%2f..%2fconfig.toml").status_code == 404
