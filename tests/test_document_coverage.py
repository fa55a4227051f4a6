"""Every fact of the source document of Handlingsplan 2025 can be reached by clicking.

Acceptance criterion: every fact of the document (each sub-goal, each of the 14 measures with its
texts, each organisation, each amount of sections 6 and 7, each date of sections 5 and 8) can be
found by a logged-in user by clicking from the front page.

The tests read the approved document itself (fixtures/handlingsplan-2025-kjelde.txt), not the
seed, crawl the site from "/" as the project leader, and look for each fact in the visible text of
the pages reached. The document was converted from Word, so it is normalised first: its known
typos are corrected as the seed corrects them, quotes become «…», list markers and Markdown
asterisks are dropped, and colons after headings go, because the app shows headings without
them. Where the app words something its own way (an en dash for "-" in periods, the timeframe
"Mogleg å følge opp …"), the expectation is normalised, never skipped.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin

import pytest

from tests.support import SEED_FILE, SOURCE_DOCUMENT, read_yaml

# ---------------------------------------------------------------------------------------------
# The crawler
# ---------------------------------------------------------------------------------------------

SKIPPED_PREFIXES = ("/admin", "/konto/logout", "/static/", "/media/")
HIDDEN_TAGS = {"script", "style", "title", "template"}
INLINE_TAGS = {
    "a",
    "abbr",
    "b",
    "cite",
    "code",
    "em",
    "i",
    "mark",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
}


class PageParser(HTMLParser):
    """Collects the visible text and the link targets of one HTML page."""

    def __init__(self) -> None:
        # convert_charrefs resolves entities exactly as html.unescape would.
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_TAGS:
            self._hidden += 1
        elif tag == "a" and (href := dict(attrs).get("href")):
            self.links.append(href)
        if tag not in INLINE_TAGS:
            self.chunks.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        if tag not in INLINE_TAGS:
            self.chunks.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.chunks.append(data)

    def text(self) -> str:
        """The page's visible text with all whitespace collapsed."""
        return collapse("".join(self.chunks))


