"""Documentation judged by what it says, not only by what it is called.

- `name_words`: a file name as the words a person reads in it ("HowToSetup.md" is "how to setup",
  "SOFD_Core-Batchkørsler.docx" is "sofd core batchkørsler"), so the topic words of the checks match CamelCase and
  separated names alike.
- `doc_entries`: the documentation of a repository (Repository.docs) with those words, its headings and its title,
  computed once per repository for all the topic checks.
- `readme_purpose`: whether a README says what the solution does and for whom (the `purpose-described` check),
  from its prose: sentences outside code blocks, tables of short cells and lists of commands, read for words about
  the people it serves and about what it does for them, with templates ("This project was bootstrapped with Create
  React App"), licence boilerplate, badges, commands and endpoints set aside as no purpose. No single word
  decides; the result says what did (`basis`).
"""

import re
import weakref
from dataclasses import dataclass, field

from .repository import HEADING, OFFICE_DOCS, RST_UNDERLINE, TEXT_DOCS

TITLED_DOCS = (*OFFICE_DOCS, ".pdf")

# --- Names as words -----------------------------------------------------------------------------------------

CAMEL = re.compile(r"(?<=[a-zæøåäöü0-9])(?=[A-ZÆØÅÄÖÜ])|(?<=[A-ZÆØÅÄÖÜ])(?=[A-ZÆØÅÄÖÜ][a-zæøåäöü])")
SEPARATORS = re.compile(r"[\s_.,;:+()\[\]{}–—-]+")


def name_words(name: str) -> str:
    """The words of a file name without its extension, CamelCase and separators split, in lower case."""
    stem = name.rsplit("/", 1)[-1]
    if "." in stem[1:]:
        stem = stem.rsplit(".", 1)[0]
    return SEPARATORS.sub(" ", CAMEL.sub(" ", stem)).strip().lower()


def _folder_words(path: str) -> str:
    folders = path.split("/")[1:-1]
    return " ".join(SEPARATORS.sub(" ", CAMEL.sub(" ", folder)).strip().lower() for folder in folders)


@dataclass
class DocEntry:
    path: str
    lower: str
    words: str
    folder_words: str  # of the folders inside the documentation folder ("docs/drift/index.md": "drift")
    _headings: list | None = field(default=None, repr=False)

    def headings(self, repo) -> list[tuple[int, str]]:
        """(line, heading in lower case) of a text document; [] for others."""
        if self._headings is None:
            self._headings = (
                [(line, heading.lower()) for line, heading in repo.headings(self.path)]
                if self.lower.endswith(TEXT_DOCS)
                else []
            )
        return self._headings


_ENTRIES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def doc_entries(repo) -> list[DocEntry]:
    entries = _ENTRIES.get(repo)
    if entries is None:
        entries = [DocEntry(path, path.lower(), name_words(path), _folder_words(path)) for path in repo.docs]
        _ENTRIES[repo] = entries
    return entries


# --- What a README says -------------------------------------------------------------------------------------

