"""Which PDFs exist, and what each one is made from.

A ``Spec`` says what one PDF holds. ``specs`` lists every PDF the site offers; ``pack_spec`` checks
a custom pack's ids (``build.py pack``). ``peer_groups`` chooses each council's peers, the councils
its members' pack compares it with. ``sources_of`` gives the part of the handbook a PDF is made from:
only the councils it includes (a topic's PDF: only their clauses on that topic), so a PDF changes only
when what it prints changes, and ``versions`` fingerprints exactly those parts for the cover.

Nothing here is quadratic in councils: peers come from buckets of councils sorted by length of
policy, volumes from one pass in a fixed order.
"""

from __future__ import annotations

import difflib
import hashlib
import heapq
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace

from .levels import strongest
from .limits import CLAUSE_UNITS, MAX_PDF_UNITS
from .model import KEY_TOPICS, Clause, Council, Handbook
from .render import compact, slug

PEERS = 4  # councils a members' pack compares its council with, by default
VOLUME_PAGES = 250  # the whole handbook of a large handbook is printed in volumes of about this many pages at most
NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")
AUDIENCE_WORDS = {"members": "councillors", "staff": "staff", "both": "councillors and staff"}


class PackError(Exception):
    """A pack was asked for with ids that do not exist; the message lists the valid ones."""


@dataclass(frozen=True)
class Spec:
    path: str  # under pdf/: "handbook.pdf", "handbook/<volume>.pdf", "councils/<id>.pdf", "topics/<id>.pdf", "packs/<id>-members-pack.pdf"
    kind: str  # "handbook" | "overview" | "volume" | "council" | "topic" | "pack"
    council: str | None = None
    topics: tuple[str, ...] = ()
    peers: tuple[tuple[str, str], ...] = ()  # a pack's (or council PDF's) peers: (council id, why it was chosen)
    named: bool = False  # peers named by whoever built the pack (not chosen by the handbook)
    councils: tuple[str, ...] = ()  # a volume's councils
    title: str = ""  # a volume's title
    about: str = ""  # what a volume holds, in words ("councils in Wales: county councils and town councils")
    large_print: bool = False

    @property
    def peer_ids(self) -> tuple[str, ...]:
        return tuple(pid for pid, _ in self.peers)


def members_pack_path(council_id: str, large_print: bool = False) -> str:
    return f"packs/{council_id}-members-pack{'-large-print' if large_print else ''}.pdf"


def specs(handbook: Handbook) -> list[Spec]:
    """Every PDF the site offers, in the order the home page lists them."""
    peers = peer_groups(handbook)
    result = whole_handbook(handbook)
    for c in handbook.councils:
        result.append(Spec(members_pack_path(c.id), "pack", c.id, KEY_TOPICS, peers[c.id]))
        result.append(Spec(members_pack_path(c.id, True), "pack", c.id, KEY_TOPICS, peers[c.id], large_print=True))
    result += [Spec(f"councils/{c.id}.pdf", "council", c.id, peers=peers[c.id]) for c in handbook.councils]
    result += [Spec(f"topics/{t.id}.pdf", "topic", None, (t.id,)) for t in handbook.topics]
    return result


def pack_spec(handbook: Handbook, council: str | None, topics: str | None, peers: str | None = None, large_print: bool = False) -> Spec:
    """The spec of a custom pack (``build.py pack``); raises PackError naming every unknown id."""
    problems = []
    ids = [c.id for c in handbook.councils]
    if council is not None and council not in handbook.council_by_id:
        problems.append(_unknown("council", council, ids))
    if topics is None:
        chosen = list(KEY_TOPICS)
    else:
        chosen = []
        for tid in (part.strip() for part in topics.split(",")):
            if not tid:
                continue
            if tid not in handbook.topic_by_id:
                problems.append(_unknown("topic", tid, [t.id for t in handbook.topics]))
            elif tid not in chosen:
                chosen.append(tid)
        if not chosen and not problems:
            problems.append("no topics given; list topic ids separated by commas, e.g. --topics disclaimer,meetings")
    group: tuple[tuple[str, str], ...] = ()
    if peers is not None:
        named = []
        for pid in (part.strip() for part in peers.split(",")):
            if not pid:
                continue
            if pid not in handbook.council_by_id:
                problems.append(_unknown("council", pid, ids).replace("unknown council", "unknown peer council", 1))
            elif pid == council:
                problems.append(f"'{pid}' is the pack's own council; --peers names the councils to compare it with")
            elif pid not in named:
                named.append(pid)
        if council is None:
            problems.append("--peers needs --council: the peers are the councils a council's pack compares it with")
        elif not named and not problems:
            problems.append("no peers given; list council ids separated by commas, e.g. --peers wiltshire,oxford")
        group = tuple((pid, "named when this pack was built") for pid in named)
    elif council is not None and council in handbook.council_by_id:
        group = peer_groups(handbook)[council]
    if problems:
        raise PackError("\n".join(problems))
    included = ({council} | {pid for pid, _ in group}) - {None}
    units = sum(
        (len(cl.text) + CLAUSE_UNITS) * ((cl.council == council) + (cl.council in included or not included) * len(set(cl.topics) & set(chosen)))
        for cl in handbook.clauses
    )
    if units > MAX_PDF_UNITS:
        raise PackError(
            f"this pack would be too large to print ({units:,} units of text, the limit is {MAX_PDF_UNITS:,}); choose fewer topics or peers, or leave out --council"
        )
    return Spec("pack.pdf", "pack", council, tuple(chosen), group, named=peers is not None, large_print=large_print)


