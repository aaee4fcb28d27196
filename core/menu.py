"""The menu: drinks, their options, and what has run out."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Option(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=60)
    choices: tuple[str, ...]
    default: str
    unavailable: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _spell_as_choices(cls, raw: Any) -> Any:
        """`default` and `unavailable` take the choices' own spelling (matched without regard
        to case), so an order never carries "oat" where the menu says "Oat"."""
        if not isinstance(raw, dict) or not isinstance(raw.get("choices"), list | tuple):
            return raw
        spelling = {c.casefold(): c for c in raw["choices"] if isinstance(c, str)}
        raw = dict(raw)
        if isinstance(raw.get("default"), str):
            raw["default"] = spelling.get(raw["default"].casefold(), raw["default"])
        if isinstance(raw.get("unavailable"), list | tuple):
            gone = [spelling.get(g.casefold(), g) if isinstance(g, str) else g for g in raw["unavailable"]]
            if all(isinstance(g, str) for g in gone):  # anything else: the field's own error
                raw["unavailable"] = tuple(dict.fromkeys(gone))
        return raw

    @model_validator(mode="after")
    def _check(self) -> Option:
        if not self.choices:
            raise ValueError(f"option {self.id!r} has no choices")
        folded = [c.casefold() for c in self.choices]
        if len(set(folded)) != len(folded):
            raise ValueError(f"option {self.id!r} has duplicate choices")
        if self.default not in self.choices:
            raise ValueError(f"option {self.id!r}: default {self.default!r} is not one of its choices")
        for gone in self.unavailable:
            if gone not in self.choices:
                raise ValueError(f"option {self.id!r}: unavailable {gone!r} is not one of its choices")
        return self

    def choice(self, value: str) -> str | None:
        """The menu's spelling of `value` (matched without regard to case), or None."""
        wanted = value.casefold()
        return next((c for c in self.choices if c.casefold() == wanted), None)

    def is_available(self, choice: str) -> bool:
        return choice.casefold() not in {c.casefold() for c in self.unavailable}


class MenuItem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=60)
    available: bool = True
    options: tuple[Option, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> MenuItem:
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"item {self.id!r} has duplicate option ids")
        return self

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class Menu(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    items: tuple[MenuItem, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Menu:
        ids = [i.id for i in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate item ids")
        return self

    def item(self, item_id: str) -> MenuItem | None:
        return next((i for i in self.items if i.id == item_id), None)


class MenuError(ValueError):
    """An order's drink does not fit the menu."""


def resolve_drink(menu: Menu, item_id: str, options: dict[str, str]) -> tuple[MenuItem, dict[str, str]]:
    """Check a drink against the menu; return the item and every option filled in.

    Option values come back in the menu's own spelling; missing options take their default.
    """
    item = menu.item(item_id)
    if item is None:
        raise MenuError(f"unknown item {item_id!r}")
    if not item.available:
        raise MenuError(f"{item.name} has run out")
    chosen: dict[str, str] = {}
    for option_id, value in options.items():
        option = item.option(option_id)
        if option is None:
            raise MenuError(f"{item.name} has no option {option_id!r}")
        if not isinstance(value, str):
            raise MenuError(f"option {option_id!r} must be a string")
        spelled = option.choice(value)
        if spelled is None:
            raise MenuError(f"{value!r} is not a choice of {option.name}")
        if not option.is_available(spelled):
            raise MenuError(f"{spelled} has run out")
        chosen[option.id] = spelled
    for option in item.options:
        if option.id not in chosen:
            if not option.is_available(option.default):
                raise MenuError(f"{option.default} has run out: choose the {option.name}")
            chosen[option.id] = option.default
    return item, {o.id: chosen[o.id] for o in item.options}


def with_item_available(menu: Menu, item_id: str, available: bool) -> Menu:
    """The menu with one item marked available or run out."""
    if menu.item(item_id) is None:
        raise MenuError(f"unknown item {item_id!r}")
    items = tuple(i.model_copy(update={"available": available}) if i.id == item_id else i for i in menu.items)
    return Menu(items=items)


def with_choice_available(menu: Menu, option_id: str, choice: str, available: bool) -> Menu:
    """The menu with one option choice marked available or run out in every item offering it."""
    touched = False
    items = []
    for item in menu.items:
        options = []
        for option in item.options:
            spelled = option.choice(choice) if option.id == option_id else None
            if spelled is not None:
                touched = True
                gone = [c for c in option.unavailable if c.casefold() != spelled.casefold()]
                if not available:
                    gone.append(spelled)
                option = option.model_copy(update={"unavailable": tuple(gone)})
            options.append(option)
        items.append(item.model_copy(update={"options": tuple(options)}))
    if not touched:
        raise MenuError(f"no item offers {choice!r} for option {option_id!r}")
    return Menu(items=tuple(items))
