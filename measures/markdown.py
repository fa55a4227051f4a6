"""Markdown to safe HTML: what an editor types can format text but never run code."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h3",
    "h4",
    "a",
    "code",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
LINK_SCHEMES = {"http", "https", "mailto"}
# A link nh3 took the target from (relative, file:, javascript:, ...): <a> with nothing to go to.
_TARGETLESS_LINK = re.compile(r'<a(?: title="[^"]*")? rel="noopener noreferrer">(.*?)</a>', re.S)


def render_markdown(text: str) -> SafeString:
    """Render Markdown, then keep only harmless tags: raw HTML and scripts are dropped.

    Links go only to http, https or mailto addresses. Anything else, relative links included
    (the PDF would resolve them against the install folder, as file:///…), is printed as text.
    """
    if not text:
        return mark_safe("")
    html = markdown_lib.markdown(text, extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=LINK_SCHEMES,
        url_relative="deny",
        link_rel="noopener noreferrer",
    )
    return mark_safe(_TARGETLESS_LINK.sub(r"\1", cleaned))


class _TextWriter(HTMLParser):
    """Sanitised HTML as the text a reader reads: paragraphs apart, list items marked."""

    BLOCKS = {"p", "ul", "ol", "blockquote", "h3", "h4"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[int] = []  # per open list: 0 for a bullet list, else the next number
        self.item_start = False  # just after a list item's marker: its paragraph starts here

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.BLOCKS and not self.item_start:
            self.parts.append("\n\n")
        self.item_start = False
        if tag in ("ul", "ol"):
            start = dict(attrs).get("start") or "1"
            self.lists.append(int(start) if tag == "ol" and start.isdigit() else 0)
        elif tag == "li":
            number = self.lists[-1] if self.lists else 0
            self.parts.append(f"\n{number}. " if number else "\n– ")
            if number:
                self.lists[-1] += 1
            self.item_start = True
        elif tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        # A newline in the HTML is a soft break, or only between tags: a space either way.
        if data.strip():
            self.item_start = False
        self.parts.append(data.replace("\n", " "))

    def text(self) -> str:
        joined = "".join(self.parts)
        lines = [" ".join(line.split()) for line in joined.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def markdown_text(text: str) -> str:
    """What a reader reads of a Markdown text, as plain text: rendered (so neither Markdown
    nor HTML source), paragraphs apart by a blank line, list items on their own lines."""
    writer = _TextWriter()
    writer.feed(render_markdown(text))
    writer.close()
    return writer.text()