def collapse(text: str) -> str:
    """The text with no-break spaces made plain and each run of whitespace made one space."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " ")).strip()


def page_text(html_source: str) -> str:
    """The visible text of an HTML page."""
    parser = PageParser()
    parser.feed(html_source)
    parser.close()
    return parser.text()


@dataclass
class Site:
    """What a crawl found: the visible text of every page, keyed by path and query string."""

    pages: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """All page texts, one a line, so that no match spans two pages."""
        return "\n".join(self.pages.values())

    def page(self, path: str) -> str:
        """The text of the page at path, which the crawl must have reached."""
        assert path in self.pages, f"{path} was not reached from the front page"
        return self.pages[path]

    def under(self, prefix: str) -> str:
        """The texts of the pages whose path starts with prefix, one a line."""
        texts = [text for path, text in self.pages.items() if path.startswith(prefix)]
        assert texts, f"no page under {prefix} was reached from the front page"
        return "\n".join(texts)

    def page_with(self, prefix: str, *needles: str) -> str:
        """The path of the one page under prefix whose text holds every needle."""
        found = [
            path
            for path, text in self.pages.items()
            if path.startswith(prefix) and all(needle in text for needle in needles)
        ]
        assert len(found) == 1, f"expected one page under {prefix} with {needles}, got {found}"
        return found[0]


def link_target(href: str, current: str) -> str | None:
    """The same-site page a link leads to, or None when the crawl should not follow it."""
    if not href.startswith(("/", "?")) or href.startswith("//"):
        return None
    target = urldefrag(urljoin(current, href)).url
    if not target or target.startswith(SKIPPED_PREFIXES):
        return None
    return target


def crawl(client) -> Site:
    """Visit every page reachable from the front page, breadth-first, and keep its text."""
    site = Site()
    queue = deque(["/"])
    seen = {"/"}
    while queue:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        if not response["Content-Type"].startswith("text/html"):
            site.pages[path] = ""
            continue
        parser = PageParser()
        parser.feed(response.content.decode(response.charset or "utf-8"))
        parser.close()
        site.pages[path] = parser.text()
        for href in parser.links:
            target = link_target(href, path)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    return site


_crawls: dict[str, Site] = {}


@pytest.fixture
def site(client, collaborator) -> Site:
    """The seed plan as a reader (a partner) sees it, crawled from the front page.

    A reader gets no editing links, so the crawl walks exactly the reading pages. Every test
    builds the same seed and user, so the first crawl serves the whole module; a test run on
    its own still crawls for itself.
    """
    if "reader" not in _crawls:
        client.force_login(collaborator)
        _crawls["reader"] = crawl(client)
    return _crawls["reader"]


def missing(needles: list[str], haystack: str) -> list[str]:
    """The needles that do not occur in the haystack, in order and without repeats."""
    return list(dict.fromkeys(needle for needle in needles if needle not in haystack))


def report(what: str, absent: list[str]) -> str:
    """A failure message listing every absent item on its own line."""
    return f"{len(absent)} {what} not found:\n" + "\n".join(f"  - {item}" for item in absent)


# ---------------------------------------------------------------------------------------------
# Reading the document
# ---------------------------------------------------------------------------------------------

SECTION_TITLES = {
    1: "Introduksjon",
    2: "Rammer for handlingsplanen",
    3: "Handlingsplan 2025 per delmål",
    4: "Organisering",
    5: "Lokal og regional forankring",
    6: "Fordeling av budsjett for heile avtaleperioden (statleg medfinansiering)",
    7: "Samla budsjett og finansiering for 2025",
    8: "Handlingsplanen er godkjent av",
}

# The document's slips, corrected as the seed corrects them. The bare
# "Bygdevekstavgift" stands for the agreement's name only before "for"; in running text the
# definite form fits the sentence.
TYPO_FIXES = (
    (r"\bBygdevekstavgift for\b", "Bygdevekstavtale for"),
    (r"\b([Bb])ygdevekstavgifta?\b", r"\1ygdevekstavtala"),
    (r"\bkoplur\b", "koplar"),
    (r"\b([Nn])ærings(?:sejane|sssjefane)\b", r"\1æringssjefane"),
    (r"[”“](.*?)[”“]", r"«\1»"),
)

# Inline headings ("Utfordring: For lokale …") that the app shows as a heading of their own.
SECTION_HEADINGS = ("Utfordring", "Utfordringar", "Skildring av tiltaket", "Første steg")

# Lines that are layout of the Word document, or that the app words on its own.
NOT_PROSE = (
    r"Tabell \d+",
    r"Figur \d+",
    r"Tiltak \d+\b.*",  # a measure's heading: its number and title are checked on their own
    r"Delmål \d+: .*",  # a sub-goal's heading: checked with the sub-goal
    r"Prioriteringar 2025",
    r"I 2025 skal følgjande tiltak prioriterast .*",  # the app: "Tiltak i grå skrift blir …"
)

# The app writes the timeframe "next revision" in its own words.
TIMEFRAME_WORDING = {
    "Mogleg å følge opp ved neste rullering": "Mogleg å følge opp ved neste rullering"
}

EN_DASH = "\u2013"  # the app writes periods and ranges with it, the Word document with "-"
AMOUNT = re.compile(r"\d{1,3}(?: \d{3})+")


def fix_typos(text: str) -> str:
    """The text with the document's known slips corrected."""
    for pattern, replacement in TYPO_FIXES:
        text = re.sub(pattern, replacement, text)
    return text


def document_lines() -> list[str]:
    """The lines of the source document."""
    return SOURCE_DOCUMENT.read_text(encoding="utf-8").splitlines()


def sections() -> dict[int, list[str]]:
    """The document's lines per numbered section, 1 to 8, headings excluded."""
    lines = document_lines()
    starts = {}
    for number, title in SECTION_TITLES.items():
        where = [i for i, line in enumerate(lines) if line.strip() == f"{number}. {title}"]
        assert len(where) == 1, f"section heading {number}. {title} found {len(where)} times"
        starts[number] = where[0]
    bounds = [*sorted(starts.values()), len(lines)]
    assert bounds[:-1] == list(starts.values()), "the section headings are out of order"
    return {n: lines[bounds[n - 1] + 1 : bounds[n]] for n in SECTION_TITLES}


def table_rows(lines: list[str]) -> list[list[str]]:
    """The tab-separated rows among lines, each as its stripped cells."""
    return [[cell.strip() for cell in line.split("\t")] for line in lines if "\t" in line]


