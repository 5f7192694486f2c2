"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: each item with text becomes a Document.

A feed is XML from elsewhere, so it is parsed without ever expanding what it declares: a DOCTYPE or
entity declaration (the "billion laughs" bomb, external entities) is refused before parsing, since no
news feed needs one. An item's description is an HTML fragment; its text is read with the standard
library's HTML parser, one line per block element.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser

from trucewatch.errors import InputError
from trucewatch.ingest.decode import decode
from trucewatch.ingest.documents import Read, make_document, with_title
from trucewatch.models import Rejection

STAGE = "ingest"
_XML_DECLARATIONS = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                         "blockquote", "tr", "table", "section", "article", "figure", "figcaption"})


class _FragmentText(HTMLParser):
    """The text of an HTML fragment (a feed item's description), one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def fragment_text(markup: str) -> str:
    parser = _FragmentText()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(item: ET.Element, *names: str) -> str | None:
    """The text of the first child named one of ``names`` (any namespace), in ``names`` order."""
    children: dict[str, str] = {}
    for child in item:
        children.setdefault(_local(child.tag), (child.text or "").strip())
    return next((children[name] for name in names if children.get(name)), None)


def _item_link(item: ET.Element) -> str | None:
    for child in item:
        if _local(child.tag) == "link":
            href = child.get("href")  # Atom
            if href and child.get("rel", "alternate") == "alternate":
                return href.strip()
            if child.text and child.text.strip():  # RSS
                return child.text.strip()
    return None


def read_feed(data: bytes, source: str) -> Iterator[Read | Rejection]:
    """An RSS 2.0, RSS 1.0 (RDF) or Atom feed: each item with text becomes a Document."""
    text, warnings = decode(data, source)
    # A DOCTYPE can declare entities that expand exponentially ("billion laughs") or pull in
    # external files; no news feed needs one, so such a file is refused unread.
    if _XML_DECLARATIONS.search(text):
        raise InputError(source, "XML with a DOCTYPE or entity declaration refused (unsafe to expand)")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise InputError(source, f"invalid XML: {e}") from e
    kind = _local(root.tag)
    if kind == "rss":
        channel = next((c for c in root if _local(c.tag) == "channel"), root)
        items = [c for c in channel if _local(c.tag) == "item"]
    elif kind in ("feed", "RDF"):
        channel = root if kind == "feed" else next((c for c in root if _local(c.tag) == "channel"), root)
        items = [c for c in root if _local(c.tag) in ("entry", "item")]
    else:
        raise InputError(source, f"XML file is not an RSS or Atom feed (root element <{kind}>)")
    if not items:
        raise InputError(source, "feed has no items")
    outlet = _child_text(channel, "title")
    for n, item in enumerate(items, 1):
        title = _child_text(item, "title")
        body = fragment_text(_child_text(item, "encoded", "content", "description", "summary") or "")
        if not body:
            yield Rejection(STAGE, f"feed item {n} has no description or content", source)
            continue
        doc = make_document(with_title(body, title), source, source_path=f"{source}#{n}", title=title,
                            url=_item_link(item), outlet=outlet, warnings=warnings)
        yield Read(doc, _child_text(item, "pubDate", "published", "date", "updated"))
