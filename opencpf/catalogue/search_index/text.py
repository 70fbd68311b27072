"""Text analysis: what a document's text and a user's words become before tantivy sees them.

French analyzer (lower case, accents folded, French stop words, Snowball stemmer); feminine job titles folded to
the masculine (they do not share a stem); the query syntax is not for the public (only words and phrases).
"""

import functools
import re

import tantivy

# Feminine job titles share the masculine's stem: "développeuse" finds "développeur", "conductrice" "conducteur".
_WORD = re.compile(r"\w+")
_FEMININE_ENDINGS = (
    ("euses", "eurs"),
    ("euse", "eur"),
    ("trices", "teurs"),
    ("trice", "teur"),
    ("iennes", "iens"),
    ("ienne", "ien"),
    ("ières", "iers"),
    ("ière", "ier"),
    ("gères", "gers"),
    ("gère", "ger"),
    ("chères", "chers"),
    ("chère", "cher"),
)


@functools.lru_cache(maxsize=200_000)
def _masculine(word: str) -> str | None:
    lower = word.lower()
    for feminine, masculine in _FEMININE_ENDINGS:
        if lower.endswith(feminine) and len(lower) - len(feminine) >= 2:
            return word[: len(word) - len(feminine)] + masculine
    return None


_INTRA_WORD_HYPHEN = re.compile(r"(?<=\w)[-‐‑–](?=\w)")
# Query syntax is not for the public: keep letters, digits, apostrophes and double quotes (phrases).
_QUERY_NOISE = re.compile(r"[^\w\s'’\"]+")


def fold_gender(text: str) -> str:
    """The text with feminine job titles replaced by the masculine ones (for queries)."""
    changed = {word: masculine for word in set(_WORD.findall(text)) if (masculine := _masculine(word))}
    if not changed:
        return text
    return _WORD.sub(lambda match: changed.get(match.group(0), match.group(0)), text)


_FEMININE_HINTS = ("euse", "trice", "ienne", "ière", "gère", "chère")


def prepare_text(text: str) -> str:
    """A document's text with the masculine forms of its feminine words added (the analyzer splits hyphens)."""
    text = text or ""
    lower = text.lower()
    if not any(hint in lower for hint in _FEMININE_HINTS):
        return text
    masculines = {masculine for word in set(_WORD.findall(text)) if (masculine := _masculine(word))}
    return f"{text}\n{' '.join(sorted(masculines))}" if masculines else text


def prepare_query_text(text: str) -> str:
    """User words, made safe for the query parser: no syntax but phrases, hyphens split, feminine forms folded."""
    text = _QUERY_NOISE.sub(" ", fold_gender(_INTRA_WORD_HYPHEN.sub(" ", (text or "").lower())))
    if text.count('"') % 2:
        text = text.replace('"', " ")
    return " ".join(text.split())


def french_analyzer() -> tantivy.TextAnalyzer:
    """Lower case, accents folded, French stop words, French (Snowball) stemmer; splits on non-alphanumerics."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stopword("french"))
        .filter(tantivy.Filter.stemmer("french"))
        .build()
    )


ANALYZER = french_analyzer()
