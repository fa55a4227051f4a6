"""Reading the pictures drawn on the server back out of a page, as XML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def pictures(html: str, kind: str) -> list[ET.Element]:
    """Every `<svg class="chart chart--KIND …">` of the page, parsed (so also well-formed)."""
    found = re.findall(rf'<svg [^>]*class="chart chart--{kind}[" ].*?</svg>', html, re.S)
    return [ET.fromstring(svg) for svg in found]


def bars(svg: ET.Element, attribute: str) -> list[ET.Element]:
    """The rects of a picture that carry the data attribute, in drawing order."""
    return [rect for rect in svg.iter(f"{SVG}rect") if attribute in rect.attrib]


def percent(value: str) -> float:
    assert value.endswith("%"), value
    return float(value[:-1])


def text_of(svg: ET.Element) -> str:
    """All the picture's words, its title and description among them."""
    return " ".join(" ".join(element.itertext()) for element in svg)
