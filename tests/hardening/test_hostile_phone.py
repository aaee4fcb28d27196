"""The phone page in real Chromium with hostile names everywhere it shows text: the
customer's own name, the barista's name and a cancel reason appear literally; no element is
created from them and no script runs (the page fixture fails on any dialog or page error)."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.hardening.hostile import HOSTILE_HEADER_NAMES, HOSTILE_NAMES
from tests.phone.stall import Stall, enter_name, headline, place
from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer

pytestmark = pytest.mark.browser

TAGS = "[...new Set([...document.querySelectorAll('*')].map(e => e.tagName))].sort()"


@pytest.fixture(scope="module")
def server(module_server_factory: ServerFactory) -> BackendServer:
    return module_server_factory(store={"max_open_orders_per_customer": 100, "drinks_per_code": 1000})


def _staff(server: BackendServer, order_id: str, action: str, barista: bytes, **body: str) -> None:
    headers = {**server.headers("barista"), "X-Barista": barista}
    url = f"{server.url}/api/v1/orders/{order_id}/{action}"
    response = httpx.post(url, headers=headers, json=body or None)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("customer", "barista"),
    list(zip(HOSTILE_NAMES, [*HOSTILE_HEADER_NAMES, HOSTILE_HEADER_NAMES[0]], strict=True)),
    ids=range(len(HOSTILE_NAMES)),
)
def test_hostile_text_shows_literally_on_the_phone(
    page: Page, server: BackendServer, customer: tuple[str, str], barista: tuple[bytes, str]
) -> None:
    (typed, name), (barista_raw, barista_name) = customer, barista
    stall = Stall(server, "booth")
    page.goto(stall.order_url())
    tags_before = page.evaluate(TAGS)
    enter_name(page, typed)
    expect(page.locator("#menu-name")).to_have_text(name)
    place(page, "Americano")
    expect(page.locator("#order-drink")).to_have_text(f"Americano · for {name}")
    order_id = next(o["id"] for o in stall.orders() if o["customer_name"] == name and o["state"] == "queued")

    _staff(server, order_id, "claim", barista_raw)
    expect(headline(page)).to_have_text(f"Being made by {barista_name}")
    _staff(server, order_id, "cancel", b"Ann", reason=typed)
    expect(page.locator("#order-detail")).to_have_text(f"The barista cancelled this order: {name}")

    assert page.evaluate(TAGS) == tags_before  # no element was made from any of that text
    assert page.locator("img, a, b").count() == 0
    assert page.locator("script").count() == 1  # the page's own script, nothing else
