"""Topic suggestions for new clauses, learned from the clauses already tagged.

A small, dependency-free classifier: every tagged clause (its words, and the
words of its heading) becomes a TF-IDF vector; a new clause's score for a topic
blends two views of the tagged clauses:

- its nearest neighbours: the similarity-weighted share of the most similar
  tagged clauses that carry the topic;
- the topic's centroid: how close the clause is to the average clause of the
  topic (this helps topics with few examples).

A policy is scored as a whole document (``suggest_all``): clauses under the same
heading tend to share topics, so each clause's scores are then blended with the
mean scores of the other clauses under its heading (``SECTION_WEIGHT`` of the
section's mean, the rest the clause's own). A clause scored alone
(``suggest``) has no section to lean on and keeps its own scores.

Each topic gets its own threshold, learned by leaving one council out at a time
from the training clauses (scored as documents, the same way) and choosing the
threshold that tags that council's clauses best. Every clause gets at least its
best topic. Nothing is downloaded and nothing is written per topic by hand: the
topics' vocabulary comes from the tagged clauses (and, for a topic with no
tagged clause yet, from its title and definition in the taxonomy).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Function words carry no topic; this is a general English list, not a list per topic.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each either etc few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just may me might more most
    must my myself no nor not now of off on once only or other ought our ours ourselves out over own per same shall
    she should so some such than that the their theirs them themselves then there these they this those through to
    too under until up upon us very via was we were what when where whether which while who whom why will with
    within without would you your yours yourself yourselves eg e g ie i e""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")


def stem(word: str) -> str:
    """A light suffix-stripper, so 'councillors' and 'councillor', 'posting' and 'posts' meet."""
    for suffix, repl in (("\u2019s", ""), ("'s", ""), ("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "es" and not word[:-2].endswith(("ss", "sh", "ch", "x", "z")):
                suffix, repl = "s", ""
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: len(word) - len(suffix)] + repl
    return word


def tokens(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS and not w.isdigit()]


def features(text: str, heading: str = "") -> Counter:
    """Bag of features: stemmed words, pairs of neighbouring words, and the heading's words."""
    words = tokens(text)
    bag: Counter = Counter(words)
    bag.update(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    bag.update(f"h:{w}" for w in tokens(heading.replace(" > ", " ")))
    return bag


Vector = dict[str, float]


def _norm(vector: Vector) -> Vector:
    length = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / length for k, v in vector.items()} if length else {}


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


@dataclass(frozen=True)
class Example:
    text: str
    heading: str
    topics: tuple[str, ...]
    group: str = ""  # the council: thresholds are learned leaving one group out
    section: str = ""  # where the clause is in its council's policy (for the evidence)


@dataclass(frozen=True)
class Evidence:
    """A tagged clause a suggestion leans on."""

    council: str
    section: str
    similarity: float  # cosine similarity of the two clauses' TF-IDF vectors
    shared: int = 0  # words of wording the two clauses share (runs of SHINGLE words or more), 0 if none

    def __str__(self) -> str:
        section = self.section if len(self.section) <= 40 else self.section[:38].rstrip() + "…"
        words = f", shares {self.shared} words" if self.shared else ""
        return f"{self.council} {section!r}{words}"


@dataclass(frozen=True)
class Suggestion:
    topic: str
    score: float
    chosen: bool  # above the topic's threshold (or the clause's best topic)
    confidence: str = ""  # "sure", "likely" or "review" for a chosen topic
    evidence: tuple[Evidence, ...] = ()


SHINGLE = 8  # words in a run of shared wording that counts as evidence


def words(text: str) -> list[str]:
    """Lower-case words, for comparing wording (nothing stemmed or left out)."""
    return _WORD.findall(text.lower())


def shingles(text: str, n: int = SHINGLE) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def shared_words(a: Sequence[str], b_shingles: set[tuple[str, ...]], n: int = SHINGLE) -> int:
    """How many of ``a``'s words lie in a run of ``n`` or more words that ``b`` also has."""
    covered = [False] * len(a)
    for i in range(len(a) - n + 1):
        if tuple(a[i : i + n]) in b_shingles:
            covered[i : i + n] = [True] * n
    return sum(covered)


