"""What the backend acknowledged survives `kill -9`, and numbering carries on after it."""

from __future__ import annotations

import concurrent.futures

import httpx

from tests.support.api import place_order
from tests.support.fixtures import ServerFactory


def test_acknowledged_writes_survive_sigkill(server_factory: ServerFactory) -> None:
    server = server_factory(store={"drinks_per_code": 1000, "max_queue": 1000})
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        placed = list(pool.map(lambda i: place_order(server, f"Guest {i}")[0], range(24)))
    done = httpx.post(f"{server.url}/api/v1/orders/{placed[0]['id']}/complete", headers=server.headers())
    assert done.status_code == 200
    before = httpx.get(
        f"{server.url}/api/v1/stores/booth/events", params={"limit": 1000}, headers=server.headers("display")
    )

    server.restart()  # SIGKILL right after the answers, then start on the same database

    after = httpx.get(
        f"{server.url}/api/v1/stores/booth/events", params={"limit": 1000}, headers=server.headers("display")
    )
    assert after.json() == before.json()  # every acknowledged event, with the same seq
    for order in placed[1:]:
        again = httpx.get(
            f"{server.url}/api/v1/orders/{order['id']}", headers=server.headers("display")
        ).json()
        assert again["state"] == "queued" and again["number"] == order["number"]
    assert (
        httpx.get(f"{server.url}/api/v1/orders/{placed[0]['id']}", headers=server.headers("display")).json()[
            "state"
        ]
        == "completed"
    )
    next_order, _ = place_order(server, "After the crash")
    assert next_order["number"] == max(o["number"] for o in placed) + 1
