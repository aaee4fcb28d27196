"""The menu: resolving a drink against it, and what has run out."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.menu import (
    Menu,
    MenuError,
    MenuItem,
    Option,
    resolve_drink,
    with_choice_available,
    with_item_available,
)
from tests.core.conftest import MENU, MILK

FULL = Menu(items=MENU)


def test_choices_match_without_regard_to_case_and_come_back_as_the_menu_spells_them() -> None:
    item, options = resolve_drink(FULL, "latte", {"size": "lARGE", "milk": "soy"})
    assert item.id == "latte"
    assert list(options.items()) == [("milk", "Soy"), ("size", "Large")]  # the menu's order


def test_left_out_options_take_their_default() -> None:
    assert resolve_drink(FULL, "latte", {})[1] == {"milk": "Whole", "size": "Small"}
    assert resolve_drink(FULL, "americano", {})[1] == {}


@pytest.mark.parametrize(
    ("item", "options", "message"),
    [
        ("mocha", {}, "unknown item 'mocha'"),
        ("Latte", {}, "unknown item 'Latte'"),  # item ids are exact
        ("latte", {"sugar": "yes"}, "Latte has no option 'sugar'"),
        ("latte", {"milk": "Goat"}, "'Goat' is not a choice of Milk"),
        ("latte", {"milk": None}, "option 'milk' must be a string"),
    ],
)
def test_a_drink_off_the_menu_says_what_is_wrong(item: str, options: dict, message: str) -> None:
    with pytest.raises(MenuError, match=message):
        resolve_drink(FULL, item, options)


def test_an_unavailable_item_choice_or_default_is_refused() -> None:
    no_latte = with_item_available(FULL, "latte", False)
    with pytest.raises(MenuError, match="Latte has run out"):
        resolve_drink(no_latte, "latte", {})
    no_whole = with_choice_available(FULL, "milk", "whole", False)
    with pytest.raises(MenuError, match="Whole has run out"):
        resolve_drink(no_whole, "flat-white", {"milk": "WHOLE"})
    with pytest.raises(MenuError, match="Whole has run out: choose the Milk"):
        resolve_drink(no_whole, "flat-white", {})
    assert resolve_drink(no_whole, "flat-white", {"milk": "oat"})[1] == {"milk": "Oat"}


def test_stock_changes_touch_only_what_they_name() -> None:
    no_oat = with_choice_available(FULL, "milk", "OAT", False)
    assert [i.option("milk").unavailable for i in no_oat.items if i.option("milk")] == [("Oat",), ("Oat",)]  # type: ignore[union-attr]
    assert no_oat.item("latte").option("size").unavailable == ()  # type: ignore[union-attr]
    assert with_choice_available(no_oat, "milk", "oat", True) == FULL
    assert with_choice_available(no_oat, "milk", "Oat", False) == no_oat
    assert with_item_available(with_item_available(FULL, "latte", False), "latte", True) == FULL
    with pytest.raises(MenuError, match="unknown item"):
        with_item_available(FULL, "mocha", False)
    with pytest.raises(MenuError, match="no item offers 'Goat'"):
        with_choice_available(FULL, "milk", "Goat", False)
    with pytest.raises(MenuError, match="no item offers"):
        with_choice_available(FULL, "size", "Oat", False)


def test_a_menu_spells_defaults_and_run_out_choices_as_its_choices() -> None:
    option = Option(
        id="milk", name="Milk", choices=("Whole", "Oat"), default="whole", unavailable=("oat", "OAT")
    )
    assert (option.default, option.unavailable) == ("Whole", ("Oat",))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Option(id="m", name="M", choices=(), default="x"), "has no choices"),
        (lambda: Option(id="m", name="M", choices=("A", "a"), default="A"), "duplicate choices"),
        (
            lambda: Option(id="m", name="M", choices=("A",), default="B"),
            "default 'B' is not one of its choices",
        ),
        (
            lambda: Option(id="m", name="M", choices=("A",), default="A", unavailable=("B",)),
            "unavailable 'B'",
        ),
        (
            lambda: Option.model_validate(
                {"id": "m", "name": "M", "choices": ["A"], "default": "A", "unavailable": [{}]}
            ),
            "valid string",
        ),
        (lambda: MenuItem(id="x", name="X", options=(MILK, MILK)), "duplicate option ids"),
        (lambda: Menu(items=(MENU[0], MENU[0])), "duplicate item ids"),
        (lambda: MenuItem(id="", name="X"), "at least 1 character"),
        (lambda: MenuItem(id="x", name="X", price=3), "Extra inputs are not permitted"),
    ],
)
def test_a_malformed_menu_is_refused(build: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        build()  # type: ignore[operator]


def test_a_menu_round_trips_through_json() -> None:
    no_oat = with_choice_available(FULL, "milk", "Oat", False)
    assert Menu.model_validate_json(no_oat.model_dump_json()) == no_oat
