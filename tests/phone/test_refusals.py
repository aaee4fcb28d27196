"""When the phone page cannot take an order (a bad code, a closed or full stall, a flaky
network, too slow a customer), it says so in plain words, and retries are safe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect

from tests.phone.stall import Stall, enter_name, expect_number, headline, place
from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer

STORES = {
    "tiny": {"drinks_per_code": 1},
    "closing": {},
    "full": {"max_queue": 1},
    "limit": {},
    "slow": {"customer_timeout_s": 2},
    "flaky": {},
    "cutoff": {},
}


@pytest.fixture(scope="module")
def server(module_server_factory: ServerFactory) -> BackendServer:
    return module_server_factory(stores=STORES)


def notice(page: Page, title: str) -> None:
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_a_used_up_code_says_so(page: Page, server: BackendServer) -> None:
    stall = Stall(server, "tiny")
    url = stall.order_url()
    stall.start_order("Someone else")  # the code's only drink
    page.goto(url)
    enter_name(page, "Ada")
    notice(page, "This code is used up")
    expect(page.get_by_text("Please scan the new code on the booth screen.")).to_be_visible()


def test_an_expired_code_gives_the_page_with_a_plain_message(page: Page, server: BackendServer) -> None:
    response = page.goto(f"{server.url}/order/tiny?code=aaaaaaaaaaaaaaaa")
    assert response is not None and response.status == 200
    enter_name(page, "Ada")
    notice(page, "This code has expired")


def test_without_a_code_the_page_asks_to_scan_one(page: Page, server: BackendServer) -> None:
    response = page.goto(f"{server.url}/order/tiny")
    assert response is not None and response.status == 200
    notice(page, "Scan the QR code")
    expect(page.get_by_label("Your first name")).to_be_hidden()


def test_a_closed_stall_says_so_and_the_page_recovers_when_it_opens(
    page: Page, server: BackendServer
) -> None:
    stall = Stall(server, "closing")
    page.goto(stall.order_url())
    expect(page.get_by_label("Your first name")).to_be_visible()
    stall.staff("close")
    enter_name(page, "Ada")
    notice(page, "The stall is closed")

    page.reload()  # closed before the name is even asked
    notice(page, "The stall is closed")
    stall.staff("open")
    page.get_by_role("button", name="Try again").click()
    enter_name(page, "Ada")
    expect(page.get_by_text("Ordering for Ada")).to_be_visible()


def test_a_full_queue_says_so_and_keeps_the_name(page: Page, server: BackendServer) -> None:
    stall = Stall(server, "full")
    page.goto(stall.order_url())
    stall.start_order("Early bird")
    enter_name(page, "Ada")
    expect(page.get_by_role("alert")).to_have_text(re.compile(r"^The queue is full\."))
    expect(page.get_by_label("Your first name")).to_have_value("Ada")


def test_a_second_open_order_for_the_same_phone_is_refused(page: Page, server: BackendServer) -> None:
    stall = Stall(server, "limit")
    page.goto(stall.order_url())
    expect(page.get_by_label("Your first name")).to_be_visible()
    customer_id = page.evaluate("JSON.parse(localStorage.getItem('espresso.customer'))")
    stall.start_order("Ada", customer_id=customer_id)  # e.g. from another tab
    enter_name(page, "Ada")
    notice(page, "You already have an order")


def test_a_customer_who_does_not_choose_in_time_is_told(page: Page, server: BackendServer) -> None:
    stall = Stall(server, "slow")
    page.goto(stall.order_url())
    enter_name(page, "Ada")
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"Time left to choose: 0:0[12]"))
    expect(headline(page)).to_have_text("Time ran out")
    expect(page.get_by_text("No drink was chosen in time")).to_be_visible()
    assert stall.orders() == []


def test_a_flaky_network_is_retried_with_the_same_idempotency_key(page: Page, server: BackendServer) -> None:
    stall = Stall(server, "flaky")
    keys: list[str] = []
    answered = False

    def lose_the_answers(route: Route) -> None:
        # The first attempt reaches the server but its answer is lost; the retries do not
        # even get out, until the network comes back.
        nonlocal answered
        keys.append(route.request.headers["idempotency-key"])
        if not answered:
            answered = True
            route.fetch()
            route.abort("connectionreset")
        elif network_back:
            route.continue_()
        else:
            route.abort("internetdisconnected")

    network_back = False
    page.route(re.compile(r"/api/v1/stores/flaky/orders$"), lose_the_answers)
    page.goto(stall.order_url())
    enter_name(page, "Ada")
    expect(page.get_by_role("alert")).to_have_text(re.compile(r"^No connection\."))
    assert len(keys) == 4  # the first try and three automatic retries
    started = stall.only_order()

    network_back = True
    page.get_by_role("button", name="Continue").click()  # the customer tries again
    expect(page.get_by_text("Ordering for Ada")).to_be_visible()
    assert len(set(keys)) == 1 and len(keys) == 5
    assert stall.only_order()["id"] == started["id"]  # one order, not two

    drinks: list[tuple[str, str]] = []

    def note_drink(route: Route) -> None:
        drinks.append((route.request.method, route.request.headers.get("idempotency-key", "")))
        route.continue_()

    page.route(re.compile(r"/drink$"), note_drink)
    place(page, "Americano")
    expect_number(page, 1)
    assert [method for method, _ in drinks] == ["PUT"]
    assert re.fullmatch(r"[0-9a-f]{32}", drinks[0][1]) and drinks[0][1] != keys[0]


def test_an_answer_cut_off_midway_is_asked_again(page: Page, server: BackendServer) -> None:
    stall = Stall(server, "cutoff")
    keys: list[str] = []

    def cut_the_first_answer(route: Route) -> None:
        keys.append(route.request.headers["idempotency-key"])
        if len(keys) == 1:
            answer = route.fetch()  # the server starts the order...
            route.fulfill(response=answer, body=answer.body()[:20])  # ...the phone gets half of it
        else:
            route.continue_()

    page.route(re.compile(r"/api/v1/stores/cutoff/orders$"), cut_the_first_answer)
    page.goto(stall.order_url())
    enter_name(page, "Ada")
    expect(page.get_by_text("Ordering for Ada")).to_be_visible()
    assert len(keys) == 2 and keys[0] == keys[1]
    assert len(stall.orders()) == 1


def test_the_page_follows_the_order_across_an_outage(page: Page, server_factory: ServerFactory) -> None:
    server = server_factory()
    stall = Stall(server, "booth")
    page.goto(stall.order_url())
    enter_name(page, "Ada")
    place(page, "Americano")
    expect_number(page, 1)
    lost = page.get_by_text("Connection lost, reconnecting…")
    expect(lost).to_be_hidden()

    server.kill()  # a crash: the stream drops and cannot reconnect for now
    expect(lost).to_be_visible()
    server.start()  # the same port and database; EventSource resumes with Last-Event-ID
    expect(lost).to_be_hidden()
    stall.barista("complete", stall.only_order()["id"])
    expect(headline(page)).to_have_text("Ready! Collect #1")


def test_too_many_starts_from_one_address_say_so(page: Page, server_factory: ServerFactory) -> None:
    server = server_factory(server={"order_starts_per_minute": 1})
    stall = Stall(server, "booth")
    page.goto(stall.order_url())
    stall.start_order("Someone on the same Wi-Fi")
    enter_name(page, "Ada")
    expect(page.get_by_role("alert")).to_have_text(re.compile(r"^Too many tries\. Please wait a minute"))