class _Model:
    """TF-IDF vectors, nearest neighbours and centroids over a set of examples."""

    K = 12
    BLEND = 0.6  # weight of the neighbours' vote against the centroid similarity

    DEFINITION_COPIES = 3
    DEFINITION_AS_HEADING = True
    SHARED_BOOST = False  # measured: raising the scores of shared wording made high scores less reliable (see benchmarks/README.md)
    SHARED_MIN = 0.5  # share of a clause's words in runs shared with a tagged clause for its topics to count

    def __init__(self, examples: Sequence[Example], topic_ids: Sequence[str], descriptions: dict[str, str]):
        self.topic_ids = list(topic_ids)
        # Each topic's title and definition from the taxonomy count as tagged examples of it.
        definitions = [Example(descriptions[t], descriptions[t] if self.DEFINITION_AS_HEADING else "", (t,), "") for t in self.topic_ids if descriptions.get(t)]
        self.tagged = len(examples)  # the first ``tagged`` examples are clauses; the rest are definitions
        examples = list(examples) + definitions * self.DEFINITION_COPIES
        self.examples = examples
        self.index: dict[tuple[str, ...], set[int]] = defaultdict(set)
        for i, e in enumerate(examples[: self.tagged]):
            for shingle in shingles(e.text):
                self.index[shingle].add(i)
        bags = [features(e.text, e.heading) for e in examples]
        df: Counter = Counter()
        for bag in bags:
            df.update(bag.keys())
        n = len(bags)
        self.idf = {term: math.log((n + 1) / (count + 1)) + 1.0 for term, count in df.items()}
        self.default_idf = math.log(n + 1) + 1.0
        self.vectors = [self.vector(bag) for bag in bags]
        self.labels = [set(e.topics) for e in examples]
        sums: dict[str, dict[str, float]] = {t: defaultdict(float) for t in self.topic_ids}
        counts: Counter = Counter()
        for vector, labels in zip(self.vectors, self.labels, strict=True):
            for topic in labels:
                if topic in sums:
                    counts[topic] += 1
                    for k, v in vector.items():
                        sums[topic][k] += v
        self.centroids = {t: _norm(dict(s)) for t, s in sums.items()}
        self.prior = {t: counts[t] / n if n else 0.0 for t in self.topic_ids}

    def vector(self, bag: Counter) -> Vector:
        return _norm({term: (1.0 + math.log(tf)) * self.idf.get(term, self.default_idf) for term, tf in bag.items()})

    def neighbours(self, text: str, heading: str) -> list[tuple[float, int]]:
        """The K most similar examples: (similarity, index), most similar first."""
        x = self.vector(features(text, heading))
        return sorted(((_dot(x, v), i) for i, v in enumerate(self.vectors)), key=lambda si: (-si[0], si[1]))[: self.K]

    def sharing(self, text: str) -> dict[int, int]:
        """Tagged clauses that share a run of wording with ``text``: index -> words shared."""
        tokens = words(text)
        candidates: set[int] = set()
        for i in range(len(tokens) - SHINGLE + 1):
            candidates |= self.index.get(tuple(tokens[i : i + SHINGLE]), set())
        return {i: shared_words(tokens, shingles(self.examples[i].text)) for i in sorted(candidates)}

    def evidence(self, text: str, heading: str, topic: str, limit: int = 2) -> tuple[Evidence, ...]:
        """The tagged clauses carrying ``topic`` that the suggestion leans on: shared wording first, then the nearest."""
        shared = self.sharing(text)
        found: list[tuple[int, float, int]] = []
        for i, n in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])):
            if topic in self.labels[i]:
                found.append((i, 0.0, n))
        for sim, i in self.neighbours(text, heading):
            if i < self.tagged and topic in self.labels[i] and sim > 0 and all(i != j for j, _, _ in found):
                found.append((i, sim, shared.get(i, 0)))
        x = self.vector(features(text, heading))
        out = []
        for i, sim, n in found[:limit]:
            e = self.examples[i]
            out.append(Evidence(e.group, e.section, round(sim or _dot(x, self.vectors[i]), 2), n))
        return tuple(out)

    def scores(self, text: str, heading: str) -> dict[str, float]:
        x = self.vector(features(text, heading))
        sims = sorted(((_dot(x, v), i) for i, v in enumerate(self.vectors)), reverse=True)[: self.K]
        weights = [(max(s, 0.0) ** 2, i) for s, i in sims]
        total = sum(w for w, _ in weights) or 1.0
        vote: Counter = Counter()
        for w, i in weights:
            for topic in self.labels[i]:
                vote[topic] += w / total
        result = {}
        for topic in self.topic_ids:
            centroid = _dot(x, self.centroids[topic]) if self.centroids[topic] else 0.0
            result[topic] = self.BLEND * vote[topic] + (1 - self.BLEND) * min(1.0, 2.0 * centroid)
        if self.SHARED_BOOST:
            # Wording shared with a tagged clause is the strongest evidence: its topics score at least
            # as high as the share of this clause's words that the two have in common allows.
            n = max(len(words(text)), 1)
            for i, shared in self.sharing(text).items():
                share = min(1.0, shared / n)
                if share >= self.SHARED_MIN:
                    for topic in self.labels[i]:
                        if topic in result:
                            result[topic] = max(result[topic], 0.5 + 0.5 * share)
        return result

    def document_scores(self, clauses: Sequence[tuple[str, str]], section_weight: float) -> list[dict[str, float]]:
        """Scores for a document's clauses (text, heading), in order, each blended with its section's.

        A clause's section is every other clause with the same heading; a clause alone under its
        heading (or with no heading) keeps its own scores.
        """
        own = [self.scores(text, heading) for text, heading in clauses]
        sections: dict[str, list[int]] = defaultdict(list)
        for i, (_, heading) in enumerate(clauses):
            if heading:
                sections[heading].append(i)
        result = []
        for i, (_, heading) in enumerate(clauses):
            others = [j for j in sections.get(heading, []) if j != i] if heading else []
            if not others or not section_weight:
                result.append(own[i])
                continue
            result.append({t: (1 - section_weight) * own[i][t] + section_weight * sum(own[j][t] for j in others) / len(others) for t in self.topic_ids})
        return result


