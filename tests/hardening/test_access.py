"""Who may do what, for every endpoint the app has (enumerated, so a new one cannot escape).

- with no token, every operation but the public ones is 401, and the only public one that
  changes anything is starting an order;
- a customer's order token reads and changes its own order alone: another order is 404,
  any staff operation 403;
- a display token changes nothing (403 on every state-changing operation; the log is
  untouched);
- the query-string token works on event streams only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.api import place_order, start_order
from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer

Operation = tuple[str, str]  # (method, path template) as the OpenAPI document spells them

PUBLIC = {
    ("get", "/api/v1/stores/{store}"),
    ("post", "/api/v1/stores/{store}/orders"),
    ("get", "/order/{store}"),
    ("get", "/healthz"),
    ("get", "/metrics"),
}
CUSTOMER = {  # what an order token may do, on its own order
    ("get", "/api/v1/orders/{order_id}"),
    ("put", "/api/v1/orders/{order_id}/drink"),
    ("post", "/api/v1/orders/{order_id}/cancel"),
    ("get", "/api/v1/orders/{order_id}/stream"),
}
STATE_CHANGING = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def server(module_server_factory: ServerFactory) -> BackendServer:
    return module_server_factory(store={"drinks_per_code": 1000, "max_queue": 1000})


@pytest.fixture(scope="module")
def document(server: BackendServer) -> dict[str, Any]:
    found: dict[str, Any] = httpx.get(f"{server.url}/openapi.json").json()
    return found


@pytest.fixture(scope="module")
def operations(document: dict[str, Any]) -> set[Operation]:
    found = {(method, path) for path, methods in document["paths"].items() for method in methods}
    assert len(found) >= 24, found  # the document is whole (API.md lists 24)
    return found


def _url(server: BackendServer, path: str, order_id: str) -> str:
    return server.url + path.replace("{store}", "booth").replace("{order_id}", order_id)


def _call(method: str, url: str, headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
    """One request; a stream is closed as soon as its status is known."""
    body: dict[str, Any] = {"json": {}} if method in STATE_CHANGING else {}
    with httpx.stream(method.upper(), url, headers=headers, timeout=10, **body, **kwargs) as response:
        if response.headers.get("content-type", "").startswith("application/problem+json"):
            response.read()
        return response


def _log_length(server: BackendServer) -> int:
    page = httpx.get(f"{server.url}/api/v1/stores/booth/events", headers=server.headers("display"))
    last: int = page.json()["last_seq"]
    return last


def _problem_code(response: httpx.Response) -> str:
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    code: str = response.json()["code"]
    return code


def test_every_route_with_an_effect_is_in_the_openapi_document(
    operations: set[Operation], tmp_path: Path
) -> None:
    """Routes hidden from /docs are looked up in the app itself: none of them changes state."""
    from backend.app import create_app
    from core.config import load_settings
    from core.eventstore.base import open_event_store

    store = open_event_store(f"sqlite:///{tmp_path / 'routes.db'}")
    try:
        app = create_app(load_settings(), store)  # built, never started
        routes = [(m.lower(), r.path) for r in _flat_routes(app.routes) for m in r.methods or ()]
    finally:
        store.close()
    assert len(routes) > len(operations)  # the hidden ones (docs, assets) are there too
    assert {r for r in routes if r[0] in STATE_CHANGING} <= operations


def _flat_routes(routes: list[Any]) -> list[Any]:
    """The app's routes with included routers opened up (newer FastAPI includes lazily)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return [r for r in routes if hasattr(r, "methods")]
    return [r for r in iter_route_contexts(routes) if hasattr(r, "methods")]


def test_the_document_says_which_operations_need_a_token(document: dict[str, Any]) -> None:
    open_to_all = {
        (method, path)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if not operation.get("security")
    }
    assert open_to_all == PUBLIC


def test_without_a_token_only_the_public_operations_answer(
    server: BackendServer, operations: set[Operation]
) -> None:
    order, _ = place_order(server, "Nobody Sees")
    refused = {}
    for method, path in sorted(operations - PUBLIC):
        response = _call(method, _url(server, path, order["id"]))
        refused[(method, path)] = (response.status_code, _problem_code(response))
    assert refused == {op: (401, "unauthorized") for op in operations - PUBLIC}
    for method, path in sorted(PUBLIC - {("post", "/api/v1/stores/{store}/orders")}):
        assert _call(method, _url(server, path, order["id"])).status_code == 200, path


def test_an_order_token_opens_its_own_order_and_nothing_else(
    server: BackendServer, operations: set[Operation]
) -> None:
    mine, token = start_order(server, "Mine")
    theirs, _ = place_order(server, "Theirs")
    customer = {"Authorization": f"Bearer {token}"}
    before = _log_length(server)
    for method, path in sorted(operations - PUBLIC):
        response = _call(method, _url(server, path, theirs["id"]), customer)
        expected = (404, "not_found") if (method, path) in CUSTOMER else (403, "forbidden")
        assert (response.status_code, _problem_code(response)) == expected, (method, path)
    for method, path in sorted(operations - PUBLIC - CUSTOMER):
        response = _call(method, _url(server, path, mine["id"]), customer)
        assert (response.status_code, _problem_code(response)) == (403, "forbidden"), (method, path)
    assert _log_length(server) == before  # none of that changed anything
    # On its own order it reads, chooses, follows and cancels.
    own = f"{server.url}/api/v1/orders/{mine['id']}"
    assert httpx.get(own, headers=customer).json()["customer_name"] == "Mine"
    placed = httpx.put(f"{own}/drink", json={"item": "americano"}, headers=customer)
    assert placed.status_code == 200 and placed.json()["state"] == "queued"
    with httpx.stream("GET", f"{own}/stream", params={"access_token": token}, timeout=10) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
    cancelled = httpx.post(f"{own}/cancel", headers=customer)
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert httpx.get(f"{server.url}/api/v1/orders/{theirs['id']}", headers=server.headers()).json()[
        "state"
    ] == ("queued")


def test_a_display_token_changes_nothing(server: BackendServer, operations: set[Operation]) -> None:
    order, _ = place_order(server, "Shown Only")
    display = server.headers("display")
    before = _log_length(server)
    answers = {}
    for method, path in sorted(op for op in operations - PUBLIC if op[0] in STATE_CHANGING):
        response = _call(method, _url(server, path, order["id"]), display)
        answers[(method, path)] = (response.status_code, _problem_code(response))
    assert answers and set(answers.values()) == {(403, "forbidden")}, answers
    assert _log_length(server) == before
    # It does read what a booth screen shows.
    for path in ("/api/v1/stores/booth/code", "/api/v1/stores/booth/orders", f"/api/v1/orders/{order['id']}"):
        assert httpx.get(server.url + path, headers=display).status_code == 200, path


def _stream_and_other_gets(operations: set[Operation]) -> Iterator[tuple[Operation, bool]]:
    for method, path in sorted(operations - PUBLIC):
        if method == "get":
            yield (method, path), path.endswith("/stream")


def test_the_query_token_opens_event_streams_only(server: BackendServer, operations: set[Operation]) -> None:
    order, _ = place_order(server, "Query")
    for (method, path), is_stream in _stream_and_other_gets(operations):
        response = _call(method, _url(server, path, order["id"]), params={"access_token": server.admin_token})
        assert response.status_code == (200 if is_stream else 401), path