# Headings under which a README describes the purpose. The strong ones need one sentence of prose under them,
# the weak ones (a "Description" can be of an API) a sentence about what the solution does or for whom.
STRONG_PURPOSE_HEADING = re.compile(
    r"\b(formål|formaal|purpose|about|om løsningen|om projektet|om systemet|om produktet|what is(?! where)|"
    r"hvad er(?! hvor)|baggrund|background|vision|why)\b",
    re.IGNORECASE,
)
WEAK_PURPOSE_HEADING = re.compile(
    r"\b(introduction|introduktion|overview|overblik|beskrivelse|description|features|funktioner)\b", re.IGNORECASE
)
# Sections whose prose is about building, running or using the code, not about the solution's purpose.
TECHNICAL_HEADING = re.compile(
    r"\b(install|setup|set-up|set up|opsætning|build|byg|develop|udvikl|deploy|test|api|endpoint|config|konfig|usage|"
    r"brug af koden|contribut|bidrag|licen[cs]|copyright|requirement|krav til|prerequisite|dependenc|afhængig|"
    r"run|kør|docker|script|command|kommando|environment|miljø|changelog|release|troubleshoot|faq)",
    re.IGNORECASE,
)
# Text that project generators write, not the authors.
TEMPLATE = re.compile(
    r"bootstrapped with|create react app|generated (with|by) (the )?\[?angular cli|"
    r"this template should help|this is a \[?next\.js\]? project|welcome to your new|"
    r"edit (src/app|app/page|pages/index)|vite \+ (react|vue)|governance checkliste|"
    r"a short description of (the|your) project|replace this (readme|text)"
)  # searched in lower case (faster than IGNORECASE)
BOILERPLATE = re.compile(
    r"licen[cs]|copyright|spdx-|all rights reserved|\(c\)\s*\d{4}|©|build status|coverage|badge"
)  # searched in lower case
COMMAND_START = {
    "npm", "yarn", "pnpm", "npx", "pip", "pip3", "pipenv", "poetry", "python", "python3", "docker", "docker-compose",
    "git", "cd", "make", "mvn", "gradle", "dotnet", "composer", "php", "curl", "wget", "sudo", "apt", "apt-get",
    "kubectl", "helm", "node", "cargo", "bundle", "rails", "java", "sh", "bash", "uv", "ng", "export", "source",
}  # fmt: skip
IMPERATIVE_START = {
    "run", "install", "build", "clone", "start", "open", "copy", "create", "add", "set", "configure", "execute",
    "navigate", "go", "make", "use", "edit", "change", "update", "type", "enter", "download", "launch", "deploy",
    "remember", "note", "ensure", "kør", "installer", "byg", "klon", "åbn", "kopier", "opret", "tilføj", "sæt",
    "konfigurer", "brug", "hent", "rediger", "skift", "opdater", "udfyld", "indtast", "gå", "husk", "bemærk",
}  # fmt: skip
TECHNICAL_WORDS = frozenset(
    """api apis endpoint endpoints json xml yaml yml http https jwt token docker container containers database db
    sql postgres postgresql mysql mariadb npm yarn node port localhost env environment variable variables config
    configuration build compile deploy backend frontend server client library package packages dependency
    dependencies framework module repository branch commit script scripts cli command commands request response
    parameter parameters header headers schema migration migrations debug webpack react angular vue django spring
    maven gradle typescript javascript java python php nestjs kotlin dotnet rest graphql swagger openapi kubernetes
    helm redis rabbitmq keycloak saml oauth oidc ldap url urls folder directory file files install installation run
    test tests""".split()  # noqa: SIM905 - words read better as words
)
# Who a solution serves. Strong: public-sector people and bodies; weak: users in general.
STRONG_AUDIENCE = re.compile(
    r"^(borger\w*|kommun\w*|medarbejder\w*|sagsbehandler\w*|myndighed\w*|forvaltning\w*|institution\w*|"
    r"skole\w*|elever\w*|lærer\w*|pædagog\w*|virksomhed\w*|organisation\w*|region\w*|ledere?|lederne|personale\w*|"
    r"offentlige?|citizens?|residents?|municipalit\w*|caseworkers?|employees?|staff|authorit\w*|organi[sz]ations?|"
    r"schools?|teachers?|students?|pupils?|agenc\w*|councils?|administrators?|administratorer)$"
)
WEAK_AUDIENCE = re.compile(r"^(brugere|brugerne|brugeren|bruger|users?|people|personer|folk|kunder?|customers?)$")
# What a solution does for them.
PURPOSE_TERMS = re.compile(
    r"^(løsning\w*|system\w*|platform\w*|værktøj\w*|applikation\w*|hjælpe\w*|hjælper|understøtte\w*|sikre\w*|"
    r"muliggør\w*|mulighed\w*|mulig|formål\w*|behov\w*|opgave\w*|digitali\w*|automati\w*|overblik\w*|håndter\w*|"
    r"administrer\w*|styr\w*|giver|lette\w*|effektivi\w*|solution\w*|tool\w*|application\w*|helps?|helping|"
    r"enables?|allows?|provides?|supports?|purpose|needs?|manag\w*|automat\w*|overview|used|designed|aims?|goals?|"
    r"problems?|makes?|lets?|simplif\w*|easier|book\w*|apply|ansøg\w*|selvbetjening\w*|service\w*)$"
)
# One match a word: which of the three kinds it is, if any.
WORD_KIND = re.compile(
    rf"(?P<strong>{STRONG_AUDIENCE.pattern})|(?P<weak>{WEAK_AUDIENCE.pattern})|(?P<purpose>{PURPOSE_TERMS.pattern})"
)
WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W\d_]+)*")
LIST_ITEM = re.compile(r"^\s*([-*+]|\d{1,3}[.)])\s+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^\W\d_])")
STRONG_HEADING_MIN_WORDS = 3
PROSE_MIN_WORDS = 15
LONG_PROSE_WORDS = 100


@dataclass
class Unit:
    """A sentence, a list item or a table cell of a README, with what it was judged to be."""

    line: int
    section: int  # index into the headings; -1 before the first
    kind: str  # "descriptive" | "technical" | "template" | "boilerplate" | "short"
    words: int = 0
    strong: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    purpose: int = 0


