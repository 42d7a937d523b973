"""HTML body -> plain text within a size budget: a small stdlib HTMLParser converter."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Characters of HTML converted: a person's words come first, so 100k characters (~50 pages of
# prose once the markup is gone) hold them; the rest of a 300 kB newsletter is layout.
MAX_HTML = 100_000

_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript", "svg", "xml"})
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt",
        "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "ul",
    }
)
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_BLANK_RUN = re.compile(r"\n{3,}")


class _Converter(HTMLParser):
    """Text with a line break per block and "> " before quoted (blockquote) lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line: list[str] = []
        self.skip = 0
        self.quote = 0
        self.pre = 0
        self.href: list[str] = []

    def _break(self) -> None:
        text = "".join(self.line).strip()
        self.line = []
        prefix = "> " * self.quote
        if text:
            self.lines.append(prefix + text)
        elif self.lines and self.lines[-1] != prefix.rstrip():
            self.lines.append(prefix.rstrip())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "br":
            self._break()
        elif tag in _BLOCK:
            self._break()
            if tag == "blockquote":
                self.quote += 1
            elif tag == "pre":
                self.pre += 1
            elif tag == "li":
                self.line.append("- ")
            elif tag in ("td", "th") and self.line:
                self.line.append(" ")
        elif tag == "a":
            self.href.append(dict(attrs).get("href") or "")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and not self.skip:
                self.line.append(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self._break()
            if tag == "blockquote":
                self.quote = max(0, self.quote - 1)
            elif tag == "pre":
                self.pre = max(0, self.pre - 1)
        elif tag == "a" and self.href:
            href = self.href.pop()
            # Keep a link's target when the text does not say it: a colleague's address
            # behind their name is what a registration needs.
            text = "".join(self.line)
            target = href.split(":", 1)[1].split("?", 1)[0] if ":" in href else href
            if href.startswith("mailto:") and target and target not in text:
                self.line.append(f" <{target}>")
            elif href.startswith("http") and href not in text:
                self.line.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            pieces = data.split("\n")
            self.line.append(pieces[0])
            for piece in pieces[1:]:
                self._break()
                self.line.append(piece)
            return
        self.line.append(_SPACES.sub(" ", data))

    def text(self) -> str:
        self._break()
        return _BLANK_RUN.sub("\n\n", "\n".join(self.lines)).strip() + "\n"


def html_to_text(html: str, limit: int = MAX_HTML) -> str:
    """Readable text of an HTML body, reading at most `limit` characters of it."""
    converter = _Converter()
    try:
        converter.feed(html[:limit])
        converter.close()
        return converter.text()
    except Exception:  # noqa: BLE001 - pathological markup: strip the tags instead
        return _SPACES.sub(" ", re.sub(r"<[^>]+>", " ", html[:limit])).strip()
