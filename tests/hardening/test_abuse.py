"""Abuse: guessing codes, spending a code past its budget, hoarding orders, and bodies that
lie about their size. What tests/backend already proves (the rules one at a time, the
413 on Content-Length and on chunked bodies) is not repeated; this adds the attacker's view:
guessing, racing, and talking raw HTTP."""

from __future__ import annotations

import concurrent.futures
import json
import re
import socket
from typing import Any

import httpx
import pytest

from tests.support.api import current_code, start_order
from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer

CODE_SHAPE = re.compile(r"[a-z2-7]{16}")  # base32: 16 characters are 80 bits


def _start(server: BackendServer, code: str, name: str, **extra: Any) -> httpx.Response:
    body = {"code": code, "customer_name": name, **extra}
    return httpx.post(f"{server.url}/api/v1/stores/booth/orders", json=body, timeout=30)


def _all_at_once(count: int, attempt: Any) -> list[httpx.Response]:
    """`count` requests released together (threads wait on a barrier, then send)."""
    import threading

    barrier = threading.Barrier(count)

    def run(i: int) -> httpx.Response:
        barrier.wait()
        return attempt(i)  # type: ignore[no-any-return]

    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def _codes(responses: list[httpx.Response]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for response in responses:
        key = "created" if response.status_code == 201 else response.json()["code"]
        counts[key] = counts.get(key, 0) + 1
    return counts


def _event_count(server: BackendServer) -> int:
    page = httpx.get(f"{server.url}/api/v1/stores/booth/events", headers=server.headers("display"))
    last: int = page.json()["last_seq"]
    return last


def _other(code: str) -> str:
    """A code of the right shape that is not this one."""
    return code[:-1] + ("a" if code[-1] != "a" else "b")


def test_codes_cannot_be_guessed_and_guessing_runs_into_the_rate_limit(server_factory: ServerFactory) -> None:
    server = server_factory(server={"order_starts_per_minute": 5}, stores={"booth": {}, "cart": {}})
    code = current_code(server)
    assert CODE_SHAPE.fullmatch(code), code
    assert code != current_code(server, "cart")  # each store has its own
    # Another store's code, or one character off, is refused; each guess costs an attempt.
    assert _start(server, current_code(server, "cart"), "Guess").json()["code"] == "invalid_code"
    for guess in range(4):
        refused = _start(server, _other(code) if guess % 2 else code.upper()[::-1], f"Guess {guess}")
        assert (refused.status_code, refused.json()["code"]) == (403, "invalid_code")
    # Five attempts a minute: now even the right code is refused, with a time to come back.
    limited = _start(server, code, "Real")
    assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")
    assert int(limited.headers["Retry-After"]) >= 1
    remaining = httpx.get(f"{server.url}/api/v1/stores/booth/code", headers=server.headers("display"))
    assert remaining.json()["remaining"] == 10  # no refused start used up the code


def test_a_code_starts_exactly_its_budget_even_when_everyone_scans_at_once(
    server_factory: ServerFactory,
) -> None:
    server = server_factory(store={"drinks_per_code": 5, "max_queue": 1000})
    code = current_code(server)
    answers = _all_at_once(40, lambda i: _start(server, code, f"Rush {i}"))
    assert _codes(answers) == {"created": 5, "code_exhausted": 35}
    info = httpx.get(f"{server.url}/api/v1/stores/booth/code", headers=server.headers("display")).json()
    assert info["remaining"] == 0
    store = httpx.get(f"{server.url}/api/v1/stores/booth").json()
    assert store["queue"]["started"] == 5


def test_one_customer_id_holds_only_its_open_orders_even_at_once(server_factory: ServerFactory) -> None:
    server = server_factory(store={"max_open_orders_per_customer": 2, "drinks_per_code": 1000})
    code = current_code(server)
    answers = _all_at_once(20, lambda i: _start(server, code, f"Hoarder {i}", customer_id="phone-1"))
    assert _codes(answers) == {"created": 2, "order_limit": 18}
    # Another phone is not affected; once an order ends, the first phone may start another.
    assert _start(server, code, "Neighbour", customer_id="phone-2").status_code == 201
    first = next(a.json() for a in answers if a.status_code == 201)
    customer = {"Authorization": f"Bearer {first['order_token']}"}
    httpx.post(f"{server.url}/api/v1/orders/{first['order']['id']}/cancel", headers=customer)
    assert _start(server, code, "Hoarder again", customer_id="phone-1").status_code == 201
    assert _start(server, code, "Hoarder more", customer_id="phone-1").json()["code"] == "order_limit"


# -- bodies that lie about their size, over a raw socket -------------------------------------

GOOD = b'{"customer_name": "Al", "item": "espresso"}'


@pytest.fixture(scope="module")
def raw_server(module_server_factory: ServerFactory) -> BackendServer:
    return module_server_factory()


def _send(server: BackendServer, head: bytes, body: bytes, timeout: float = 5.0) -> bytes:
    """One raw HTTP/1.1 request on its own connection; returns what came back."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(head + body)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except TimeoutError:
            pass
        return answer


def _head(server: BackendServer, *headers: str) -> bytes:
    lines = [
        "POST /api/v1/stores/booth/walkups HTTP/1.1",
        "Host: stall",
        f"Authorization: Bearer {server.barista_token}",
        "Content-Type: application/json",
        "Connection: close",
        *headers,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def test_a_huge_content_length_is_refused_before_any_body_arrives(raw_server: BackendServer) -> None:
    answer = _send(raw_server, _head(raw_server, "Content-Length: 1000000000000"), b"")
    assert _status(answer) == 413 and b'"code":"payload_too_large"' in answer


def test_only_content_length_bytes_are_read_as_the_body(raw_server: BackendServer) -> None:
    """A small Content-Length followed by far more: the rest is never part of the body."""
    server = raw_server
    before = _event_count(server)
    answer = _send(server, _head(server, f"Content-Length: {len(GOOD)}"), GOOD + b"x" * 100_000)
    assert _status(answer) == 201
    order = json.loads(answer.partition(b"\r\n\r\n")[2])
    assert order["customer_name"] == "Al" and order["item"] == "espresso"
    assert _event_count(server) == before + 2  # one walk-up: OrderStarted, OrderPlaced


def test_smuggling_shapes_are_refused_and_record_nothing(raw_server: BackendServer) -> None:
    server = raw_server
    before = _event_count(server)
    chunked = f"{len(GOOD):x}\r\n".encode() + GOOD + b"\r\n0\r\n\r\n"
    refusals = [
        # Both Content-Length and chunked: the classic request-smuggling shape.
        _send(server, _head(server, f"Content-Length: {len(GOOD)}", "Transfer-Encoding: chunked"), chunked),
        # Two Content-Lengths that disagree.
        _send(server, _head(server, f"Content-Length: {len(GOOD)}", "Content-Length: 70000"), GOOD),
        _send(server, _head(server, "Content-Length: -1"), GOOD),
        # A chunk that is longer than its size line says.
        _send(server, _head(server, "Transfer-Encoding: chunked"), b"10\r\n" + GOOD * 10 + b"\r\n0\r\n\r\n"),
    ]
    assert [_status(answer) for answer in refusals] == [400, 400, 400, 400]
    assert _event_count(server) == before


def test_a_client_that_hangs_up_mid_body_costs_nothing(raw_server: BackendServer) -> None:
    server = raw_server
    before = _event_count(server)
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(_head(server, "Content-Length: 5000") + GOOD[:20])
            sock.shutdown(socket.SHUT_WR)  # and never sends the rest
            sock.recv(4096)
    assert httpx.get(f"{server.url}/healthz").status_code == 200
    assert _event_count(server) == before
    assert "Traceback" not in server.log(), server.log()
    start_order(server, "Still serving")
