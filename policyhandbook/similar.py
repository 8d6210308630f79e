"""Similar wording: passages that clauses of different councils share.

Councils borrow each other's wording. Two clauses are similar when they share a *passage*: a run of
at least ``MIN_PASSAGE`` words that is the same in both after normalising case, punctuation and
plural endings, tolerating small edits inside it (a word inserted, changed or dropped every few words).
Clauses that merely talk about the same topic share no such passage.

Nothing here is quadratic in clauses. Clauses with the same normalised wording are grouped first
(a *wording* may be shared by many councils); wordings are indexed by their ``SHINGLE``-word shingles,
and only wordings that share enough shingles are aligned, with difflib on their word sequences.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

SHINGLE = 4  # words per shingle in the candidate index
MIN_SHINGLES = 2  # shingles two wordings must share to be aligned
COMMON = 60  # shingles found in more wordings than this are boilerplate, not evidence of copying
MIN_BLOCK = 3  # words: matching runs shorter than this are coincidence ("of the council")
MAX_GAP = 3  # words: an edit of up to this many words inside a passage keeps it one passage
# Set from the five councils: every shared run of 7 words or more is borrowed wording ("such as home
# address and telephone numbers.", "Encourage constructive criticism and deliberation."), while runs of 6
# are stock phrases ("through the use of social media", "they have been asked not to").
MIN_PASSAGE = 7  # matched words a passage needs
MIN_SCORE = 0.1  # the share of the shorter clause's words in shared passages
MOST = 0.8  # from this score, "most of this clause" is shared

_WORD = re.compile(r"\S+")
_STRIP = re.compile(r"[^\w]+")
_POSSESSIVE = re.compile(r"['’]s\W*$")


def normal_word(word: str) -> str:
    """Lower case, no punctuation, and no plural ending: 'Addresses,' -> 'address'."""
    key = _STRIP.sub("", _POSSESSIVE.sub("", word.lower()))
    if len(key) > 4 and key.endswith("es") and key[-3] in "sxz":
        return key[:-2]
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        return key[:-1]
    return key


@dataclass(frozen=True)
class Pair:
    """Two clauses of different councils that share wording. ``shared`` are word spans [start, end) in ``a``."""

    a: str
    b: str
    score: float
    shared: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Family:
    """Clauses joined by shared wording, with the longest passage they share."""

    clauses: tuple[str, ...]  # in handbook order
    councils: int
    passage_clause: str  # the clause whose words show the passage
    passage: tuple[int, int]  # a word span of that clause


# A passage between two wordings: (start, end) in the first's normalised words, the same in the second's, words matched.
Passage = tuple[int, int, int, int, int]


@dataclass(frozen=True)
class Similarity:
    """Similar wording, kept per *wording* (the clauses with the same normalised words), so that a wording
    copied by 80 councils costs 80 entries, not 80 x 79 pairs."""

    wording_of: dict[str, int]  # clause id -> its wording
    members: tuple[tuple[str, ...], ...]  # wording -> its clauses, in handbook order
    links: dict[int, tuple[tuple[int, float, tuple[Passage, ...]], ...]]  # wording -> similar wordings, best first
    council_of: dict[str, str]
    order: dict[str, int]
    where: dict[str, tuple[int, ...]]  # clause id -> index of each normalised word among its words
    families: tuple[Family, ...]

    def similar_to(self, clause_id: str, limit: int | None = None) -> list[tuple[str, float]]:
        """The clauses of other councils sharing wording with a clause, best first: (clause id, score)."""
        found: list[tuple[str, float]] = []
        council = self.council_of[clause_id]
        wording = self.wording_of.get(clause_id)
        if wording is None:
            return found
        for other, score in [(wording, 1.0)] + [(w, sc) for w, sc, _ in self.links.get(wording, ())]:
            for member in self.members[other]:
                if self.council_of[member] != council and member != clause_id:
                    found.append((member, score))
                    if limit is not None and len(found) >= limit:
                        return found
        return found

    def count(self, clause_id: str) -> int:
        """How many clauses of other councils share wording with a clause."""
        return len(self.similar_to(clause_id))

    def shared_spans(self, a: str, b: str) -> tuple[tuple[int, int], ...]:
        """The word spans of ``a`` that it shares with ``b``."""
        wa, wb = self.wording_of[a], self.wording_of[b]
        if wa == wb:
            keys = self.where[a]
            return ((keys[0], keys[-1] + 1),) if keys else ()
        for other, _, passages in self.links.get(wa, ()):
            if other == wb:
                return tuple(sorted((self.where[a][p[0]], self.where[a][p[1] - 1] + 1) for p in passages))
        return ()

    def pairs(self) -> list[Pair]:
        """Pairs for the open data, each once, a before b in handbook order: within a wording, each clause
        with its first clause (of another council); between similar wordings, their first clauses."""
        out: list[Pair] = []
        for n, members in enumerate(self.members):
            first = members[0]
            for member in members[1:]:
                if self.council_of[member] != self.council_of[first]:
                    out.append(self._pair(first, member, 1.0))
            for other, score, _ in self.links.get(n, ()):
                if other > n:
                    a, b = self._representatives(members, self.members[other])
                    if a is not None and b is not None:
                        out.append(self._pair(a, b, score))
        out.sort(key=lambda p: (self.order[p.a], self.order[p.b]))
        return out

    def _representatives(self, xs: tuple[str, ...], ys: tuple[str, ...]) -> tuple[str | None, str | None]:
        for x in xs:
            for y in ys:
                if self.council_of[x] != self.council_of[y]:
                    return x, y
        return None, None

    def _pair(self, x: str, y: str, score: float) -> Pair:
        a, b = (x, y) if self.order[x] < self.order[y] else (y, x)
        return Pair(a, b, score, self.shared_spans(a, b))


def _normalised(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The non-empty normalised words of a text, and each one's index among its words."""
    keys, where = [], []
    for i, match in enumerate(_WORD.finditer(text)):
        key = normal_word(match.group(0))
        if key:
            keys.append(key)
            where.append(i)
    return tuple(keys), tuple(where)


