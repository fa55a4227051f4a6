"""Lists of organisations as Norwegian prose: "A, B og C", "A, B m.fl."."""

from __future__ import annotations


def as_prose(names: list[str], more: str = "") -> str:
    """Names and a free-text remainder as one line of prose: "A, B og C", "A, B m.fl."."""
    return "".join(f"{sep}{item}" for sep, item in join_parts(names, more))


def join_parts(items: list, more: str = "") -> list[tuple[str, object]]:
    """Pair each item with the separator before it, as Norwegian prose lists them.

    "A, B og C" without a remainder; with one, "A, B, private utbyggjarar" or "A, B m.fl.".
    """
    parts: list[object] = [*items, more] if more else list(items)
    separators = ["", *[", "] * (len(parts) - 1)][: len(parts)]
    if more and items and more.startswith("m.fl."):
        separators[-1] = " "
    elif not more and len(parts) > 1:
        separators[-1] = " og "
    return list(zip(separators, parts, strict=True))