def _unknown(kind: str, value: str, valid: list[str]) -> str:
    near = difflib.get_close_matches(value, valid, n=1, cutoff=0.6)
    hint = f" Did you mean '{near[0]}'?" if near else ""
    return f"unknown {kind} '{value}'.{hint} Valid {kind}s: {', '.join(valid)}"


# Peers -------------------------------------------------------------------------------------------


def _kind(council: Council) -> str:
    return " ".join(council.kind.lower().split())


# From the most alike to the least: each tier's councils are taken, closest in length first, before the next.
_TIERS: tuple[tuple[str, Callable[[Council], tuple]], ...] = (
    ("kna", lambda c: (_kind(c), c.nation, c.audience)),
    ("kn", lambda c: (_kind(c), c.nation)),
    ("na", lambda c: (c.nation, c.audience)),
    ("ka", lambda c: (_kind(c), c.audience)),
    ("a", lambda c: (c.audience,)),
    ("n", lambda c: (c.nation,)),
    ("k", lambda c: (_kind(c),)),
    ("", lambda c: ()),
)


def _reason(tier: str, council: Council) -> str:
    kind, nation, audience = council.kind, council.nation, AUDIENCE_WORDS.get(council.audience, council.audience)
    return {
        "kna": f"same kind of council ({kind}) and nation ({nation}), also written for {audience}",
        "kn": f"same kind of council ({kind}) and nation ({nation})",
        "na": f"same nation ({nation}), also written for {audience}",
        "ka": f"same kind of council ({kind}), also written for {audience}",
        "a": f"also written for {audience}",
        "n": f"same nation ({nation})",
        "k": f"same kind of council ({kind})",
        "": "no closer match",
    }[tier]