@dataclass
class Purpose:
    basis: str | None  # "heading" | "prose" | None (no purpose described)
    line: int | None = None
    heading: str = ""
    prose_words: int = 0
    audience: list[str] = field(default_factory=list)
    technical: int = 0
    code_blocks: int = 0
    template: str = ""
    technical_line: int | None = None  # the first command, code block or endpoint

    def details(self) -> dict:
        data = {"basis": self.basis, "prose_words": self.prose_words, "audience": self.audience}
        if self.basis is None:
            data |= {"technical": self.technical, "code_blocks": self.code_blocks, "template": self.template or None}
        return data


IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
MARKUP = re.compile(r"<[^>]*>|https?://\S+|www\.\S+|[*_]{1,3}(?=\w)|(?<=\w)[*_]{1,3}")
CODE_SPAN = re.compile(r"`[^`]+`")


def _clean(text: str) -> tuple[str, int]:
    """The text of a line as a reader sees it (images and badges gone, links as their text, no HTML, addresses
    or emphasis) and the number of inline code spans in it."""
    if "[" in text:
        text = LINK.sub(r"\1", IMAGE.sub(" ", text))
    text = MARKUP.sub(" ", text)
    if "`" not in text:
        return text.strip(), 0
    text, code = CODE_SPAN.subn(" CODE ", text)
    return text.strip(), code


def _judge(text: str, code_spans: int, line: int, section: int) -> Unit:
    unit = Unit(line, section, "short")
    lower = text.lower()
    if TEMPLATE.search(lower):
        unit.kind = "template"
        return unit
    if BOILERPLATE.search(lower):
        unit.kind = "boilerplate"
        return unit
    words = [w.lower() for w in WORD.findall(text) if w != "CODE"]
    unit.words = len(words)
    stripped = text.lstrip("$>#").strip()
    first = stripped.split(None, 1)[0].lower().strip(":,") if stripped.split() else ""
    technical = sum(1 for w in words if w in TECHNICAL_WORDS) + code_spans
    if (
        text.startswith(("$", "/", "./"))
        or first in COMMAND_START
        or re.search(r"\b(GET|POST|PUT|PATCH|DELETE)\s+/", text)
        or first in IMPERATIVE_START
        or (technical >= 2 and technical >= 0.2 * max(len(words), 1))
        or (code_spans and len(words) < 12)
    ):
        unit.kind = "technical"
        return unit
    if len(words) < STRONG_HEADING_MIN_WORDS:
        return unit
    unit.kind = "descriptive"
    for word in words:
        found = WORD_KIND.match(word)
        if found is None:
            continue
        if found.lastgroup == "strong":
            unit.strong.append(word)
        elif found.lastgroup == "weak":
            unit.weak.append(word)
        else:
            unit.purpose += 1
    return unit


def _read(text: str) -> tuple[list[tuple[int, int, str]], list[Unit], list[int]]:
    """(headings as (line, level, text), units, the first line of each code block) of a Markdown or
    reStructuredText README."""
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group().count("\n"), text, flags=re.DOTALL)
    headings: list[tuple[int, int, str]] = []
    units: list[Unit] = []
    code_blocks: list[int] = []
    fence = None
    paragraph: list[tuple[int, str]] = []
    previous_blank = True
    indented = False

    def flush():
        if not paragraph:
            return
        start = paragraph[0][0]
        joined, code = _clean(" ".join(line for _n, line in paragraph))
        for sentence in SENTENCE_END.split(joined):
            units.append(_judge(sentence, code, start, len(headings) - 1))
            code = 0  # the code spans are charged to the first sentence only
        paragraph.clear()

    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence):
                fence = None
            continue
        if stripped.startswith(("```", "~~~")):
            flush()
            fence = stripped[:3]
            code_blocks.append(n)
            continue
        if not stripped:
            flush()
            previous_blank = True
            continue  # (an indented code block goes on after a blank line)
        heading = HEADING.match(line)
        if heading:
            flush()
            headings.append((n, len(line.lstrip().split(None, 1)[0]), heading.group(1)))
            previous_blank = False
            continue
        if RST_UNDERLINE.match(line):
            if len(paragraph) == 1 and len(stripped) >= len(paragraph[0][1].strip()):
                level = {"=": 1, "-": 2}.get(stripped[0], 3)
                headings.append((paragraph[0][0], level, paragraph[0][1].strip()))
                paragraph.clear()
            else:
                flush()
            previous_blank = False
            continue
        if line.startswith(("    ", "\t")) and (indented or (previous_blank and not paragraph)):
            if not indented:  # an indented code block
                code_blocks.append(n)
            indented = True
            continue
        indented = False
        if stripped.startswith("|") or stripped.count("|") >= 2:
            flush()
            # A table: a cell that is a sentence of its own counts as prose (OS2's governance tables describe
            # the solution's value in their cells); short cells (parameters, endpoints) are no prose.
            for cell in stripped.strip("|").split("|"):
                cleaned, code = _clean(cell)
                if len(WORD.findall(cleaned)) >= 8:
                    units.append(_judge(cleaned, code, n, len(headings) - 1))
            previous_blank = False
            continue
        item = LIST_ITEM.match(line)
        if item:
            flush()
            cleaned, code = _clean(line[item.end() :])
            units.append(_judge(cleaned, code, n, len(headings) - 1))
            previous_blank = False
            continue
        if stripped.startswith(">"):
            stripped = stripped.lstrip("> ")
        paragraph.append((n, stripped))
        previous_blank = False
    flush()
    return headings, units, code_blocks