def align(a: tuple[str, ...], b: tuple[str, ...]) -> list[Passage]:
    """Shared passages of two normalised word lists, ends exclusive. Matching runs of MIN_BLOCK words or
    more, separated by edits of at most MAX_GAP words on either side, are one passage; passages with
    fewer than MIN_PASSAGE matched words are dropped."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size >= MIN_BLOCK]
    passages: list[list[int]] = []
    for block in blocks:
        if passages:
            last = passages[-1]
            if 0 <= block.a - last[1] <= MAX_GAP and 0 <= block.b - last[3] <= MAX_GAP:
                last[1], last[3], last[4] = block.a + block.size, block.b + block.size, last[4] + block.size
                continue
        passages.append([block.a, block.a + block.size, block.b, block.b + block.size, block.size])
    return [(p[0], p[1], p[2], p[3], p[4]) for p in passages if p[4] >= MIN_PASSAGE]


def find(clauses: Iterable[tuple[str, str, str]]) -> Similarity:
    """Similar wording among ``(clause id, council id, text)``, given in handbook order."""
    order: dict[str, int] = {}
    council_of: dict[str, str] = {}
    where: dict[str, tuple[int, ...]] = {}
    by_wording: dict[tuple[str, ...], list[str]] = {}
    for n, (cid, council, text) in enumerate(clauses):
        order[cid], council_of[cid] = n, council
        keys, where[cid] = _normalised(text)
        if len(keys) >= MIN_PASSAGE:
            by_wording.setdefault(keys, []).append(cid)
    wordings = list(by_wording)
    members = tuple(tuple(by_wording[key]) for key in wordings)
    wording_of = {cid: n for n, group in enumerate(members) for cid in group}
    # Index the wordings by shingle; align only those that share enough shingles.
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for n, key in enumerate(wordings):
        for shingle in sorted({key[i : i + SHINGLE] for i in range(len(key) - SHINGLE + 1)}):
            index[shingle].append(n)
    shared_count: dict[tuple[int, int], int] = defaultdict(int)
    for found in index.values():
        if 1 < len(found) <= COMMON:
            for i, x in enumerate(found):
                for y in found[i + 1 :]:
                    shared_count[x, y] += 1
    links: dict[int, list[tuple[int, float, tuple[Passage, ...]]]] = defaultdict(list)
    for (x, y), count in sorted(shared_count.items()):
        if count < MIN_SHINGLES:
            continue
        passages = align(wordings[x], wordings[y])
        if not passages:
            continue
        score = round(min(1.0, sum(p[4] for p in passages) / min(len(wordings[x]), len(wordings[y]))), 3)
        if score < MIN_SCORE:
            continue
        links[x].append((y, score, tuple(passages)))
        links[y].append((x, score, tuple((p[2], p[3], p[0], p[1], p[4]) for p in passages)))
    ranked = {n: tuple(sorted(found, key=lambda link: (-link[1], order[members[link[0]][0]]))) for n, found in links.items()}
    families = _families(members, ranked, council_of, order, where)
    return Similarity(wording_of, members, ranked, council_of, order, where, families)


def _families(members, links, council_of, order, where) -> tuple[Family, ...]:
    """Groups of wordings joined by shared wording (over more than one council), largest first, each
    shown by the longest passage any two of its wordings share."""
    parent = list(range(len(members)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    councils_in = [{council_of[c] for c in group} for group in members]
    for x, found in links.items():
        for y, _, _ in found:
            if len(councils_in[x] | councils_in[y]) == 1:
                continue  # a council repeating its own wording
            rx, ry = root(x), root(y)
            if rx != ry:
                parent[max(rx, ry)] = min(rx, ry)
    groups: dict[int, list[int]] = defaultdict(list)
    for n in range(len(members)):
        groups[root(n)].append(n)
    families = []
    for group in groups.values():
        clauses = sorted((c for n in group for c in members[n]), key=order.__getitem__)
        councils = len({council_of[c] for c in clauses})
        if councils < 2:
            continue
        # The passage: the longest between two wordings of the group, else the whole shared wording.
        best: tuple[int, str, tuple[int, int]] | None = None
        for n in group:
            for _, _, passages in links.get(n, ()):
                for p in passages:
                    length = p[1] - p[0]
                    if best is None or length > best[0]:
                        first = members[n][0]
                        best = (length, first, (where[first][p[0]], where[first][p[1] - 1] + 1))
        if best is None:
            first = clauses[0]
            best = (0, first, (where[first][0], where[first][-1] + 1))
        families.append(Family(tuple(clauses), councils, best[1], best[2]))
    families.sort(key=lambda f: (-f.councils, -len(f.clauses), order[f.clauses[0]]))
    return tuple(families)


def passage_text(text: str, span: tuple[int, int]) -> str:
    """The verbatim slice of a clause's text covered by a word span."""
    spans = [m.span() for m in _WORD.finditer(text)]
    return text[spans[span[0]][0] : spans[span[1] - 1][1]]


def how_much(score: float) -> str:
    """How much is shared, in words for readers."""
    return "most of this clause" if score >= MOST else f"{round(score * 100)}% of the shorter clause’s words"
