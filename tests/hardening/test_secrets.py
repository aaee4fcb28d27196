"""Secrets: compared in constant time, never written to a log."""

from __future__ import annotations

import ast
import contextlib
import hmac
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend.auth import Authenticator, OrderTokens, Role
from core.codes import code_for, match_window
from core.config import AuthConfig, StoreConfig
from tests.support.api import current_code, place_order
from tests.support.fixtures import ServerFactory
from tests.support.server import REPO_ROOT

AUTH = AuthConfig(admin_token="admin-secret", barista_token="barista-secret", display_token="display-secret")


@pytest.fixture
def comparisons(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, Any]]:
    """Every call of hmac.compare_digest while the test runs."""
    seen: list[tuple[Any, Any]] = []
    real: Callable[[Any, Any], bool] = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    return seen


def test_staff_tokens_are_compared_in_constant_time_with_no_early_exit(
    comparisons: list[tuple[Any, Any]],
) -> None:
    auth = Authenticator(AUTH, OrderTokens(b"k" * 32))
    credential = auth.check("admin-secret")  # the first one: a loop that stops here leaks
    assert credential is not None and credential.role is Role.ADMIN
    assert len(comparisons) == 3  # every staff token was compared, not only the first
    comparisons.clear()
    assert auth.check("display-secreT") is None
    assert len(comparisons) == 3 and all(b"display-secreT" in pair for pair in comparisons)


def test_order_tokens_and_codes_are_compared_in_constant_time(comparisons: list[tuple[Any, Any]]) -> None:
    tokens = OrderTokens(b"k" * 32)
    token = tokens.issue("order-1")
    assert tokens.verify(token) == "order-1"
    assert tokens.verify(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert len(comparisons) == 2
    comparisons.clear()
    config = StoreConfig()
    window = 1_000_000
    from datetime import UTC, datetime

    now = datetime.fromtimestamp(window * config.code_rotation_s + 100, UTC)
    assert match_window(b"s", "booth", config, code_for(b"s", "booth", window), now) == window
    assert match_window(b"s", "booth", config, "a" * 16, now) is None
    assert comparisons, "codes are compared with hmac.compare_digest"


SECRET_NAMES = ("token", "secret", "mac", "code", "digest", "raw")


def _plain_comparisons_of_secrets(path: Path) -> list[str]:
    """`==` / `!=` where one side is named like a secret: a timing leak waiting to happen."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare) and any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            sides = [side for side in (node.left, *node.comparators) if not _is_len(side)]
            names = [ast.unparse(side) for side in sides]
            if len(sides) > 1 and any(word in n.lower() for n in names for word in SECRET_NAMES):
                found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    return found


def _is_len(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len"


def test_no_secret_is_compared_with_equals() -> None:
    modules = [REPO_ROOT / "backend" / "auth.py", REPO_ROOT / "core" / "codes.py"]
    assert [hit for module in modules for hit in _plain_comparisons_of_secrets(module)] == []


def _raw_request(url: str, payload: bytes) -> None:
    """Bytes straight to the server's socket, then hang up: a broken or hostile client."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=2) as sock:
        sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
        with contextlib.suppress(OSError):
            sock.recv(4096)


def test_tokens_never_reach_the_logs(server_factory: ServerFactory) -> None:
    server = server_factory()
    order, order_token = place_order(server, "Loggable Person")
    code = current_code(server)
    secrets = {
        "admin": server.admin_token,
        "barista": server.barista_token,
        "display": server.display_token,
        "order token": order_token,
        "code": code,
        "wrong token": "typo-of-the-admin-token",
        "customer name": "Loggable Person",
    }
    base = server.url
    for token in (*list(secrets.values())[:5], secrets["wrong token"]):
        bearer = {"Authorization": f"Bearer {token}"}
        httpx.get(f"{base}/api/v1/orders/{order['id']}", headers=bearer)
        httpx.post(f"{base}/api/v1/stores/booth/walkups", content=b"{", headers=bearer)
        httpx.get(f"{base}/api/v1/stores/booth/orders", params={"access_token": token})
        httpx.get(f"{base}/api/v1/orders/{token}", headers=bearer)  # a token where an id goes
        httpx.get(f"{base}/nowhere/{token}")
        for stream in (f"/api/v1/orders/{order['id']}/stream", "/api/v1/stores/booth/events/stream"):
            with httpx.stream("GET", base + stream, params={"access_token": token}, timeout=5) as response:
                response.close()  # the client leaves at once
        _raw_request(base, f"GET /?access_token={token} HTTP/1.1\r\nHost: x\r\nBroken\r\n\r\n".encode())
        _raw_request(
            base, f"POST /api/v1/stores/booth/open HTTP/1.1\r\nAuthorization: Bearer {token}\r\n".encode()
        )
        _raw_request(
            base,
            b"POST /api/v1/stores/booth/walkups HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {token}\r\nContent-Length: 500\r\n\r\n".encode()
            + b'{"customer_name": "cut off',
        )
    httpx.post(f"{base}/api/v1/stores/booth/orders", json={"code": code, "customer_name": "Loggable Person"})
    assert server.stop() == 0  # a clean stop logs its shutdown too
    log = server.log()
    assert "serving on" in log  # the log was captured
    leaked = {what for what, secret in secrets.items() if secret in log}
    assert leaked == set(), log
