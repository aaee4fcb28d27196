"""A customer orders from the phone page in real chromium, against a real `espresso serve`:
name, drink and options, the number, and the order followed live until it is ready."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.phone.stall import (
    Stall,
    choice,
    drink,
    enter_name,
    expect_number,
    fits_the_screen,
    headline,
    place,
)
from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer

# One store per test, so the tests of this module share one server yet stay independent.
STORES = ("flow", "clock", "reload", "stock", "runout", "cancel", "hostile", "hostile2")


@pytest.fixture(scope="module")
def server(module_server_factory: ServerFactory) -> BackendServer:
    return module_server_factory(stores={store: {"name": f"Espresso {store}"} for store in STORES})


def test_a_customer_orders_and_sees_the_drink_ready_without_reloading(
    page: Page, server: BackendServer
) -> None:
    stall = Stall(server, "flow")
    page.goto(stall.order_url())
    expect(page.get_by_role("heading", name="Order a coffee")).to_be_visible()
    expect(page.locator("header")).to_contain_text("Espresso flow")
    assert fits_the_screen(page)
    enter_name(page, "Ada")

    expect(page.get_by_text("Ordering for Ada")).to_be_visible()
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"Time left to choose: (5:00|4:[0-5]\d)"))
    drink(page, "Flat White").check()
    expect(choice(page, "Milk", "Whole")).to_be_checked()  # the default, preselected
    assert fits_the_screen(page)
    place(page, "Flat White", milk="Oat")

    expect_number(page, 1)
    expect(headline(page)).to_have_text("In the queue")
    expect(page.get_by_text("Flat White, Oat · for Ada")).to_be_visible()
    order = stall.only_order()
    assert (order["customer_name"], order["item"], order["options"], order["number"]) == (
        "Ada",
        "flat-white",
        {"milk": "Oat"},
        1,
    )
    page.evaluate("window.notReloaded = true")

    stall.barista("claim", order["id"], name="Grace")
    expect(headline(page)).to_have_text("Being made by Grace")
    stall.barista("complete", order["id"], name="Grace")
    expect(headline(page)).to_have_text("Ready! Collect #1")
    expect(page.locator("body")).to_have_class(re.compile(r"\bready\b"))
    expect(page).to_have_title("Ready! Collect #1")
    assert page.evaluate("window.notReloaded") is True
    assert fits_the_screen(page)
    for button in page.get_by_role("button").all():
        box = button.bounding_box()
        assert box is None or box["height"] >= 44, "tap targets are large"


def test_the_countdown_is_right_on_a_phone_whose_clock_is_wrong(page: Page, server: BackendServer) -> None:
    page.clock.set_system_time(datetime.now(UTC) + timedelta(hours=1, minutes=3))
    stall = Stall(server, "clock")
    page.goto(stall.order_url())
    enter_name(page, "Ada")
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"Time left to choose: (5:00|4:5\d)"))


def test_a_reload_mid_order_resumes_it(page: Page, server: BackendServer) -> None:
    stall = Stall(server, "reload")
    page.goto(stall.order_url())
    enter_name(page, "Lin")
    expect(page.get_by_text("Ordering for Lin")).to_be_visible()

    page.reload()  # while choosing: the same order, still choosing
    expect(page.get_by_text("Ordering for Lin")).to_be_visible()
    place(page, "Americano")
    expect_number(page, 1)
    assert len(stall.orders()) == 1

    page.reload()  # while queued: the number again, and still followed live
    expect_number(page, 1)
    expect(headline(page)).to_have_text("In the queue")
    stall.barista("claim", stall.only_order()["id"], name="Bo")
    expect(headline(page)).to_have_text("Being made by Bo")


def test_what_ran_out_is_greyed_out_and_cannot_be_chosen(page: Page, server: BackendServer) -> None:
    stall = Stall(server, "stock")
    stall.staff("stock", {"item": "latte", "available": False})
    stall.staff("stock", {"option": "milk", "choice": "Whole", "available": False})
    page.goto(stall.order_url())
    enter_name(page, "Kim")

    latte = drink(page, "Latte")
    expect(latte).to_be_disabled()
    expect(page.locator("label.sold-out")).to_have_text(re.compile("Latte.*Sold out"))
    page.locator("label", has_text="Latte").click(force=True)
    expect(latte).not_to_be_checked()
    page.get_by_role("button", name="Order", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Please choose a drink.")

    # The default milk ran out: nothing is preselected and the customer must choose.
    drink(page, "Flat White").check()
    expect(choice(page, "Milk", "Whole")).to_be_disabled()
    expect(choice(page, "Milk", "Whole")).not_to_be_checked()
    page.get_by_role("button", name="Order", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Please choose the milk.")
    place(page, "Flat White", milk="Soy")
    expect_number(page, 1)
    assert stall.only_order()["options"] == {"milk": "Soy"}


def test_a_choice_that_runs_out_while_choosing_is_refused_kindly(page: Page, server: BackendServer) -> None:
    stall = Stall(server, "runout")
    page.goto(stall.order_url())
    enter_name(page, "Sam")
    expect(choice(page, "Milk", "Oat")).to_have_count(0)  # no drink chosen yet
    drink(page, "Flat White").check()
    expect(choice(page, "Milk", "Oat")).to_be_enabled()

    stall.staff("stock", {"option": "milk", "choice": "Oat", "available": False})
    place(page, "Flat White", milk="Oat")
    expect(page.get_by_role("alert")).to_have_text(re.compile("just run out"))
    expect(choice(page, "Milk", "Oat")).to_be_disabled()
    assert stall.only_order()["state"] == "started"
    place(page, "Flat White", milk="Whole")
    expect_number(page, 1)


def test_the_customer_cancels_while_queued_but_not_once_it_is_being_made(
    page: Page, server: BackendServer
) -> None:
    stall = Stall(server, "cancel")
    page.goto(stall.order_url())
    enter_name(page, "Noor")
    place(page, "Espresso", shots="Double")
    expect_number(page, 1)

    page.get_by_role("button", name="Cancel my order").click()
    page.get_by_role("button", name="No, keep it").click()
    assert stall.only_order()["state"] == "queued"
    page.get_by_role("button", name="Cancel my order").click()
    page.get_by_role("button", name="Yes, cancel it").click()
    expect(headline(page)).to_have_text("Cancelled")
    expect(page.get_by_text("You cancelled this order.")).to_be_visible()
    assert stall.orders() == []

    page.get_by_role("button", name="Order another drink").click()
    expect(page.get_by_label("Your first name")).to_have_value("Noor")
    page.get_by_role("button", name="Continue").click()
    place(page, "Americano")
    expect_number(page, 2)
    expect(page.get_by_role("button", name="Cancel my order")).to_be_visible()
    stall.barista("claim", stall.only_order()["id"], name="Ana")
    expect(headline(page)).to_have_text("Being made by Ana")
    expect(page.get_by_role("button", name="Cancel my order")).to_be_hidden()


@pytest.mark.parametrize(
    ("store", "customer", "barista"),
    [
        ("hostile", "<img src=x onerror=alert(1)>", "<b>x</b>"),
        ("hostile2", "[bold]x[/]", "<script>alert(2)</script>"),
    ],
)
def test_hostile_names_show_literally(
    page: Page, server: BackendServer, store: str, customer: str, barista: str
) -> None:
    stall = Stall(server, store)
    page.goto(stall.order_url())
    enter_name(page, customer)
    expect(page.locator("#menu-name")).to_have_text(customer)
    place(page, "Americano")
    expect(page.locator("#order-drink")).to_have_text(f"Americano · for {customer}")
    stall.barista("claim", stall.only_order()["id"], name=barista)
    expect(headline(page)).to_have_text(f"Being made by {barista}")
    assert page.locator("main img, main b, main script").count() == 0
