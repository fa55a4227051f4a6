"""Markdown to safe HTML: what an editor types can format text but never run code."""

from __future__ import annotations

import re

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
