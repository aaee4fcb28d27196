"""Errors: problem+json with stable codes, in API.md's order of precedence, never a trace."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.api import current_code, start_order
from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer

BIG = 64 * 1024


@pytest.fixture(scope="module")
def server(module_server_factory: ServerFactory) -> BackendServer:
    return module_server_factory(
        stores={
            "booth": {"drinks_per_code": 1000, "max_queue": 1000},
            "strict": {"drinks_per_code": 2, "max_queue": 3, "max_open_orders_per_customer": 1},
            "small": {"max_queue": 2},
        }
    )


def _problem(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "code"}
    assert body["status"] == status and body["code"] == code
    assert "Traceback" not in response.text
    return dict(body)


def test_unknown_route_and_wrong_method(server: BackendServer) -> None:
    _problem(httpx.get(f"{server.url}/api/v1/nothing"), 404, "not_found")
    _problem(httpx.get(f"{server.url}/api/v1/stores/nowhere"), 404, "not_found")
    _problem(httpx.delete(f"{server.url}/api/v1/stores/booth"), 405, "method_not_allowed")
    _problem(
        httpx.get(f"{server.url}/api/v1/orders/x/claim", headers=server.headers()), 405, "method_not_allowed"
    )


def test_405_names_every_method_of_the_path(server: BackendServer) -> None:
    response = httpx.delete(f"{server.url}/api/v1/stores/booth/orders", headers=server.headers())
    _problem(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "GET, POST"  # POST starts orders, GET lists them


def test_a_hostile_menu_is_a_validation_error_not_a_crash(server: BackendServer) -> None:
    option = {"id": "o", "name": "O", "choices": [], "default": "", "unavailable": [{}]}
    body = [{"id": "x", "name": "X", "options": [option]}]
    url = f"{server.url}/api/v1/stores/booth/menu"
    _problem(httpx.put(url, json=body, headers=server.headers("admin")), 422, "validation_error")


def test_a_staff_name_is_at_most_40_characters(server: BackendServer) -> None:
    too_long = server.headers(**{"X-Barista": "B" * 41})
    _problem(httpx.post(f"{server.url}/api/v1/stores/booth/open", headers=too_long), 422, "validation_error")
    # Cleaned first (UTF-8 in the header; the bidi override goes), then counted.
    fits = {**server.headers(), "X-Barista": ("B" * 40 + "\u202e").encode()}
    assert httpx.post(f"{server.url}/api/v1/stores/booth/open", headers=fits).status_code == 200


def test_authentication_and_roles(server: BackendServer) -> None:
    close = f"{server.url}/api/v1/stores/booth/close"
    _problem(httpx.post(close), 401, "unauthorized")
    _problem(httpx.post(close, headers={"Authorization": "Bearer nope"}), 401, "unauthorized")
    _problem(httpx.post(close, headers={"Authorization": "Basic dXNlcjpwdw=="}), 401, "unauthorized")
    _problem(httpx.post(close, headers=server.headers("display")), 403, "forbidden")
    menu = f"{server.url}/api/v1/stores/booth/menu"
    _problem(httpx.put(menu, json=[], headers=server.headers("barista")), 403, "forbidden")
    # The query-string token is for event streams only.
    _problem(
        httpx.get(f"{server.url}/api/v1/stores/booth/orders?access_token={server.display_token}"),
        401,
        "unauthorized",
    )


def test_precedence_auth_before_not_found_before_body(server: BackendServer) -> None:
    # 401 beats 404 (unknown store) and 422 (malformed body).
    bad = {"Content-Type": "application/json"}
    _problem(
        httpx.post(f"{server.url}/api/v1/stores/nowhere/walkups", content=b"{", headers=bad),
        401,
        "unauthorized",
    )
    # 403 beats 404.
    display = server.headers("display", **bad)
    _problem(
        httpx.post(f"{server.url}/api/v1/stores/nowhere/walkups", content=b"{", headers=display),
        403,
        "forbidden",
    )
    # 404 beats 413, 415 and 422.
    barista = server.headers("barista")
    url = f"{server.url}/api/v1/stores/nowhere/walkups"
    _problem(httpx.post(url, content=b"x" * (BIG + 1), headers=barista), 404, "not_found")
    _problem(
        httpx.post(url, content=b"name=x", headers={**barista, "Content-Type": "text/plain"}),
        404,
        "not_found",
    )
    # 413 beats 415; 415 beats 422.
    real = f"{server.url}/api/v1/stores/booth/walkups"
    _problem(
        httpx.post(real, content=b"x" * (BIG + 1), headers={**barista, "Content-Type": "text/plain"}),
        413,
        "payload_too_large",
    )
    _problem(
        httpx.post(real, content=b"{", headers={**barista, "Content-Type": "text/plain"}),
        415,
        "unsupported_media_type",
    )
    _problem(httpx.post(real, content=b"{", headers={**barista, **bad}), 422, "validation_error")
    # A start: rate limit and not_found come before the body.
    _problem(
        httpx.post(f"{server.url}/api/v1/stores/nowhere/orders", content=b"{", headers=bad), 404, "not_found"
    )


def test_body_limit_is_enforced_while_reading(server: BackendServer) -> None:
    url = f"{server.url}/api/v1/stores/booth/walkups"
    headers = server.headers("barista", **{"Content-Type": "application/json"})
    padding = "x" * BIG
    too_big = ('{"customer_name": "Al", "item": "espresso", "pad": "' + padding + '"}').encode()
    _problem(httpx.post(url, content=too_big, headers=headers), 413, "payload_too_large")

    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer encoding
        for _ in range(10):
            yield b" " * 8192
        yield b'{"customer_name": "Al", "item": "espresso"}'

    _problem(httpx.post(url, content=chunks(), headers=headers), 413, "payload_too_large")
    just_fits = ('{"customer_name": "Al", "item": "espresso"}' + " " * (BIG - 60)).encode()
    assert len(just_fits) <= BIG
    assert httpx.post(url, content=just_fits, headers=headers).status_code == 201


def test_validation_errors_say_what_is_wrong(server: BackendServer) -> None:
    url = f"{server.url}/api/v1/stores/booth/orders"
    missing = _problem(httpx.post(url, json={"customer_name": "Ada"}), 422, "validation_error")
    assert "code" in str(missing["detail"])
    _problem(httpx.post(url, json=["not", "an", "object"]), 422, "validation_error")
    _problem(httpx.post(url, json={"code": "x", "customer_name": "Ada", "extra": 1}), 422, "validation_error")
    _problem(
        httpx.post(url, content=b"", headers={"Content-Type": "application/json"}), 422, "validation_error"
    )
    _problem(
        httpx.post(url, content=b'{"code": "x"', headers={"Content-Type": "application/json"}),
        422,
        "validation_error",
    )
    _problem(
        httpx.post(url, content=b"\xff\xfe", headers={"Content-Type": "application/json"}),
        422,
        "validation_error",
    )


def test_start_order_rules_in_order(server: BackendServer) -> None:
    url = f"{server.url}/api/v1/stores/strict/orders"
    code = current_code(server, "strict")
    # validation_error before invalid_code.
    _problem(httpx.post(url, json={"code": "wrong", "customer_name": ""}), 422, "validation_error")
    _problem(httpx.post(url, json={"code": "wrong", "customer_name": "Ada"}), 403, "invalid_code")
    _problem(httpx.post(url, json={"code": "ä" * 16, "customer_name": "Ada"}), 403, "invalid_code")
    start_order(server, "One", code=code, customer_id="c1", store="strict")
    # order_limit: the same customer id while its first order is open.
    _problem(
        httpx.post(url, json={"code": code, "customer_name": "One", "customer_id": "c1"}), 409, "order_limit"
    )
    start_order(server, "Two", code=code, store="strict")
    # The refused start above used up nothing: the code had exactly two uses.
    _problem(httpx.post(url, json={"code": code, "customer_name": "Three"}), 429, "code_exhausted")
    remaining = httpx.get(f"{server.url}/api/v1/stores/strict/code", headers=server.headers("display")).json()
    assert remaining["remaining"] == 0
    # store_closed comes before invalid_code.
    httpx.post(f"{server.url}/api/v1/stores/strict/close", headers=server.headers())
    _problem(httpx.post(url, json={"code": "wrong", "customer_name": "Ada"}), 409, "store_closed")
    _problem(
        httpx.get(f"{server.url}/api/v1/stores/strict/code", headers=server.headers("display")),
        409,
        "store_closed",
    )


def test_store_full_counts_open_orders(server: BackendServer) -> None:
    first, _ = start_order(server, "A", store="small")
    start_order(server, "B", store="small")
    url = f"{server.url}/api/v1/stores/small/orders"
    _problem(
        httpx.post(url, json={"code": current_code(server, "small"), "customer_name": "C"}), 409, "store_full"
    )
    # A walk-up is never refused for a full queue.
    walkup = httpx.post(
        f"{server.url}/api/v1/stores/small/walkups",
        json={"customer_name": "D", "item": "americano"},
        headers=server.headers(),
    )
    assert walkup.status_code == 201
    httpx.post(f"{server.url}/api/v1/orders/{first['id']}/cancel", headers=server.headers())
    httpx.post(f"{server.url}/api/v1/orders/{walkup.json()['id']}/complete", headers=server.headers())
    assert (
        httpx.post(url, json={"code": current_code(server, "small"), "customer_name": "C"}).status_code == 201
    )