def normalise_prose(line: str) -> str:
    """A document line as the app shows it: no list marker, asterisks or heading colon."""
    text = collapse(fix_typos(line))
    text = re.sub(r"^(?:[-•]|\d+\.)\s+", "", text)
    text = text.replace("*", "")
    for heading in SECTION_HEADINGS:
        if text.startswith(f"{heading}: "):
            text = f"{heading} {text[len(heading) + 2 :]}"
    return text.removesuffix(":").strip()


def is_prose(line: str) -> bool:
    """Whether a document line is running text, not layout, a table row or a heading."""
    stripped = line.strip()
    return (
        bool(stripped)
        and "\t" not in line
        and not any(re.fullmatch(pattern, stripped) for pattern in NOT_PROSE)
    )


@dataclass(frozen=True)
class MeasureRow:
    """One row of tables 1 to 3: a measure as the document lists it."""

    sub_goal: int
    number: int
    title: str
    timeframe: str


def measure_rows() -> list[MeasureRow]:
    """The measures of tables 1 to 3 of section 3, in document order."""
    rows, sub_goal = [], 0
    for line in sections()[3]:
        if heading := re.match(r"Delmål (\d+): ", line):
            sub_goal = int(heading[1])
        elif "\t" in line and (cells := line.split("\t"))[0].strip().isdigit():
            timeframe = re.sub(r"^(\d{4})-(\d{4})$", rf"\1{EN_DASH}\2", cells[4].strip())
            rows.append(
                MeasureRow(
                    sub_goal,
                    int(cells[0]),
                    fix_typos(cells[1].strip()),
                    TIMEFRAME_WORDING.get(timeframe, timeframe),
                )
            )
    return rows


def prose_by_place() -> list[tuple[str, tuple[int, int] | None]]:
    """Every prose line of sections 1 to 4, with its measure (None: the plan's own text)."""
    found: list[tuple[str, tuple[int, int] | None]] = []
    for number in (1, 2, 3, 4):
        sub_goal, measure = 0, None
        for line in sections()[number]:
            if heading := re.match(r"Delmål (\d+): ", line):
                sub_goal, measure = int(heading[1]), None
            elif heading := re.match(r"Tiltak (\d+)\b", line):
                measure = (sub_goal, int(heading[1]))
            if is_prose(line) and (text := normalise_prose(line)):
                found.append((text, measure))
    return found


def sub_goal_titles() -> list[str]:
    """The three sub-goals as the headings of section 3 name them.

    Section 1's numbered list names them too, but drops the question mark of delmål 2's
    heading ("Korleis få fleire arbeidsplassar i privat sektor?"); the title is the heading's.
    """
    headings = [re.match(r"Delmål \d+: (.*)", line) for line in sections()[3]]
    return [heading[1].strip() for heading in headings if heading]


def main_goals() -> dict[int, str]:
    """Each sub-goal's hovudmål, the sentence after "Hovudmål:" in section 3."""
    goals, sub_goal, waiting = {}, 0, False
    for line in sections()[3]:
        text = line.strip()
        if heading := re.match(r"Delmål (\d+): ", text):
            sub_goal = int(heading[1])
        elif text.startswith("Hovudmål:"):
            waiting = True
            text = text.removeprefix("Hovudmål:").strip()
        if waiting and text:
            goals[sub_goal], waiting = text, False
    return goals


def weights() -> dict[int, int]:
    """The weighting of the sub-goals, from the opening of section 3."""
    text = " ".join(sections()[3])
    match = re.search(r"delmål 1\).* med (\d+) % og dei to andre delmåla med (\d+) % kvar", text)
    assert match, "the weighting sentence of section 3 was not found"
    return {1: int(match[1]), 2: int(match[2]), 3: int(match[2])}


def budget_rows(number: int) -> list[list[str]]:
    """The rows with amounts of section 6 or 7, as their non-empty cells, markers dropped."""
    rows = [
        [cell.removesuffix("*") for cell in cells if cell]
        for cells in table_rows(sections()[number])
    ]
    return [cells for cells in rows if any(AMOUNT.fullmatch(cell) for cell in cells)]


def footnote(number: int) -> str:
    """The footnote of section 6 or 7, marker kept, in the seed's typography."""
    notes = [line.strip() for line in sections()[number] if line.startswith("*")]
    assert len(notes) == 1, f"section {number} should have one footnote, has {notes}"
    return notes[0].replace(" - ", f" {EN_DASH} ")


# ---------------------------------------------------------------------------------------------
# The matching helpers can fail
# ---------------------------------------------------------------------------------------------


