"""Legal references point to one article, and each parameter has one name across file, field and deadline."""

import dataclasses
import re
from urllib.parse import parse_qs, urlparse

import pytest

from opencpf.dossiers import rules
from opencpf.dossiers.params import parameter_name
from opencpf.dossiers.rules import DossierParameters
from opencpf.parameters import all_citations, all_parameters
from opencpf.rights.rules import YearParameters

# "art. L6323-11", "art. R6323-3-1", "art. R6323" (the preliminary section's single article)
ARTICLE_NUMBER = re.compile(r"[LRD]\d{3,4}(?:-\d+)*")
ARTICLE = re.compile(rf"\bart\. ({ARTICLE_NUMBER.pattern})\b")
LEGIARTI = re.compile(r"^https://www\.legifrance\.gouv\.fr/(?:codes|loda)/article_lc/LEGIARTI\d{12}/?$")
SEARCH = "https://www.legifrance.gouv.fr/search/code"
# Where the law sets no date, the operator's published calendar (a service-public.fr page), next to an article.
PUBLISHED_CALENDAR = re.compile(r"^https://www\.service-public\.fr/particuliers/vosdroits/F\d+$")


def every_reference():
    for name, parameter in all_parameters().items():
        for period in parameter.periods:
            for reference in period.references:
                yield f"{name} at {period.start}", reference
    for name, reference in all_citations().items():
        yield f"_references.yaml {name}", reference


REFERENCES = list(every_reference())


def test_a_published_calendar_is_cited_next_to_an_article():
    for name, parameter in all_parameters().items():
        for period in parameter.periods:
            if any(PUBLISHED_CALENDAR.match(reference.href) for reference in period.references):
                assert any(article_of_link(reference.href) for reference in period.references), name


def article_of_link(href: str) -> str | None:
    """The article a link opens: its LEGIARTI id, or the article number of a Légifrance article search."""
    if LEGIARTI.match(href):
        return href
    url = urlparse(href)
    if f"{url.scheme}://{url.netloc}{url.path}" == SEARCH:
        query = parse_qs(url.query)
        article = query.get("query", [""])
        if query.get("searchField", ["NUM_ARTICLE"]) == ["NUM_ARTICLE"] and len(article) == 1:
            return article[0] if ARTICLE_NUMBER.fullmatch(article[0]) else None
    return None


@pytest.mark.parametrize(("where", "reference"), REFERENCES, ids=[where for where, _ in REFERENCES])
def test_a_reference_names_an_article_and_links_to_it(where, reference):
    if PUBLISHED_CALENDAR.match(reference.href) and "calendrier publié" in reference.title:
        return
    assert ARTICLE.search(reference.title), f"{where}: «{reference.title}» names no article"
    target = article_of_link(reference.href)
    assert target, f"{where}: {reference.href} is not the link of one article (chapter, whole code or page)"
    if not target.startswith("https://"):
        assert target == ARTICLE.search(reference.title).group(1), f"{where}: the link opens another article"


@pytest.mark.parametrize(
    "href",
    [
        "https://www.legifrance.gouv.fr/codes/section_lc/LEGITEXT000006072050/LEGISCTA000006178205/",
        "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006072050/",
        "https://www.legifrance.gouv.fr/codes/id/LEGITEXT000006072050/",
        "https://www.moncompteformation.gouv.fr/espace-public/conditions-generales-dutilisation",
        "https://www.legifrance.gouv.fr/search/code?tab_selection=code&searchField=ALL&query=formation",
        "https://www.legifrance.gouv.fr/search/code?tab_selection=code&searchField=NUM_ARTICLE&query=formation",
        "https://www.legifrance.gouv.fr/search/all?query=d%C3%A9cret%202025-1156",
    ],
)
def test_a_chapter_a_whole_code_or_a_page_is_not_an_article(href):
    assert article_of_link(href) is None


def test_each_field_of_a_training_file_is_the_parameter_of_the_same_name():
    parameters = all_parameters()
    for field in dataclasses.fields(DossierParameters):
        name = parameter_name(field.name)
        assert name in parameters, f"DossierParameters.{field.name} has no file {name}.yaml"
        assert name.rsplit("/", 1)[1] == field.name


def test_each_field_of_a_year_is_the_rights_parameter_of_the_same_name():
    parameters = all_parameters()
    for field in dataclasses.fields(YearParameters):
        if field.name != "year":
            assert f"rights/{field.name}" in parameters, f"YearParameters.{field.name} has no file"


def test_a_delay_in_days_gives_the_date_of_the_same_name():
    """`<act>_days` → `rules.<act>_before` (or `_until`, or the date itself): the deadline carries the delay's name."""
    delays = [field.name for field in dataclasses.fields(DossierParameters) if field.name.endswith("_days")]
    assert len(delays) >= 6
    for delay in delays:
        act = delay.removesuffix("_days")
        assert any(hasattr(rules, name) for name in (f"{act}_before", f"{act}_until", act)), (
            f"no date named after {delay}"
        )