def peer_groups(handbook: Handbook, size: int = PEERS) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each council's peers, with why each was chosen: councils of the same kind and nation first, then
    those written for the same audience, then the same nation, then the same kind; within each, the
    closest in length of policy, then the nearest in the handbook's order. With five councils, the other four.

    Buckets of councils sorted by length make it O(n log n): each council looks only at its
    neighbours in at most eight buckets."""
    councils = handbook.councils
    order = {c.id: i for i, c in enumerate(councils)}
    entry = {c.id: (len(c.clauses), order[c.id], c.id) for c in councils}
    buckets: dict[str, dict[tuple, list[tuple[int, int, str]]]] = {}
    for tier, key in _TIERS:
        groups: dict[tuple, list[tuple[int, int, str]]] = defaultdict(list)
        for c in councils:
            groups[key(c)].append(entry[c.id])
        for members in groups.values():
            members.sort()
        buckets[tier] = groups
    result = {}
    for c in councils:
        me = entry[c.id]
        chosen: list[tuple[str, str]] = []
        seen = {c.id}
        for tier, key in _TIERS:
            for pick in _nearest(buckets[tier][key(c)], me):
                if pick[2] not in seen:
                    seen.add(pick[2])
                    chosen.append((pick[2], _reason(tier, handbook.council_by_id[pick[2]])))
                    if len(chosen) == size:
                        break
            if len(chosen) == size:
                break
        result[c.id] = tuple(chosen)
    return result


def _nearest(members: list[tuple[int, int, str]], me: tuple[int, int, str]) -> Iterator[tuple[int, int, str]]:
    """The members (sorted by length, then order) from the closest in length to ``me`` outwards; those equally
    close from the nearest in the handbook's order outwards (the earlier first when two are as near), so that
    councils of the same length do not all choose the same first few. Lazy: taking the first few costs a
    few steps, however long the list."""
    size, mine = me[0], me[1]
    below, above = bisect_left(members, me), bisect_left(members, me)  # members[:below] are shorter or earlier
    while below > 0 or above < len(members):
        d_below = size - members[below - 1][0] if below > 0 else math.inf
        d_above = members[above][0] - size if above < len(members) else math.inf
        nearest = min(d_below, d_above)
        runs = []
        if d_below == nearest:  # the run of members of that length just below
            start = bisect_left(members, (members[below - 1][0],), 0, below)
            runs.append(_outward(members, start, below, mine))
            below = start
        if d_above == nearest:
            end = bisect_left(members, (members[above][0] + 1,), above)
            runs.append(_outward(members, above, end, mine))
            above = end
        yield from heapq.merge(*runs, key=lambda m: (abs(m[1] - mine), m[1]))


def _outward(members: list[tuple[int, int, str]], lo: int, hi: int, mine: int) -> Iterator[tuple[int, int, str]]:
    """members[lo:hi] (of one length, so in the handbook's order) from the nearest to position ``mine`` outwards."""
    right = bisect_left(members, mine, lo, hi, key=lambda m: m[1])
    left = right - 1
    while left >= lo or right < hi:
        if right < hi and (left < lo or members[right][1] - mine < mine - members[left][1]):
            yield members[right]
            right += 1
        else:
            yield members[left]
            left -= 1


# The whole handbook: one PDF, or volumes for a large handbook ----------------------------------------


def whole_handbook(handbook: Handbook) -> list[Spec]:
    """``handbook.pdf``; from COMPACT_FROM councils an overview and volumes of the councils' policies:
    each nation's councils by kind of council, a kind too long for one volume in parts, and kinds too
    short for a volume of their own sharing one, each volume about VOLUME_PAGES pages at most."""
    if not compact(handbook):
        return [Spec("handbook.pdf", "handbook")]
    nations: dict[tuple[int, str], dict[str, list[Council]]] = defaultdict(lambda: defaultdict(list))
    for c in handbook.councils:
        rank = NATIONS.index(c.nation) if c.nation in NATIONS else len(NATIONS)
        nations[rank, c.nation][_kind(c)].append(c)
    result = [Spec("handbook/overview.pdf", "overview", title="About the handbook and the coverage matrix")]
    for (_, nation), kinds in sorted(nations.items()):
        result += _volumes_of(nation, kinds)
    return result


def _volumes_of(nation: str, kinds: dict[str, list[Council]]) -> list[Spec]:
    volumes: list[Spec] = []
    shared: list[tuple[str, list[Council]]] = []  # consecutive short kinds, filling one volume
    shared_pages = 0.0
    for kind, members in sorted(kinds.items()):
        pages = sum(estimated_pages(c) for c in members)
        if shared and (pages > VOLUME_PAGES or shared_pages + pages > VOLUME_PAGES):
            volumes.append(_volume(nation, shared, 1, 1))
            shared, shared_pages = [], 0.0
        if pages > VOLUME_PAGES:
            parts = math.ceil(pages / VOLUME_PAGES)
            per = math.ceil(len(members) / parts)
            chunks = [members[i : i + per] for i in range(0, len(members), per)]
            volumes += [_volume(nation, [(kind, chunk)], n, len(chunks)) for n, chunk in enumerate(chunks, start=1)]
        else:
            shared.append((kind, members))
            shared_pages += pages
    if shared:
        volumes.append(_volume(nation, shared, 1, 1))
    return volumes


def _plural(kind: str) -> str:
    return kind if kind.endswith("s") else kind + "s"


def _volume(nation: str, kinds: list[tuple[str, list[Council]]], part: int, parts: int) -> Spec:
    """A volume of one nation's councils of one or more kinds (or one part of a long kind)."""
    names = [_plural(group[0].kind) for _, group in kinds]
    if len(names) == 1:
        title = f"{names[0][:1].upper() + names[0][1:]} in {nation}" + (f", part {part} of {parts}" if parts > 1 else "")
        about = title[:1].lower() + title[1:]
        path = f"{slug(nation)}-{slug(kinds[0][0])}" + (f"-part-{part}" if parts > 1 else "")
    else:
        every = f"{', '.join(names[:-1])} and {names[-1]}"
        # More than two kinds: the title gives the range, A to Z, as on a set of printed volumes.
        title = f"Councils in {nation}: {every if len(names) == 2 else f'{names[0]} to {names[-1]}'}"
        about = f"councils in {nation}: {every}"
        path = f"{slug(nation)}-{slug(kinds[0][0])}-to-{slug(kinds[-1][0])}"
    councils = tuple(c.id for _, group in kinds for c in group)
    return Spec(f"handbook/{path}.pdf", "volume", councils=councils, title=title, about=about)


def estimated_pages(council: Council) -> float:
    """About how many pages a council's policy takes in a volume (heading, details, clauses)."""
    return 1.5 + sum(len(c.text) + 260 for c in council.clauses) / 2600


# What each PDF is made from ----------------------------------------------------------------------------


def _on_topic(council: Council, topic_id: str) -> Council:
    """The council with only its clauses (and notes) on one topic."""
    return replace(
        council,
        clauses=tuple(c for c in council.clauses if topic_id in c.topics),
        notes=tuple((t, n) for t, n in council.notes if t == topic_id),
        path="",
    )


def sources_of(handbook: Handbook, spec: Spec) -> Handbook:
    """The part of the handbook one PDF is made from: only the councils it includes, and for a topic's
    PDF only their clauses on the topic. Its ``version`` fingerprints exactly that part (and the taxonomy)."""
    hb = handbook
    if spec.kind == "handbook":
        councils = list(hb.councils)
    elif spec.kind == "overview":  # the coverage matrix: each council's level on each topic, no text
        councils = [_coverage_only(c) for c in hb.councils]
    elif spec.kind == "volume":
        councils = [hb.council_by_id[c] for c in spec.councils]
    elif spec.kind == "council":
        # Its peers only for the "compared with" box: which topics they address, not what they say.
        peers = set(spec.peer_ids)
        councils = [c if c.id == spec.council else _coverage_only(c) for c in _in_order(hb, {spec.council, *peers})]
    elif spec.kind == "topic":
        councils = [_on_topic(c, spec.topics[0]) for c in hb.councils]
    elif spec.council:  # a council's pack: the council and its peers
        councils = _in_order(hb, {spec.council, *spec.peer_ids})
    else:  # a topic-only pack: every council, with its clauses on the pack's topics
        wanted = set(spec.topics)
        councils = [replace(c, clauses=tuple(cl for cl in c.clauses if wanted & set(cl.topics)), path="") for c in hb.councils]
    sub = Handbook(groups=hb.groups, councils=tuple(councils), version="")
    return replace(sub, version=combined_version(sub))


def _in_order(handbook: Handbook, ids: set[str]) -> list[Council]:
    """Some councils, in the handbook's order (without a pass over every council)."""
    order = _order(handbook)
    return sorted((handbook.council_by_id[i] for i in ids), key=lambda c: order[c.id])


_last_order: list[tuple[Handbook, dict[str, int]]] = []


def _order(handbook: Handbook) -> dict[str, int]:
    """Council id -> its place in the handbook (made once per handbook, not once per PDF)."""
    if not _last_order or _last_order[0][0] is not handbook:
        _last_order[:] = [(handbook, {c.id: i for i, c in enumerate(handbook.councils)})]
    return _last_order[0][1]


def _coverage_only(council: Council) -> Council:
    """A council reduced to its level on each topic it addresses (one clause per topic, with no text) and
    the dates of its text: what the coverage matrix prints, and a council's PDF needs of its peers."""
    on: dict[str, list[Clause]] = {}
    for clause in council.clauses:
        for topic in clause.topics:
            on.setdefault(topic, []).append(clause)
    clauses = tuple(
        replace(found[0], text="", summary="", heading="", section="", topics=(topic,), levels=(), line=0, level=strongest([c.level_on(topic) for c in found]))
        for topic, found in on.items()
    )
    return replace(council, clauses=clauses, notes=(), path="", source="", attribution="", title="", date="", status="", url="")


_SKIP = ("path", "line")  # where a record was read from: not part of what a PDF quotes
_names: dict[type, tuple[str, ...]] = {}


def _names_of(cls: type) -> tuple[str, ...]:
    if cls not in _names:
        _names[cls] = tuple(f.name for f in fields(cls) if f.name not in _SKIP)
    return _names[cls]


def _record(council: Council) -> tuple:
    """A canonical form of a council's record: every field (its clauses' too) but where it was read from."""
    clause_names = _names_of(Clause)
    return tuple(
        tuple(tuple(getattr(c, n) for n in clause_names) for c in council.clauses) if name == "clauses" else getattr(council, name)
        for name in _names_of(Council)
    )


_versions: dict[int, tuple[Council, str]] = {}  # id(council) -> (council, version): a council's PDFs share it


def version(council: Council) -> str:
    """A short fingerprint of what a PDF quotes from one council: changes when (and only when) that does."""
    known = _versions.get(id(council))
    if known is not None and known[0] is council:
        return known[1]
    if len(_versions) > 50_000:
        _versions.clear()
    value = hashlib.sha256(repr(_record(council)).encode()).hexdigest()[:12]
    _versions[id(council)] = (council, value)
    return value


def versions(sub: Handbook) -> list[tuple[Council, str]]:
    """(council, version) of every council a PDF quotes (a council it only names as silent has none)."""
    return [(c, version(c)) for c in sub.councils if any(cl.text for cl in c.clauses)]


def combined_version(sub: Handbook) -> str:
    digest = hashlib.sha256(repr(sub.groups).encode())
    for council, v in versions(sub):
        digest.update(f"\0{council.id}:{v}".encode())
    return digest.hexdigest()[:12]