def test_the_matching_helper_reports_a_line_that_is_not_on_any_page():
    pages = Site(
        {"/a/": "Avtala vart signert 02.06.2025.", "/b/": f"gjeld i perioden 2025{EN_DASH}2028"}
    )
    needles = ["Avtala vart signert", "signert 02.06.2025. gjeld", "gjeld i perioden 2025-2028"]

    assert missing(needles, pages.text) == needles[1:]


def test_the_page_text_is_the_visible_text_only():
    source = (
        "<html><head><title>Tittel</title><style>p{}</style></head><body>"
        "<h2>Utfordring</h2><p>Eit&nbsp;<em>Skape</em>-teneste &laquo;x&raquo;</p>"
        "<script>var hidden = 1;</script><td>10&#160;800&nbsp;000</td><td>500 000</td></body>"
    )

    assert page_text(source) == "Utfordring Eit Skape-teneste «x» 10 800 000 500 000"


def test_the_document_is_normalised_as_the_seed_corrects_it():
    assert normalise_prose(f"- **Startlån** {EN_DASH} for ”Gøtt nøkk” og “x”:") == (
        f"Startlån {EN_DASH} for «Gøtt nøkk» og «x»"
    )
    assert normalise_prose("Utfordring: For lokale") == "Utfordring For lokale"
    assert normalise_prose("Forankre initiativet i bygdevekstavgift og") == (
        "Forankre initiativet i bygdevekstavtala og"
    )
    assert normalise_prose("Næringssejane i pilotkommunane") == "Næringssjefane i pilotkommunane"
    assert not is_prose("Tiltak 2 Risikoreduserande tiltak ved bustadbygging")


def test_a_link_is_followed_only_within_the_site():
    assert (
        link_target("?ar=2026#x", "/budsjett/vest-telemark/") == "/budsjett/vest-telemark/?ar=2026"
    )
    assert link_target("/avtale/vest-telemark/#delmal-1", "/") == "/avtale/vest-telemark/"
    assert link_target("#innhald", "/") is None
    assert link_target("https://example.org/", "/") is None
    assert link_target("/admin/", "/") is None
    assert link_target("/static/css/bygdevekst.css", "/") is None


# ---------------------------------------------------------------------------------------------
# The facts of the document
# ---------------------------------------------------------------------------------------------


def test_the_crawl_reaches_the_plan_budget_process_measures_and_organisations(site):
    paths = set(site.pages)

    assert "/avtale/vest-telemark/" in paths
    assert any(path.startswith("/budsjett/") for path in paths)
    assert any(path.startswith("/rullering/") for path in paths)
    measure_pages = [p for p in paths if re.fullmatch(r"/avtale/vest-telemark/tiltak/[\w-]+/", p)]
    assert len(measure_pages) == 14


def test_the_agreement_parties_period_and_signing_date_are_shown(site):
    cover = " ".join(line.strip() for line in document_lines()[:12])
    municipalities = re.split(r", | og ", re.search(r"\*\*(.+?)\*\*", cover)[1])
    intro = " ".join(sections()[1])
    state = re.search(r" og (Telemark fylkeskommune) har inngått .* ved (\S+ og \S+) om ", intro)
    parties = [*municipalities, state[1], state[2]]
    period = re.search(r"gjeld i perioden (\d{4})-(\d{4})", intro)
    signed = re.search(r"signert av partane (\d\d\.\d\d\.\d{4})", intro)[1]
    name = fix_typos(re.search(r"Bygdevekstavgift for Vest-Telemark", cover)[0])
    expected = [
        name,
        "Partar " + ", ".join(parties),
        f"Avtaleperiode {period[1]}{EN_DASH}{period[2]}",
        f"Signert {signed}",
    ]

    assert len(municipalities) == 6
    assert not (absent := missing(expected, site.page("/avtale/vest-telemark/"))), report(
        "agreement facts", absent
    )


def test_every_sub_goal_with_its_main_goal_and_weight_is_shown(site):
    plan = site.page("/avtale/vest-telemark/")
    titles, goals, weighting = sub_goal_titles(), main_goals(), weights()
    expected = []
    for number, title in enumerate(titles, start=1):
        expected += [f"Delmål {number}: {title}", f"{number}. {title} {weighting[number]} %"]
        own_section = re.search(
            rf"Delmål {number}: {re.escape(title)} (?:(?!Delmål \d+: ).)*?"
            rf"Hovudmål: {re.escape(goals[number])} Vekting: {weighting[number]} %",
            plan,
        )
        if not own_section:
            expected.append(f"Delmål {number} … Hovudmål: {goals[number]} Vekting: …")

    assert len(titles) == 3 and sorted(weighting.values()) == [20, 20, 60]
    assert not (absent := missing(expected, plan)), report("sub-goal facts", absent)


