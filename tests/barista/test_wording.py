"""What the barista is told after a command: plain words, who has the order, offline."""

from __future__ import annotations

from barista_tui.wording import Kind, Request, describe
from core import commands as c
from core.errors import ErrorCode
from core.sync.feed import CommandResult
from tests.barista.support.local_feed import LocalFeed


def test_a_claim_lost_to_another_barista_names_them(local_feed: LocalFeed) -> None:
    order_id = local_feed.customer_order("Ada", "espresso")
    local_feed.run(c.ClaimOrder(order_id, "Bob"))
    result = local_feed.run(c.ClaimOrder(order_id, "Ana"))
    assert result.error is ErrorCode.ALREADY_CLAIMED
    said = describe(Request(Kind.CLAIM, order_id, 1), result)
    assert said.text == "Bob is making #1"
    assert said.severity == "warning"


def test_acting_on_a_finished_order_says_what_became_of_it(local_feed: LocalFeed) -> None:
    done = local_feed.customer_order("Ada", "espresso")
    local_feed.run(c.CompleteOrder(done, "Bob"))
    gone = local_feed.customer_order("Bo", "espresso")
    local_feed.run(c.CancelOrder(gone, "customer"))

    complete_again = local_feed.run(c.CompleteOrder(done, "Ana"))
    assert describe(Request(Kind.COMPLETE, done, 1), complete_again).text == "#1 is already ready"
    claim_gone = local_feed.run(c.ClaimOrder(gone, "Ana"))
    assert describe(Request(Kind.CLAIM, gone, 2), claim_gone).text == "#2 was cancelled (customer)"


def test_unclaiming_a_queued_order_explains_itself(local_feed: LocalFeed) -> None:
    order_id = local_feed.customer_order("Ada", "espresso")
    result = local_feed.run(c.UnclaimOrder(order_id, "Ana"))
    assert (
        describe(Request(Kind.UNCLAIM, order_id, 1), result).text
        == "#1 is not being made: nothing to unclaim"
    )


def test_successes_are_past_tense_and_offline_ones_say_they_will_sync() -> None:
    ok = CommandResult(ok=True)
    assert describe(Request(Kind.CLAIM, "o", 42), ok).text == "Claimed #42"
    assert describe(Request(Kind.CANCEL, "o", 42), ok).text == "Cancelled #42"
    offline = describe(Request(Kind.COMPLETE, "o", 42), CommandResult(ok=True, queued_offline=True))
    assert offline.text.startswith("#42 is ready") and "offline" in offline.text
    assert describe(Request(Kind.CHOICE_STOCK, label="Milk: Oat", available=False), ok).text == (
        "Milk: Oat marked as run out"
    )
    assert describe(Request(Kind.ITEM_STOCK, label="Latte", available=True), ok).text == "Latte is back"


def test_a_walk_up_reports_its_number_and_the_name_as_typed(local_feed: LocalFeed) -> None:
    result = local_feed.run(c.WalkUp("[bold]Zoe[/]", "espresso", {}), number=True)
    said = describe(Request(Kind.WALK_UP, customer_name="[bold]Zoe[/]"), result)
    assert said.text == "Walk-up #1 for [bold]Zoe[/] placed"


def test_a_closed_store_refuses_walk_ups_in_plain_words(local_feed: LocalFeed) -> None:
    local_feed.run(c.CloseStore())
    result = local_feed.run(c.WalkUp("Zoe", "espresso", {}), number=True)
    assert describe(Request(Kind.WALK_UP, customer_name="Zoe"), result).text.startswith("The store is closed")


def test_an_unexpected_refusal_still_says_what_failed_and_why() -> None:
    result = CommandResult(ok=False, error=ErrorCode.VALIDATION_ERROR, detail="Oat has run out")
    said = describe(Request(Kind.WALK_UP, customer_name="Zoe"), result)
    assert said.text == "Could not place the walk-up: Oat has run out"
