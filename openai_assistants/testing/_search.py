"""Deterministic keyword search over vector store files (searchVectorStore and file_search runs).

A file's text is its bytes as UTF-8. Words are runs of letters and digits, lower-cased, with a
plural ``s`` dropped from words of more than three letters (``orbits`` finds ``orbit``); a short
list of English stop words is ignored. A file's score is the share of the query's distinct words
that occur in its text (0..1, four decimals), so a file sharing no word with the query is not a
hit. Ties go to the file with more occurrences, then to the file attached first. Each hit
carries the chunks (by the file's chunking strategy, counting words as tokens) that contain a
query word, at most three.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

__all__ = ["Candidate", "SearchHit", "chunk_text", "matches_filter", "query_words", "rank"]

JSONDict = dict[str, Any]

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\S+")
_STOP_WORDS = frozenset(
    (
        *("a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for"),
        *("from", "has", "have", "how", "i", "in", "is", "it", "its", "me", "my", "of", "on"),
        *("or", "our", "so", "that", "the", "their", "them", "there", "these", "they", "this"),
        *("to", "was", "we", "were", "what", "when", "where", "which", "who", "why", "will"),
        *("with", "you", "your"),
    )
)
#: At most this many chunks per hit.
MAX_CHUNKS = 3


def _normal(word: str) -> str:
    """A lower-cased word without a plural ``s`` (not from ``-ss``, nor short words)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    """Every word of ``text``, normalised."""
    return [_normal(word) for word in _WORD.findall(text.lower())]


def query_words(text: str) -> list[str]:
    """The searchable words of ``text``: stop words dropped, normalised, in first-occurrence
    order, no repeats."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        if word not in _STOP_WORDS:
            seen.setdefault(_normal(word))
    return list(seen)


def chunk_text(text: str, max_tokens: int = 800, overlap: int = 400) -> list[str]:
    """Split ``text`` into windows of ``max_tokens`` whitespace-separated tokens, each starting
    ``max_tokens - overlap`` tokens after the previous one; each chunk is a slice of the text."""
    spans = [match.span() for match in _TOKEN.finditer(text)]
    if not spans:
        return []
    step = max(1, max_tokens - overlap)
    chunks = []
    for start in range(0, len(spans), step):
        window = spans[start : start + max_tokens]
        chunks.append(text[window[0][0] : window[-1][1]])
        if start + max_tokens >= len(spans):
            break
    return chunks


@attrs.frozen
class Candidate:
    """A searchable file: its ids, name, attributes, text and chunking (``static`` sizes)."""

    file_id: str
    filename: str
    text: str
    attributes: JSONDict | None = None
    max_chunk_size_tokens: int = 800
    chunk_overlap_tokens: int = 400


@attrs.frozen
class SearchHit:
    """A ranked file with the chunks that matched."""

    file_id: str
    filename: str
    score: float
    attributes: JSONDict | None
    chunks: tuple[str, ...]


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if op in ("in", "nin"):
        options = expected if isinstance(expected, list) else [expected]
        found = any(actual == option and type(actual) is type(option) for option in options)
        return found if op == "in" else not found
    if op == "eq":
        return bool(actual == expected)
    if op == "ne":
        return bool(actual != expected)
    numeric = (int, float)
    both_numbers = (
        isinstance(actual, numeric)
        and isinstance(expected, numeric)
        and not isinstance(actual, bool)
        and not isinstance(expected, bool)
    )
    if not both_numbers and not (isinstance(actual, str) and isinstance(expected, str)):
        return False
    if op == "gt":
        return bool(actual > expected)
    if op == "gte":
        return bool(actual >= expected)
    if op == "lt":
        return bool(actual < expected)
    return bool(actual <= expected)  # lte


def matches_filter(attributes: JSONDict | None, search_filter: JSONDict | None) -> bool:
    """Whether a file's attributes pass a ComparisonFilter or CompoundFilter.

    A comparison on a key the file lacks does not match (``ne`` and ``nin`` included); values
    of different types are never ordered.
    """
    if search_filter is None:
        return True
    kind = search_filter["type"]
    if kind in ("and", "or"):
        results = (matches_filter(attributes, item) for item in search_filter["filters"])
        return all(results) if kind == "and" else any(results)
    attributes = attributes or {}
    if search_filter["key"] not in attributes:
        return False
    return _compare(kind, attributes[search_filter["key"]], search_filter["value"])


def rank(
    candidates: Iterable[Candidate],
    query: str | Sequence[str],
    *,
    max_results: int,
    search_filter: JSONDict | None = None,
    score_threshold: float = 0.0,
) -> list[SearchHit]:
    """The best files for ``query``, best first (see the module docstring)."""
    text = query if isinstance(query, str) else " ".join(query)
    wanted = query_words(text)
    if not wanted:
        return []
    scored: list[tuple[float, int, int, SearchHit]] = []
    for position, candidate in enumerate(candidates):
        if not matches_filter(candidate.attributes, search_filter):
            continue
        words = _words(candidate.text)
        present = set(words)
        matched = [word for word in wanted if word in present]
        if not matched:
            continue
        score = round(len(matched) / len(wanted), 4)
        if score < score_threshold:
            continue
        occurrences = sum(1 for word in words if word in matched)
        chunks = [
            chunk
            for chunk in chunk_text(
                candidate.text, candidate.max_chunk_size_tokens, candidate.chunk_overlap_tokens
            )
            if set(_words(chunk)) & set(matched)
        ]
        hit = SearchHit(
            candidate.file_id,
            candidate.filename,
            score,
            candidate.attributes,
            tuple(chunks[:MAX_CHUNKS]),
        )
        scored.append((-score, -occurrences, position, hit))
    scored.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in scored[:max_results]]
