"""Long replies cut into the messages a provider accepts."""

from connectors.channels.text import split_text, utf16_units


def test_short_text_is_one_part() -> None:
    assert split_text("Namaste", 1600) == ["Namaste"]
    assert split_text("   ", 1600) == []


def test_split_prefers_paragraphs_then_lines_then_spaces() -> None:
    assert split_text("aaaa\n\nbb cc\ndd", limit=12) == ["aaaa\n\nbb cc", "dd"]
    assert split_text("aaaa bbbb\ncc dd", limit=12) == ["aaaa bbbb", "cc dd"]
    assert split_text("aaaa bbbb cccc", limit=12) == ["aaaa bbbb", "cccc"]


def test_split_cuts_a_word_too_long_for_one_part() -> None:
    assert split_text("a" * 25, limit=10) == ["a" * 10, "a" * 10, "a" * 5]


def test_telegram_counts_an_emoji_twice() -> None:
    assert utf16_units("₹ 👍") == 4
    parts = split_text("👍" * 7, limit=10, units=utf16_units)
    assert parts == ["👍" * 5, "👍" * 2]
