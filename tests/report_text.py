"""What a reader sees in a report page, and the checks that it is all in one language:
used by the report language tests (unit and browser)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# words a Chinese page may show in Latin letters: units, standards, the product name
LATIN_OK = {
    "tco2",
    "tce",
    "kwh",
    "mwh",
    "gj",
    "nm3",
    "kwp",
    "co2",
    "kgce",
    "m³",
    "m²",
    "greenpark",
    "sha",
    "gb",
    "ghg",
    "protocol",
    "scope",
    "park",
    "toml",
    "tariff",
    "nox",
    "pp",
    "unit",
    "kwh/m2",
    "m2",
    "kgco2",
    "ncv",
    "ox",
    "a",
    "b",
    "c",
    "d",
}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_./-]*")
FILE = re.compile(r"\.(csv|xlsx|parquet|epw|toml|json|duckdb|txt)$")
CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
VOID = {"br", "meta", "img", "hr", "input", "link", "rect", "circle", "path", "line"}


class _Text(HTMLParser):
    """Text nodes outside ``<style>`` and outside elements marked ``translate="no"``
    (names, codes, file names and citations, shown as written)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: inside a no-translate element?
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        inherited = self.stack[-1] if self.stack else False
        skip = inherited or tag == "style" or dict(attrs).get("translate") == "no"
        self.stack.append(skip)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.texts.append(data.strip())


def _snake(word: str) -> bool:
    """A raw snake_case id (a column id, a setting), not a file name."""
    return "_" in word and word.islower() and not FILE.search(word)


def visible_texts(page: str) -> list[str]:
    parser = _Text()
    parser.feed(page)
    return parser.texts


def english_in_chinese(page: str) -> list[str]:
    """Text nodes of a Chinese page that are an English sentence or word (Latin words
    that are not units, codes or names, and no Chinese character) or carry a raw
    snake_case id such as a column id."""
    bad = []
    for text in visible_texts(page):
        words = WORD.findall(text)
        if any(_snake(w) for w in words):
            bad.append(text)
            continue
        if CJK.search(text):
            continue
        prose = [
            w
            for w in words
            if w.lower() not in LATIN_OK and not re.search(r"\d|[A-Z]{2}|_", w) and len(w) > 1
        ]
        if len(prose) >= 2 or any(w.islower() and len(w) >= 4 for w in prose):
            bad.append(text)
    return bad


def chinese_in_english(page: str) -> list[str]:
    """Text nodes of an English page with Chinese characters or a snake_case id."""
    return [
        t for t in visible_texts(page) if CJK.search(t) or any(_snake(w) for w in WORD.findall(t))
    ]


def raw_status_ids(text: str) -> list[str]:
    """The stored status ids with an underscore (``not_met``, ``insufficient_data`` ...)
    that ``text`` shows as words: statuses people read go through the label catalogue
    (``not met``). Finding codes and park.toml keys (``green_power.vintage``,
    ``[zero_carbon] key``) are not words here."""
    from greenpark.core.labels import STATUS

    ids = [s for s in STATUS if "_" in s]
    return [s for s in ids if re.search(rf"(?<![\w.\[]){re.escape(s)}(?![\w.\]])", text)]
