"""A command that loses a conflict is told in plain words; one that stood is not."""

from __future__ import annotations

from core.config import StoreConfig
from core.orders import OrderState
from core.projection import Projection
from core.sync.replica import Intent
from core.sync.settle import judge
from tests.sync.factory import History


def fold(history: History, order_id: str) -> OrderState:
    projection = Projection("booth", StoreConfig())
    projection.apply_all(history.events)
    order = projection.order(order_id)
    assert order is not None
    return order


def test_a_claim_lost_to_an_earlier_claim_names_who_is_making_it() -> None:
    history = History()
    order_id = history.order(17)
    history.claim(order_id, "Bob")  # earlier (Bob was offline too and came back later)
    mine = history.add("OrderClaimed", order_id, actor="Ana", data={"barista": "Ana"}, causation_id="c1")
    intent = Intent(mine.causation_id or "", order_id, "claim", "Ana")
    assert judge(intent, fold(history, order_id)) == ("lost", "#17 is being made by Bob")


def test_a_completion_after_the_customer_cancelled_loses() -> None:
    history = History()
    order_id = history.order(42)
    history.cancel(order_id)
    history.add("OrderCompleted", order_id, actor="Ana", data={"barista": "Ana"}, causation_id="c1")
    verdict = judge(Intent("c1", order_id, "complete", "Ana"), fold(history, order_id))
    assert verdict == ("lost", "#42 was cancelled by the customer before you completed it")


def test_a_cancel_after_another_barista_completed_loses() -> None:
    history = History()
    order_id = history.order(5)
    history.complete(order_id, "Bob")
    history.add(
        "OrderCancelled", order_id, actor="Ana", data={"reason": "barista: spilled"}, causation_id="c1"
    )
    verdict = judge(Intent("c1", order_id, "cancel", "Ana"), fold(history, order_id))
    assert verdict == ("lost", "#5 was completed by Bob before you cancelled it")


def test_a_claim_that_holds_is_watched_until_the_order_ends_then_forgotten() -> None:
    history = History()
    order_id = history.order(3)
    history.add("OrderClaimed", order_id, actor="Ana", data={"barista": "Ana"}, causation_id="c1")
    intent = Intent("c1", order_id, "claim", "Ana")
    assert judge(intent, fold(history, order_id)) == ("watch", "")
    history.complete(order_id, "Ana")
    assert judge(intent, fold(history, order_id)) == ("done", "")


def test_a_completion_that_beats_a_later_cancel_stands() -> None:
    history = History()
    order_id = history.order(8)
    history.add("OrderCompleted", order_id, actor="Ana", data={"barista": "Ana"}, causation_id="c1")
    history.cancel(order_id, "barista: duplicate", actor="Bob")
    assert judge(Intent("c1", order_id, "complete", "Ana"), fold(history, order_id)) == ("done", "")


def test_a_claim_on_an_order_the_customer_had_cancelled_says_so() -> None:
    history = History()
    order_id = history.order(9)
    history.cancel(order_id)
    history.add("OrderClaimed", order_id, actor="Ana", data={"barista": "Ana"}, causation_id="c1")
    verdict = judge(Intent("c1", order_id, "claim", "Ana"), fold(history, order_id))
    assert verdict == ("lost", "#9 was cancelled by the customer before you claimed it")