def _section_units(headings, units, index) -> list[Unit]:
    """The units of a heading's section, its subsections included."""
    level = headings[index][1]
    end = next((j for j in range(index + 1, len(headings)) if headings[j][1] <= level), len(headings))
    return [u for u in units if index <= u.section < end]


_READMES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def readme(repo, path: str) -> "Purpose":
    """What the README at `path` says (readme_purpose), once per repository: the purpose and the technical
    documentation checks both ask."""
    cache = _READMES.setdefault(repo, {})
    if path not in cache:
        cache[path] = readme_purpose(repo.text(path) or "")
    return cache[path]


def readme_purpose(text: str) -> Purpose:
    return _purpose(text)


def _purpose(text: str) -> Purpose:
    headings, units, code_blocks = _read(text)
    purpose = _judge_purpose(text, headings, units)
    technical = [u.line for u in units if u.kind == "technical"]
    purpose.technical, purpose.code_blocks = len(technical), len(code_blocks)
    purpose.technical_line = min(technical + code_blocks, default=None)
    return purpose


def _judge_purpose(text, headings, units) -> Purpose:
    descriptive = [u for u in units if u.kind == "descriptive"]
    # 1. A section that says it is the purpose, with prose under it.
    for index, (line, _level, heading) in enumerate(headings):
        strong = STRONG_PURPOSE_HEADING.search(heading)
        if not strong and not WEAK_PURPOSE_HEADING.search(heading):
            continue
        prose = [u for u in _section_units(headings, units, index) if u.kind == "descriptive"]
        enough = (
            bool(prose)
            if strong
            else any(u.strong or u.weak or u.purpose for u in prose) or sum(u.words for u in prose) >= PROSE_MIN_WORDS
        )
        if enough:
            return Purpose("heading", line, heading, sum(u.words for u in prose), _audience(prose))
    # 2. Prose about the solution outside the sections on building, running and using the code.
    technical_sections = {i for i, (_l, _v, heading) in enumerate(headings) if TECHNICAL_HEADING.search(heading)}
    prose = [u for u in descriptive if not _under(headings, u.section, technical_sections)]
    words = sum(u.words for u in prose)
    # The people and what the solution does for them in one sentence ("Løsningen hjælper sagsbehandlere med
    # ..."), not a user named in passing ("The frontend for employees is located in GitHub").
    linked = [u for u in prose if (u.strong or u.weak) and u.purpose]
    weak = sum(len(u.weak) for u in prose)
    audience = any(u.strong for u in prose) or weak
    if (words >= PROSE_MIN_WORDS and linked and (any(u.strong for u in linked) or weak >= 2)) or (
        words >= LONG_PROSE_WORDS and (audience or sum(u.purpose for u in prose) >= 2)
    ):
        first = linked[0] if linked else next((u for u in prose if u.strong or u.weak), prose[0])
        return Purpose("prose", first.line, "", words, _audience(prose))
    template = next((u for u in units if u.kind == "template"), None)
    return Purpose(
        None, prose_words=words, audience=_audience(prose), template=_template_phrase(text) if template else ""
    )


def _under(headings, section: int, chosen: set[int]) -> bool:
    """Whether a unit of `section` lies in the section of a chosen heading (or a subsection of one)."""
    index = section
    while index >= 0:
        if index in chosen:
            return True
        level = headings[index][1]
        index = next((j for j in range(index - 1, -1, -1) if headings[j][1] < level), -1)
    return False


def _audience(units: list[Unit]) -> list[str]:
    """The words about the people the solution serves, as they were written (at most ten)."""
    found: list[str] = []
    for unit in units:
        for word in unit.strong + unit.weak:
            if word not in found:
                found.append(word)
    return found[:10]


def _template_phrase(text: str) -> str:
    found = TEMPLATE.search(text.lower())  # lower() keeps the positions of these (ASCII) phrases
    return text[found.start() : found.end()] if found else ""
