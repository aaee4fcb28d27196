"""The event-stream parser reads what the backend (and any SSE server) sends."""

from core.sync.sse import SseMessage, SseParser


def feed_all(parser: SseParser, text: str) -> list[SseMessage]:
    return [m for line in text.split("\n") if (m := parser.feed(line)) is not None]


def test_a_message_carries_its_id_type_and_data() -> None:
    messages = feed_all(SseParser(), 'id: 7\nevent: OrderPlaced\ndata: {"a": 1}\n\n')
    assert messages == [SseMessage(event="OrderPlaced", data='{"a": 1}', id="7")]


def test_comments_are_keepalives_and_make_no_message() -> None:
    parser = SseParser()
    assert feed_all(parser, ": keep-alive\n\n: connected\n\n") == []


def test_data_lines_join_and_the_space_after_the_colon_is_optional() -> None:
    messages = feed_all(SseParser(), "data:first\ndata: second\n\n")
    assert messages == [SseMessage(event="message", data="first\nsecond", id=None)]


def test_the_last_id_carries_over_to_later_messages() -> None:
    parser = SseParser()
    messages = feed_all(parser, "id: 3\ndata: x\n\ndata: y\n\n")
    assert [m.id for m in messages] == ["3", "3"]
    assert parser.last_id == "3"


def test_unknown_fields_and_retry_are_ignored() -> None:
    messages = feed_all(SseParser(), "retry: 100\nfoo: bar\nevent: A\ndata: z\n\n")
    assert messages == [SseMessage(event="A", data="z", id=None)]


def test_a_message_split_across_reads_is_completed_by_the_blank_line() -> None:
    parser = SseParser()
    assert parser.feed("event: OrderClaimed") is None
    assert parser.feed("data: {}") is None
    assert parser.feed("") == SseMessage(event="OrderClaimed", data="{}", id=None)