def test_every_measure_of_tables_1_to_3_has_its_own_page_with_title_and_timeframe(site):
    rows, titles = measure_rows(), sub_goal_titles()
    plan = site.page("/avtale/vest-telemark/")
    absent = []
    for row in rows:
        heading = f"Tiltak {row.sub_goal}.{row.number}: {row.title}"  # as the breadcrumb
        path = site.page_with("/avtale/", heading, f"Delmål {row.sub_goal}: ")
        absent += [
            f"{path}: {fact}"
            for fact in missing(
                [
                    f"Delmål {row.sub_goal}: {titles[row.sub_goal - 1]}",
                    heading,
                    f"Tidsramme {row.timeframe}",
                ],
                site.pages[path],
            )
        ]
        if f"{row.number} {row.title}" not in plan:
            absent.append(f"table {row.sub_goal} of the plan: {row.number} {row.title}")

    assert len(rows) == 14
    assert not absent, report("measure facts", absent)


def test_every_prose_line_of_sections_1_to_4_is_reachable(site):
    lines = [text for text, _ in prose_by_place()]

    assert len(lines) > 200
    assert not (absent := missing(lines, site.text)), report("document lines", absent)


def test_every_measure_text_line_is_on_its_measure_page(site):
    titles = {(row.sub_goal, row.number): row.title for row in measure_rows()}
    absent = []
    for text, place in prose_by_place():
        if place is not None:
            sub_goal, number = place
            path = site.page_with(
                "/avtale/", f"Tiltak {sub_goal}.{number}: {titles[place]}", f"Delmål {sub_goal}: "
            )
            if text not in site.pages[path]:
                absent.append(f"{path}: {text}")

    assert not absent, report("measure text lines", absent)


def test_every_organisation_of_the_plan_has_a_page(site):
    organisations = read_yaml(SEED_FILE.read_text(encoding="utf-8"))["organisations"]
    absent = []
    for organisation in organisations:
        path = f"/avtale/vest-telemark/organisasjonar/{organisation['key']}/"
        if path not in site.pages:
            absent.append(f"{path} was not reached")
        elif organisation["name"] not in site.pages[path]:
            absent.append(f"{path} does not name {organisation['name']}")

    assert not absent, report("organisations", absent)


def test_every_amount_of_sections_6_and_7_is_reachable(site):
    amounts = [
        cell
        for number in (6, 7)
        for cells in budget_rows(number)
        for cell in cells
        if AMOUNT.fullmatch(cell)
    ]

    assert len(amounts) == 39
    assert not (absent := missing(amounts, site.text)), report("amounts", absent)


def test_every_budget_row_of_sections_6_and_7_is_on_the_budget_page_in_order(site):
    budget = site.under("/budsjett/")
    unmarked = budget.replace("*", "")
    rows = [" ".join(cells) for number in (6, 7) for cells in budget_rows(number)]
    # The second header row of section 7 names the financing sources; Word split a long name.
    sources = [
        re.sub(r"(?<=[a-zæøå])-(?=[a-zæøå])", "", cell)
        for cell in table_rows(sections()[7])[1]
        if cell
    ]

    assert len(rows) == 10
    assert not (absent := missing(rows, unmarked)), report("budget rows", absent)
    assert not (absent := missing([" ".join(sources)], budget)), report("sources", absent)
    assert not (absent := missing([footnote(6), footnote(7)], budget)), report("notes", absent)


def test_every_meeting_date_of_section_5_is_on_the_row_of_its_municipality(site):
    process = site.under("/rullering/")
    rows = [
        " ".join(cell.removesuffix(":") for cell in cells) for cells in table_rows(sections()[5])
    ]

    assert len(rows) == 7
    assert not (absent := missing(rows, process)), report("meeting rows", absent)


def test_every_approval_date_of_section_8_is_on_the_row_of_its_party(site):
    process = site.under("/rullering/")
    rows = [" ".join(cells) for cells in table_rows(sections()[8])]

    assert len(rows) == 7
    assert not (absent := missing(rows, process)), report("approval rows", absent)
