"""Every Nynorsk string the interface shows is Nynorsk, spelt one way (issue 13, item 9).

The strings are read where they are written: the `nn` catalogue (the project's msgids and the
translations that fill gaps in Django's own), the text of every template (tags and template
syntax stripped; the plan's own texts are data and not in templates), and the string literals
the apps pass to gettext, to messages and to the errors a user reads. Each is checked for
Bokmål forms, for the spellings the project chose where Nynorsk allows two, for plurals made
by hand, and for states named as actions.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
APPS = ("bygdevekst", "access", "measures", "budget", "money", "reporting")

# Bokmål forms that are not Nynorsk, with the Nynorsk the project writes. Whole words, any case.
BOKMAL = {
    "ikke": "ikkje",
    "hva": "kva",
    "hvis": "viss/om",
    "hvor": "kvar/kor",
    "hvordan": "korleis",
    "hvorfor": "kvifor",
    "hvem": "kven",
    "hvilke": "kva for",
    "hvilken": "kva for",
    "hvilket": "kva for",
    "hver": "kvar",
    "hvert": "kvart",
    "noen": "nokon",
    "noe": "noko",
    "mye": "mykje",
    "mer": "meir",
    "flere": "fleire",
    "bare": "berre",
    "kun": "berre",
    "fra": "frå",
    "frem": "fram",
    "vært": "vore",
    "være": "vere",
    "vera": "vere (the project's spelling)",
    "gjøre": "gjere",
    "gjør": "gjer",
    "ble": "vart/blei",
    "kommer": "kjem",
    "vet": "veit",
    "selv": "sjølv",
    "uten": "utan",
    "siden": "sidan",
    "mens": "medan",
    "ennå": "enno",
    "allerede": "alt/allereie",
    "fortsatt": "framleis",
    "disse": "desse",
    "dere": "de",
    "deres": "dykkar",
    "jeg": "eg",
    "egen": "eigen",
    "eget": "eige",
    "hjem": "heim",
    "uke": "veke",
    "måned": "månad",
    "måneder": "månader",
    "bruker": "brukar",
    "brukere": "brukarar",
    "kilde": "kjelde",
    "kilder": "kjelder",
    "hendelse": "hending",
    "innhold": "innhald",
    "avtalene": "avtalane",
    "avtaler": "avtalar",
    "partene": "partane",
    "delmålene": "delmåla",
    "tiltakene": "tiltaka",
    "vedtakene": "vedtaka",
    "endringer": "endringar",
    "endringene": "endringane",
    "kommuner": "kommunar",
    "organisasjoner": "organisasjonar",
    "handlingsplaner": "handlingsplanar",
    "planene": "planane",
    "begrunnelse": "grunngjeving",
    "begrunnelsen": "grunngjevinga",
    "samarbeidspartner": "samarbeidspart",
    "samarbeidspartnere": "samarbeidspartar",
    "endret": "endra",
    "endrede": "endra",
    "opprettet": "oppretta",
    "lagret": "lagra",
    "slettet": "sletta",
    "avsluttet": "avslutta",
    "startet": "starta",
    "lastet": "lasta",
    "hentet": "henta",
    "vises": "blir vist",
    "vedtatt": "vedteke",
    "godkjente": "godkjende",
    "velg": "vel",
}
# Whole families: hoved- (hovud-), frem- (fram-), behandl- (handsam-), begrunn- (grunngj-), and
# the Bokmål adjective ending -lig (Nynorsk -leg: ansvarleg, tidlegare, mogleg).
BOKMAL_PATTERNS = {
    r"hoved\w*": "hovud-",
    r"frem\w+": "fram-",
    r"behandl\w*": "handsam- (the project writes «handsaming»)",
    r"begrunn\w*": "grunngjev-",
    r"\w{2,}lig(?:e|ere|st|ste|vis)?": "-leg",
}
# Where Nynorsk allows two spellings, the project writes the first; the second is flagged.
CHOSEN = {"vera": "vere", "mogeleg": "mogleg", "korfor": "kvifor", "vert": "blir"}
# «godkjent» is the supine (har godkjent); the state of a plan or decision is «godkjend».
SUPINE = re.compile(r"\b(?:har|ha|hadde)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
# States are named as states, never with the verb of the step that leads to them.
IMPERATIVES = {"send", "godkjenn", "start", "registrer", "avslutt", "slett", "lagre", "rett", "les"}


# The participle of «sende» is «sendt» («er sendt», «blir sendt tilbake», «ikkje sendt»); «send»
# is the imperative only («Send handlingsplanen», «rett han og send han»).
SEND_AS_STATE = re.compile(
    r"\b(?:er|blir|bli|vart|blei|vere|vore|ikkje)\s+(?:\w+\s+)?send\b(?!\s+(?:han|ho|dei|det)\b)"
    r"|\bog\s+send\s+(?:til|på|tilbake)\b",
    re.IGNORECASE,
)


def send_as_state(text: str) -> list[str]:
    """«send» where the state or participle «sendt» is meant, as found."""
    return [match.group(0) for match in SEND_AS_STATE.finditer(text)]


def _word_pattern() -> re.Pattern:
    words = sorted((re.escape(w) for w in BOKMAL), key=len, reverse=True)
    alternatives = [*words, *BOKMAL_PATTERNS]
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


WORDS = _word_pattern()


def bokmal_forms(text: str) -> list[str]:
    """The Bokmål forms (and the spellings not chosen) in one Nynorsk text, as found."""
    text = re.sub(r"%\(\w+\)[sd]|\{\{.*?\}\}|\{\w*\}|https?://\S+", " ", text)
    found = [m.group(0) for m in WORDS.finditer(text)]
    found += [w for w in re.findall(r"[\wæøå]+", text, re.IGNORECASE) if w.lower() in CHOSEN]
    for match in re.finditer(r"\bgodkjent\b", text, re.IGNORECASE):
        if not SUPINE.search(text[: match.start()]):
            found.append(match.group(0) + " (state: godkjend)")
    return sorted(set(found))


def hand_made_plurals(text: str) -> list[str]:
    """A count written beside a plural noun outside ngettext: «(1 celler», «1 endringar»."""
    counts = (
        r"(?:(?<![\w.,])1|%\(\w*(?:count|counter|number|n)\w*\)[sd]|%d"
        r"|\{\{ ?(?:counter|count) ?\}\})"
    )
    return re.findall(counts + r"\s+[a-zæøå]{3,}(?:ar|er|ane|ene)\b", text, re.IGNORECASE)


# --- where the strings are ------------------------------------------------------------------


def _unquote(text: str) -> str:
    return ast.literal_eval('"' + text + '"')


def catalogue_strings() -> list[tuple[str, str]]:
    """(where, text) of each msgid and msgstr of the nn catalogue the interface reads.

    A gap entry of Django's own catalogue has an English msgid; only its msgstr is Nynorsk.
    """
    path = ROOT / "locale/nn/LC_MESSAGES/django.po"
    found, entry, key = [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            found += _entry_strings(entry)
            entry, key = {}, None
        elif line.startswith("#"):
            entry.setdefault("comments", []).append(line)
        elif line.startswith("msg"):
            key, _, rest = line.partition(" ")
            entry[key] = _unquote(rest.strip()[1:-1])
        elif line.startswith('"') and key:
            entry[key] += _unquote(line.strip()[1:-1])
    return found


def _entry_strings(entry: dict) -> list[tuple[str, str]]:
    if not entry.get("msgid"):
        return []  # the header
    comments = entry.get("comments", [])
    where = next((c[3:] for c in comments if c.startswith("#: ")), "django-gaps")
    from_django = any(c.startswith("#. from django") for c in comments)
    keys = [k for k in entry if k.startswith("msgstr")]
    if not from_django:
        keys += [k for k in ("msgid", "msgid_plural") if k in entry]
    plural = " [ngettext]" if "msgid_plural" in entry else ""
    return [(f"nn catalogue ({where}){plural}", entry[k]) for k in keys]


def template_text(source: str) -> str:
    """What a template shows in its own words: translated literals and the text between tags."""
    source = re.sub(r"\{#.*?#\}", " ", source, flags=re.DOTALL)
    source = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", " ", source, flags=re.DOTALL)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.DOTALL | re.IGNORECASE)
    literals = re.findall(r"\{%\s*(?:translate|trans)\s+(\"[^\"]*\"|'[^']*')", source)
    literals += re.findall(r"\{%\s*[^%]*?\b_\((\"[^\"]*\"|'[^']*')\)", source)
    source = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.DOTALL)
    attributes = re.findall(r"\b(?:aria-label|title|alt|placeholder)=\"([^\"{]*)\"", source)
    source = re.sub(r"<[^>]*>", " ", source)
    return "\n".join([source, *attributes, *(literal[1:-1] for literal in literals)])


def template_strings() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in {".html", ".txt", ".svg"}:
            text = template_text(path.read_text(encoding="utf-8"))
            found += [(str(path.relative_to(ROOT)), line) for line in text.splitlines()]
    return found


TRANSLATORS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "_lazy"}
MESSAGES = {"error", "success", "info", "warning", "debug", "add_message", "message_user"}
SHOWN_ERRORS = {"ValidationError", "PermissionDenied", "Http404", "WorkflowError", "Refusal"}


def python_strings() -> list[tuple[str, str]]:
    """String literals passed to gettext, to messages, or to an error a user reads."""
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _shows_text(n)]
            counted = {
                id(const)
                for call in calls
                if _called(call).startswith("ngettext")
                for const in ast.walk(call)
            }
            for call in calls:
                for const in ast.walk(call):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str):
                        plural = " [ngettext]" if id(const) in counted else ""
                        where = f"{path.relative_to(ROOT)}:{const.lineno}{plural}"
                        found[where, const.value] = True
    return list(found)


def _called(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _shows_text(call: ast.Call) -> bool:
    func, name = call.func, _called(call)
    if name in TRANSLATORS or name in SHOWN_ERRORS:
        return True
    owner = func.value if isinstance(func, ast.Attribute) else None
    on_messages = isinstance(owner, ast.Name) and owner.id in {"messages", "modeladmin", "self"}
    return name in MESSAGES and on_messages


def every_string() -> list[tuple[str, str]]:
    return catalogue_strings() + template_strings() + python_strings()


def _report(hits: list[str]) -> str:
    return f"{len(hits)} found:\n" + "\n".join(hits[:200])


# --- the scanner itself can fail ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Avtalene dine", ["Avtalene"]),
        ("Dette er ikke lagret", ["ikke", "lagret"]),
        ("Hvis du vil, kan du vera med", ["Hvis", "vera"]),
        ("Godkjent", ["Godkjent (state: godkjend)"]),
        ("Handlingsplanen er godkjent av KDD", ["godkjent (state: godkjend)"]),
        ("Skriv begrunnelse for hovedansvarlig", ["begrunnelse", "hovedansvarlig"]),
        ("Tidligere samarbeidspartnere", ["Tidligere", "samarbeidspartnere"]),
        ("Send tilbake fra KDD", ["fra"]),
    ],
)
def test_the_scanner_finds_bokmal(text, expected):
    assert bokmal_forms(text) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Avtalane dine",
        "Alle partane har godkjent handlingsplanen.",
        "Alle partane må ha godkjent handlingsplanen før KDD kan godkjenne han.",
        "Godkjend av KDD. Ingen tiltak er endra, oppretta eller sletta sidan i går.",
        "Skriv grunngjeving for kvart tiltak; det skal vere med i tilbakemeldinga frå %(name)s.",
        "Hovudansvarleg, samarbeidspartar og innhald: sjå {{ url }} eller https://fra.no/ikke",
        "Kven skal gjere kva, og korleis? Berre éin kan vere ansvarleg.",
    ],
)
def test_the_scanner_lets_nynorsk_be(text):
    assert bokmal_forms(text) == []


def test_the_scanner_finds_plurals_made_by_hand():
    assert hand_made_plurals("(1 celler endra)") == ["1 celler"]
    assert hand_made_plurals("%(count)d endringar i %(year)s") == ["%(count)d endringar"]
    assert hand_made_plurals("1 celle endra, %(year)s er år") == []


def test_the_scanner_reads_templates_without_their_syntax():
    source = (
        '{% load i18n %}{# hvis ikke #}<p title="Fra KDD">{% translate "Ikke lagret" %} '
        "{{ plan.hva }} <span>Noen</span></p>{% if hver %}{% endif %}"
    )
    text = template_text(source)
    assert bokmal_forms(text) == ["Fra", "Ikke", "Noen", "lagret"]


# --- the interface --------------------------------------------------------------------------


def test_the_strings_are_found():
    """The scan reads all three sources, so a clean result means something."""
    strings = every_string()
    sources = {re.split(r"[ /]", where)[0] for where, _ in strings}
    assert {"nn", "templates", "reporting", "access", "measures", "budget"} <= sources
    assert len(strings) > 1500


# Headings the report takes word for word from the approved Handlingsplan 2025
# (fixtures/handlingsplan-2025-kjelde.txt, checked by tests/test_source_text.py): the document
# KDD approved keeps its own wording.
SOURCE_WORDING = {"8. Handlingsplanen er godkjent av"}


def test_no_bokmal_in_the_interface():
    hits = [
        f"{where}: {', '.join(forms)} in {text.strip()[:90]!r}"
        for where, text in every_string()
        if text.strip() not in SOURCE_WORDING and (forms := bokmal_forms(text))
    ]
    assert not hits, _report(hits)


def test_counts_go_through_ngettext():
    """«1 celle endra», «2 celler endra»: a count beside a noun is a plural form, never by hand."""
    hits = [
        f"{where}: {text.strip()[:90]!r}"
        for where, text in every_string()
        if hand_made_plurals(text) and not where.endswith("[ngettext]")
    ]
    counted = re.compile(r"\|pluralize|\|length\s*\}\}\s*[a-zæøå]{3,}(?:ar|er|ane|ene)\b")
    pluralize = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        for match in counted.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not hits and not pluralize, _report(hits + pluralize)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Handlingsplan 2026 er send til godkjenning.", ["er send"]),
        ("Kvifor blir handlingsplanen send tilbake?", ["blir handlingsplanen send"]),
        ("Handlingsplanen er ikkje send.", ["er ikkje send"]),
        ("Han er retta og send på nytt.", ["og send på"]),
        ("Handlingsplanen er sendt tilbake og sendt på nytt.", []),
        ("Send handlingsplan 2026 til godkjenning", []),
        ("Rett handlingsplanen og send han til godkjenning på nytt.", []),
        ("KDD sende handlingsplanen tilbake.", []),
    ],
)
def test_the_scanner_finds_send_for_sendt(text, expected):
    assert send_as_state(text) == expected


def test_sent_is_one_word_sendt():
    """«er sendt», «blir sendt tilbake»: one form of the participle everywhere, never «send»."""
    hits = [
        f"{where}: {', '.join(found)} in {text.strip()[:90]!r}"
        for where, text in every_string()
        if (found := send_as_state(text))
    ]
    assert not hits, _report(hits)


def test_states_are_named_as_states():
    """A revision that waits for decisions is «Til politisk handsaming», not «Send til ...»."""
    from reporting.models import Approval, MeasureProgress, Revision, RevisionEvent

    with translation.override("nn"):
        labels = [
            str(label)
            for choices in (Revision.Status, Approval.Decision, RevisionEvent.Kind)
            for label in choices.labels
        ] + [str(label) for label in MeasureProgress.State.labels]
    wrong = [
        label for label in labels if label.split()[0].lower() in IMPERATIVES or bokmal_forms(label)
    ]
    assert not wrong, wrong
    assert str(Revision.Status.SUBMITTED.label) != "Send til godkjenning"
    assert len(set(labels[:4])) == 4, "each state of a revision has its own name"
