"""The stall's side of a phone test (the booth screen's code, the barista's actions, through
the real HTTP API) and the customer's steps on the page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.support.server import BackendServer


class Stall:
    """One store of a running backend, driven the way the kiosk and the barista would."""

    def __init__(self, server: BackendServer, store: str) -> None:
        self.server = server
        self.store = store
        self.api = f"{server.url}/api/v1"

    def order_url(self) -> str:
        """The phone page URL of the booth screen's current code (as its QR code links)."""
        response = httpx.get(f"{self.api}/stores/{self.store}/code", headers=self.server.headers("display"))
        assert response.status_code == 200, response.text
        url = urlsplit(response.json()["url"])
        assert url.path == f"/order/{self.store}" and url.query.startswith("code=")
        # The QR code is built on public_url; the test server listens on a port of its own.
        return f"{self.server.url}{url.path}?{url.query}"

    def code(self) -> str:
        return urlsplit(self.order_url()).query.removeprefix("code=")

    def orders(self, *states: str) -> list[dict[str, Any]]:
        params = {"state": ",".join(states)} if states else {}
        response = httpx.get(
            f"{self.api}/stores/{self.store}/orders", params=params, headers=self.server.headers("display")
        )
        assert response.status_code == 200, response.text
        orders: list[dict[str, Any]] = response.json()["orders"]
        return orders

    def only_order(self, *states: str) -> dict[str, Any]:
        orders = self.orders(*states)
        assert len(orders) == 1, orders
        return orders[0]

    def barista(self, action: str, order_id: str, name: str = "barista", **body: Any) -> dict[str, Any]:
        headers = self.server.headers("barista", **{"X-Barista": name})
        response = httpx.post(f"{self.api}/orders/{order_id}/{action}", headers=headers, json=body or None)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def staff(self, action: str, body: dict[str, Any] | None = None) -> None:
        """open, close or stock (body: what ran out or came back)."""
        response = httpx.post(
            f"{self.api}/stores/{self.store}/{action}", headers=self.server.headers("barista"), json=body
        )
        assert response.status_code == 200, response.text

    def start_order(
        self, name: str, customer_id: str | None = None, code: str | None = None
    ) -> dict[str, Any]:
        body = {"code": code or self.code(), "customer_name": name}
        if customer_id:
            body["customer_id"] = customer_id
        response = httpx.post(f"{self.api}/stores/{self.store}/orders", json=body)
        assert response.status_code == 201, response.text
        order: dict[str, Any] = response.json()["order"]
        return order


# -- the customer's steps -------------------------------------------------------------------


def enter_name(page: Page, name: str) -> None:
    page.get_by_label("Your first name").fill(name)
    page.get_by_role("button", name="Continue").click()


def drink(page: Page, name: str) -> Locator:
    return page.get_by_role("group", name="Drink").get_by_role("radio", name=name)


def choice(page: Page, option: str, name: str) -> Locator:
    return page.get_by_role("group", name=option).get_by_role("radio", name=name)


def place(page: Page, drink_name: str, **options: str) -> None:
    """Choose a drink (and option choices by option name) and order it."""
    drink(page, drink_name).check()
    for option, value in options.items():
        choice(page, option.capitalize(), value).check()
    page.get_by_role("button", name="Order", exact=True).click()


def headline(page: Page) -> Locator:
    return page.locator("#order-state")


def expect_number(page: Page, number: int) -> None:
    expect(page.locator("#number")).to_have_text(f"#{number}")


def fits_the_screen(page: Page) -> bool:
    """Nothing sticks out sideways on a 360 px wide phone."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
