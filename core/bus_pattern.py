"""Event patterns: which events a bus subscriber wants, in the spirit of EventBridge rules.

A pattern is a mapping from envelope fields (`type`, `store`, `order_id`, `actor`, `origin`,
`id`, `causation_id`) to a list of accepted values, and from `data` to a mapping of the
same shape (nested mappings reach nested data):

    {"type": ["OrderPlaced"], "data": {"item": ["flat-white", {"prefix": "latte"}]}}

A field matches when any entry of its list matches; an event matches when every field of
the pattern does. An entry is a plain value (equality), `{"prefix": "…"}`,
`{"anything-but": [values]}` (present and none of them) or `{"exists": true|false}`. A
missing field counts as null. An empty pattern matches every event.

Patterns are checked and compiled once, when subscribing, into a plain predicate, so that
matching on the hot path is a few dictionary lookups.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Any

from core.events import EVENT_TYPES

Pattern = Mapping[str, Any]
Predicate = Callable[[Any], bool]
Getter = Callable[[Any], Any]
Check = tuple[Getter, Predicate]

ENVELOPE_FIELDS = frozenset({"id", "store", "type", "order_id", "actor", "origin", "causation_id"})
_SCALARS = (str, int, float, bool, type(None))


class PatternError(ValueError):
    """A pattern that cannot be used; the message says which field and why."""


def event_types(pattern: Pattern | None) -> frozenset[str] | None:
    """The event types a pattern can match (None: any), for routing by type."""
    if not pattern or "type" not in pattern:
        return None
    wanted = pattern["type"]
    if isinstance(wanted, list) and all(isinstance(t, str) for t in wanted):
        return frozenset(wanted)
    return None  # operators on `type`: route every type, the predicate decides


def compile_pattern(pattern: Pattern | None) -> Predicate | None:
    """A predicate on events, or None when routing by `event_types(pattern)` alone decides."""
    if pattern is None:
        return None
    if not isinstance(pattern, Mapping):
        raise PatternError("a pattern is a mapping of fields to lists of values")
    routed_by_type = event_types(pattern) is not None
    checks: list[Check] = []
    for key, wanted in pattern.items():
        if key == "data":
            if not isinstance(wanted, Mapping):
                raise PatternError("data: must be a mapping of data fields")
            checks.extend(_data_checks(wanted, ("data",)))
        elif key in ENVELOPE_FIELDS:
            check = (attrgetter(key), _field(wanted, key))
            if key == "type":
                unknown = [t for t in wanted if isinstance(t, str) and t not in EVENT_TYPES]
                if unknown:
                    raise PatternError(f"type: unknown event type {unknown[0]!r}")
                if routed_by_type:
                    continue  # the bus only offers events of these types: no need to look again
            checks.append(check)
        else:
            raise PatternError(f"{key}: not an event field (use one of {sorted(ENVELOPE_FIELDS)} or data)")
    if not checks:
        return None
    return _all([_check(get, ok) for get, ok in checks])


# Predicates are composed from small closures rather than looped over (`all(...)` with a
# generator costs about a microsecond more per subscriber).


def _check(get: Getter, ok: Predicate) -> Predicate:
    return lambda event: ok(get(event))


def _all(predicates: list[Predicate]) -> Predicate:
    if len(predicates) == 1:
        return predicates[0]
    first, rest = predicates[0], _all(predicates[1:])
    return lambda event: first(event) and rest(event)


def _any(predicates: list[Predicate]) -> Predicate:
    if len(predicates) == 1:
        return predicates[0]
    first, rest = predicates[0], _any(predicates[1:])
    return lambda value: first(value) or rest(value)


def _data_checks(spec: Mapping[str, Any], path: tuple[str, ...]) -> list[Check]:
    checks: list[Check] = []
    for key, wanted in spec.items():
        where = (*path, str(key))
        if isinstance(wanted, Mapping):
            checks.extend(_data_checks(wanted, where))
        else:
            checks.append((_data_path(where[1:]), _field(wanted, ".".join(where))))
    return checks


def _data_path(keys: tuple[str, ...]) -> Getter:
    if len(keys) == 1:
        (key,) = keys
        return lambda event: event.data.get(key)

    def get(event: Any) -> Any:
        value: Any = event.data
        for key in keys:
            if not isinstance(value, dict):
                return None
            value = value.get(key)
        return value

    return get


def _field(wanted: Any, where: str) -> Predicate:
    """One field's list of accepted entries, as a predicate on the field's value."""
    if not isinstance(wanted, list) or not wanted:
        raise PatternError(f"{where}: must be a non-empty list of values or operators")
    literals = frozenset(v for v in wanted if isinstance(v, _SCALARS))
    operators = [_operator(v, where) for v in wanted if not isinstance(v, _SCALARS)]
    if literals:
        operators.insert(0, _member_of(literals))
    return _any(operators)


def _member_of(literals: frozenset[Any]) -> Predicate:
    def member(value: Any) -> bool:
        try:
            return value in literals
        except TypeError:  # an unhashable value (a mapping in data) equals no literal
            return False

    return member


def _operator(entry: Any, where: str) -> Predicate:
    if not isinstance(entry, Mapping) or len(entry) != 1:
        raise PatternError(f"{where}: {entry!r} is neither a value nor one operator")
    ((name, argument),) = entry.items()
    if name == "prefix" and isinstance(argument, str):
        return lambda value: isinstance(value, str) and value.startswith(argument)
    if name == "anything-but":
        excluded = argument if isinstance(argument, list) else [argument]
        if not all(isinstance(v, _SCALARS) for v in excluded):
            raise PatternError(f"{where}: anything-but takes values")
        banned = _member_of(frozenset(excluded))
        return lambda value: value is not None and not banned(value)
    if name == "exists" and isinstance(argument, bool):
        return lambda value: (value is not None) is argument
    raise PatternError(f"{where}: unknown operator {name!r} or bad argument {argument!r}")
