"""Idempotency-Key: a retry gets the first answer byte for byte and changes nothing."""

from __future__ import annotations

import concurrent.futures
import uuid

import httpx
import pytest

from tests.support.api import current_code, place_order
from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer


@pytest.fixture(scope="module")
def server(module_server_factory: ServerFactory) -> BackendServer:
    return module_server_factory(store={"drinks_per_code": 1000, "max_queue": 1000})


def _events(server: BackendServer) -> list[dict[str, object]]:
    response = httpx.get(
        f"{server.url}/api/v1/stores/booth/events", params={"limit": 1000}, headers=server.headers("display")
    )
    return list(response.json()["events"])


def test_a_retried_start_returns_the_first_answer_and_starts_nothing_new(server: BackendServer) -> None:
    url = f"{server.url}/api/v1/stores/booth/orders"
    body = {"code": current_code(server), "customer_name": "Ada"}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = httpx.post(url, json=body, headers=key)
    before = len(_events(server))
    again = httpx.post(url, json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert len(_events(server)) == before
    # Key order and whitespace do not make it another request.
    reordered = b'{ "customer_name": "Ada",  "code": "%s" }' % body["code"].encode()
    same = httpx.post(url, content=reordered, headers={**key, "Content-Type": "application/json"})
    assert same.content == first.content
    # The event carries the key as its causation id.
    started = [e for e in _events(server) if e["order_id"] == first.json()["order"]["id"]]
    assert [e["causation_id"] for e in started] == [key["Idempotency-Key"]]


def test_the_same_key_with_another_body_is_a_mismatch(server: BackendServer) -> None:
    url = f"{server.url}/api/v1/stores/booth/walkups"
    key = {"Idempotency-Key": "walkup-1", **server.headers()}
    assert httpx.post(url, json={"customer_name": "Kim", "item": "espresso"}, headers=key).status_code == 201
    other = httpx.post(url, json={"customer_name": "Kim", "item": "latte"}, headers=key)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_mismatch"


def test_errors_are_not_kept_so_a_retry_is_decided_afresh(server: BackendServer) -> None:
    order, _ = place_order(server, "Bo")
    url = f"{server.url}/api/v1/orders/{order['id']}/claim"
    key = {"Idempotency-Key": "claim-after-fix", **server.headers(**{"X-Barista": "Ann"})}
    blocked = httpx.post(url, headers={**server.headers(**{"X-Barista": "Bob"})})
    assert blocked.status_code == 200  # Bob holds it
    refused = httpx.post(url, headers=key)
    assert refused.status_code == 409
    httpx.post(
        f"{server.url}/api/v1/orders/{order['id']}/unclaim", headers=server.headers(**{"X-Barista": "Bob"})
    )
    retried = httpx.post(url, headers=key)
    assert retried.status_code == 200 and retried.json()["barista"] == "Ann"


def test_keys_are_scoped_to_credential_and_endpoint(server: BackendServer) -> None:
    first, _ = place_order(server, "Cy")
    second, _ = place_order(server, "Di")
    key = {"Idempotency-Key": "shared-key"}
    one = httpx.post(
        f"{server.url}/api/v1/orders/{first['id']}/complete", headers={**key, **server.headers()}
    )
    two = httpx.post(
        f"{server.url}/api/v1/orders/{second['id']}/complete", headers={**key, **server.headers()}
    )
    assert one.status_code == two.status_code == 200
    assert one.json()["id"] == first["id"] and two.json()["id"] == second["id"]
    # Another credential with the same key and path is another request.
    third, _ = place_order(server, "Ed")
    url = f"{server.url}/api/v1/orders/{third['id']}/cancel"
    by_admin = httpx.post(url, headers={**key, **server.headers("admin")})
    assert by_admin.status_code == 200
    by_barista = httpx.post(url, headers={**key, **server.headers("barista")})
    assert by_barista.status_code == 409  # decided afresh: already cancelled


def test_concurrent_requests_with_one_key_have_one_effect(server: BackendServer) -> None:
    url = f"{server.url}/api/v1/stores/booth/walkups"
    headers = {"Idempotency-Key": str(uuid.uuid4()), **server.headers()}
    body = {"customer_name": "Rush", "item": "americano"}
    before = len(_events(server))
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: httpx.post(url, json=body, headers=headers), range(8)))
    assert {a.status_code for a in answers} == {201}
    assert len({a.content for a in answers}) == 1
    assert len(_events(server)) == before + 2  # one OrderStarted, one OrderPlaced


def test_a_key_must_be_reasonable(server: BackendServer) -> None:
    response = httpx.post(
        f"{server.url}/api/v1/stores/booth/open", headers={"Idempotency-Key": "k" * 201, **server.headers()}
    )
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