class Suggester:
    """Suggest topics, with a confidence, for clauses of a new policy."""

    DEFAULT_THRESHOLD = 0.35
    # A chosen topic scoring under this is flagged for review: in the leave-one-council-out
    # benchmark, about a third of such suggestions were right, against two thirds above it.
    REVIEW_BELOW = 0.3
    # In the benchmark, lists the hand tagging kept whole have profiles at 0.5 or more; those
    # it split into separate clauses (a list of risks, each a different topic), near 0.3.
    SPLIT_BELOW = 0.42
    # Share of a clause's scores taken from the mean of the other clauses under its heading. In the
    # leave-one-council-out benchmark, 0.1 to 0.3 all raise micro-F1 from 0.497 to about 0.506.
    SECTION_WEIGHT = 0.2
    # A chosen topic is "sure" from the lowest score at which, tagging each training council by a
    # model of the others, at least this share of chosen topics were right (and at least SURE_SUPPORT
    # of them); ``make bench-ingest`` checks the result on councils the model never saw.
    SURE_PRECISION = 0.95
    SURE_SUPPORT = 10
    SURE_DEFAULT = 0.7  # with too few tagged councils to learn from

    def __init__(self, examples: Sequence[Example], topic_ids: Sequence[str], descriptions: dict[str, str] | None = None):
        self.topic_ids = list(topic_ids)
        self.descriptions = descriptions or {}
        self.model = _Model(examples, self.topic_ids, self.descriptions)
        self.sure_at = self.SURE_DEFAULT
        self.thresholds = self._learn_thresholds(examples)

    def _learn_thresholds(self, examples: Sequence[Example]) -> dict[str, float]:
        """Per-topic thresholds that maximise F1 when each council is tagged by a model of the others."""
        groups = sorted({e.group for e in examples})
        scored: list[tuple[dict[str, float], set[str]]] = []
        if len(groups) >= 2:
            for group in groups:
                train = [e for e in examples if e.group != group]
                model = _Model(train, self.topic_ids, self.descriptions)
                held = [e for e in examples if e.group == group]  # in document order
                scores = model.document_scores([(e.text, e.heading) for e in held], self.SECTION_WEIGHT)
                scored.extend((s, set(e.topics)) for s, e in zip(scores, held, strict=True))
        thresholds = {}
        grid = [i / 100 for i in range(10, 91, 2)]
        for topic in self.topic_ids:
            positives = sum(1 for _, gold in scored if topic in gold)
            if positives < 3:
                thresholds[topic] = self.DEFAULT_THRESHOLD
                continue
            best, best_t = -1.0, self.DEFAULT_THRESHOLD
            for t in grid:
                tp = sum(1 for s, gold in scored if s[topic] >= t and topic in gold)
                fp = sum(1 for s, gold in scored if s[topic] >= t and topic not in gold)
                fn = positives - tp
                f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
                if f1 > best + 1e-9:
                    best, best_t = f1, t
            # Shrink toward the default: a topic with few examples should not get an extreme threshold.
            weight = positives / (positives + 5)
            thresholds[topic] = weight * best_t + (1 - weight) * self.DEFAULT_THRESHOLD
        self.sure_at = self._learn_sure(scored, thresholds)
        return thresholds

    def _learn_sure(self, scored: list[tuple[dict[str, float], set[str]]], thresholds: dict[str, float]) -> float:
        """The lowest score from which chosen topics were right at least SURE_PRECISION of the time, held out."""
        chosen = []
        for scores, gold in scored:
            best = max(scores, key=lambda t: (scores[t], -self.topic_ids.index(t)))
            for topic, score in scores.items():
                if score >= thresholds.get(topic, self.DEFAULT_THRESHOLD) or topic == best:
                    chosen.append((score, topic in gold))
        if len(chosen) < self.SURE_SUPPORT:
            return self.SURE_DEFAULT
        for t in [i / 100 for i in range(30, 96)]:
            above = [right for score, right in chosen if score >= t]
            if len(above) >= self.SURE_SUPPORT and sum(above) / len(above) >= self.SURE_PRECISION:
                return t
        return 1.01  # nothing is ever sure

    def suggest(self, text: str, heading: str = "") -> list[Suggestion]:
        """Every topic scoring above its threshold (at least the best one), best first, then the runners-up.

        The clause is scored alone; ``suggest_all`` scores a whole policy, with each clause's section.
        """
        return self._choose(self.model.scores(text, heading), text, heading)

    def suggest_all(self, clauses: Sequence[tuple[str, str]], evidence: bool = True) -> list[list[Suggestion]]:
        """Suggestions for each clause (text, heading) of one policy, in document order, using its section."""
        scored = self.model.document_scores(clauses, self.SECTION_WEIGHT)
        return [self._choose(scores, text, heading, evidence) for scores, (text, heading) in zip(scored, clauses, strict=True)]

    def confidence(self, score: float) -> str:
        return "sure" if score >= self.sure_at else "review" if score < self.REVIEW_BELOW else "likely"

    def _choose(self, scores: dict[str, float], text: str, heading: str, evidence: bool = True) -> list[Suggestion]:
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self.topic_ids.index(kv[0])))
        chosen = {t for t, s in ranked if s >= self.thresholds[t]}
        if not chosen:
            chosen = {ranked[0][0]}
        return [
            Suggestion(t, round(s, 2), True, self.confidence(round(s, 2)), self.model.evidence(text, heading, t) if evidence else ())
            if t in chosen
            else Suggestion(t, round(s, 2), False)
            for t, s in ranked
        ]

    def diverse(self, entries: Sequence[str], heading: str = "") -> bool:
        """Do a list's entries address mostly different topics (so each should be a clause of its own)?

        Short lists stay whole. For a list of four or more entries, each entry's topic scores
        form a profile; the list is split when the profiles differ, on average, as much as
        those of unrelated clauses (mean pairwise cosine similarity under ``SPLIT_BELOW``).
        """
        if len(entries) < 4:
            return False
        profiles = [self.model.scores(entry, heading) for entry in entries]
        vectors = [_norm(p) for p in profiles]
        pairs = [(a, b) for i, a in enumerate(vectors) for b in vectors[i + 1 :]]
        return sum(_dot(a, b) for a, b in pairs) / len(pairs) < self.SPLIT_BELOW


def examples_from(councils: Iterable) -> list[Example]:
    """Training examples from loaded councils (reviewed ones only: unreviewed tags are not evidence)."""
    return [
        Example(clause.text, clause.heading, tuple(clause.topics), council.id, clause.section)
        for council in councils
        if council.reviewed
        for clause in council.clauses
    ]
