"""Levels: how strongly a clause speaks on a topic (requires, recommends, permits or mentions).

Levels are set by reading, in the source files. This module holds what is shared about them:
their order, their one-sentence meanings, the words that signal each one (used to suggest a
level for an ingested council and to pick the words that decide a cell), and the excerpt of a
clause that shows its level.
"""

from __future__ import annotations

import re

LEVELS = ("requires", "recommends", "permits", "mentions", "silent")
CLAUSE_LEVELS = LEVELS[:-1]  # a clause always says something; "silent" belongs to cells only
RANK = {level: rank for rank, level in enumerate(LEVELS)}  # lower is stronger

TITLES = {level: level.capitalize() for level in LEVELS}
MEANINGS = {
    "requires": "The policy makes it a duty: must, must not, shall, is not permitted, or a stated consequence of breaching it.",
    "recommends": "The policy advises it: should, is advised, consider, best practice, be careful.",
    "permits": "The policy allows it: may, are free to, have the right to.",
    "mentions": "The policy explains, defines or warns about it without directing anyone.",
    "silent": "The policy says nothing on the topic.",
}
# Short forms for the large handbook's matrix, where a cell is a few characters wide.
SHORT = {"requires": "Req", "recommends": "Rec", "permits": "Per", "mentions": "Men", "silent": "–"}


def strongest(levels: list[str]) -> str:
    """The strongest of some levels; "silent" for none."""
    return min(levels, key=RANK.__getitem__) if levels else "silent"


# The words that signal each level, strongest first. Matched case-insensitively on word boundaries.
_CUE_WORDS = {
    "requires": (
        r"must(?:n[’']t)?",
        r"shall",
        r"(?:has|have|having) to",
        r"(?:is|are) (?:required|obliged|expected) to",
        r"(?:will|would) not be (?:allowed|permitted|tolerated|acceptable)",
        r"(?:is|are) not (?:permitted|allowed|acceptable)",
        r"(?:is|are) (?:prohibited|forbidden|strictly)",
        r"it(?: is|[’']s) (?:imperative|essential|vital|mandatory)",
        r"(?:has|have) (?:a|the) (?:responsibility|duty|obligation) (?:to|for)",
        r"(?:will|would|could|may) (?:amount to|constitute|be treated as) (?:gross )?misconduct",
        r"gross misconduct",
        r"(?:are|is) responsible for",
        r"will need to",
        r"needs? to",
        r"under no circumstances",
        r"as long as",
        r"provided that",
        r"not under any circumstances",
        r"disciplinary",
        r"dismissal",
        r"breach(?:es|ed)? (?:of )?(?:this|the) (?:policy|protocol|guidance|code)",
    ),
    "recommends": (
        r"should(?:n[’']t)?",
        r"ought to",
        r"(?:is|are) (?:strongly |actively |highly )?(?:recommended|advised|encouraged)",
        r"(?:we )?(?:recommend|advise|suggest|encourage)s?",
        r"consider(?:ing)?",
        r"best practice",
        r"good practice",
        r"(?:be|are|is) (?:careful|mindful|wary|aware|cautious)",
        r"it(?: is|[’']s) (?:wise|advisable|sensible|a good idea|worth|important to|safest|best to|better to)",
        r"try to",
        r"avoid",
        r"think (?:carefully|before|about)",
    ),
    "permits": (
        r"(?:may|can)(?: also)? (?:choose|wish|decide|use|have|set up|open|create|post|express|comment|share|follow|like|retweet|"
        r"contact|join|respond|reply|refer|link|quote|blog|tweet|campaign|engage|access|add|include|publish|upload|request|ask)",
        r"(?:are|is) (?:free|at liberty|welcome|entitled|allowed|permitted) to",
        r"(?:has|have) the right to",
        r"it is (?:acceptable|fine|ok) to",
        r"(?:is|are) not (?:intended|meant) to (?:restrict|prevent|stop)",
        r"may be (?:consulted|used|shared|accessed|contacted|set up|opened|created)",
    ),
}
CUES = {level: re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE) for level, words in _CUE_WORDS.items()}

# A sentence or list item that opens with a bare imperative ("Do not...", "Never...", "Ensure...").
_VERBS = (
    r"(?:do not|don[’']t|do|never|always|ensure|make sure|make use|use|keep|be|avoid|remember|check|think|"
    r"protect|respect|treat|report|seek|ask|follow|set|include|consider|take|get|refrain|stop|add|only|speak|talk|share|read|"
    r"answer|tell|inform|contact|let|pause|write|post|respond|reply|delete|block|switch|turn|change|choose|create|give|show|"
    r"try|engage|listen|stay|look|note|bear in mind|familiarise|register|apply|identify|declare|acknowledge|correct|own up)\b"
)
_IMPERATIVE = re.compile(
    r"^(?:[-•·]\s*)?(?:[A-Z][\w ]{0,30}:\s*)?"  # an optional "Label: " before the verb
    r"(?:(?:if|when|where|before|after|once|unless|while|whilst)\b[^,.]{0,160},\s*)?" + _VERBS,  # an optional condition first
    re.IGNORECASE,
)
# Headings that frame bare imperatives as duties rather than tips.
_DUTY_FRAME = re.compile(r"\b(?:responsibilit|dut|rule|requirement|standard|obligation|must|conduct|protocol|expect)", re.IGNORECASE)


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the clause's sentences and list items, in order (verbatim slices of ``text``)."""
    spans = []
    for line_start, line in _lines(text):
        for match in re.finditer(r"[^.!?]+(?:[.!?]+[\"'’”)]*|$)", line):
            start, end = match.span()
            while start < end and line[start].isspace():
                start += 1
            while end > start and line[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((line_start + start, line_start + end))
    return spans


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def cue_level(sentence: str, heading: str = "") -> str:
    """The level a sentence's own words signal; a bare imperative takes its heading's frame."""
    body = sentence.lstrip("-•· ")
    for level in ("requires", "recommends"):
        if CUES[level].search(body):
            return level
    if _IMPERATIVE.match(body):
        return "requires" if _DUTY_FRAME.search(heading) else "recommends"
    if CUES["permits"].search(body):
        return "permits"
    return "mentions"


def suggest_level(text: str, heading: str = "") -> tuple[str, str]:
    """A suggested level for a clause and the words that suggest it ('' when nothing does)."""
    best, words = "mentions", ""
    for start, end in sentences(text):
        sentence = text[start:end]
        level = cue_level(sentence, heading)
        if RANK[level] < RANK[best]:
            best = level
            match = CUES[level].search(sentence) if level in CUES else None
            words = match.group(0) if match else sentence.lstrip("-•· ").split(" ")[0]
    return best, words


# For sanctions, any stated consequence of breaching the policy requires.
_CONSEQUENCE = re.compile(
    r"\b(?:disciplinary|dismissal|gross misconduct|complaint|code of conduct|standards committee|monitoring officer|"
    r"(?:may|could|will|can) (?:be|result|lead)|referred|investigat|sanction|breach)",
    re.IGNORECASE,
)


def suggest_levels(text: str, heading: str, topics: list[str] | tuple[str, ...], lead: str = "") -> tuple[str, dict[str, str], str]:
    """A clause's suggested level, its exceptions per topic, and the words that suggest the level.

    A list item with no signal of its own takes the level of the sentence that leads into it
    (``lead``); on sanctions, any stated consequence of a breach requires."""
    level, words = suggest_level(text, heading)
    if level == "mentions" and lead:
        level, words = suggest_level(lead, heading)
        words = f"{words} (in the lead-in)" if words else ""
    levels = {}
    if "sanctions" in topics and level != "requires" and _CONSEQUENCE.search(text):
        if topics[0] == "sanctions":
            level, words = "requires", _CONSEQUENCE.search(text).group(0)
        else:
            levels["sanctions"] = "requires"
    return level, levels, words


EXCERPT_WORDS = 28


def excerpt(text: str, level: str, heading: str = "") -> str:
    """The words of a clause that show its level: the first sentence at that level (else the first
    sentence), cut to about 28 words at a word boundary with '…'. Always a verbatim slice of ``text``
    (apart from the '…' marks), so it can be shown as a quotation."""
    spans = sentences(text) or [(0, len(text))]
    chosen = next((span for span in spans if cue_level(text[span[0] : span[1]], heading) == level), spans[0])
    sentence = text[chosen[0] : chosen[1]]
    if sentence.startswith("- "):
        sentence = sentence[2:]
    words = sentence.split(" ")
    if len(words) <= EXCERPT_WORDS:
        cut = sentence
    else:
        cue = CUES.get(level)
        match = cue.search(sentence) if cue else None
        at = len(sentence[: match.start()].split(" ")) - 1 if match else 0
        first = max(0, min(at - 8, len(words) - EXCERPT_WORDS))
        cut = " ".join(words[first : first + EXCERPT_WORDS])
        cut = ("…" if first else "") + cut.rstrip(",;:") + ("…" if first + EXCERPT_WORDS < len(words) else "")
    mid_line = chosen[0] > 0 and text[chosen[0] - 1] != "\n"
    return ("…" if mid_line and not cut.startswith("…") else "") + cut


def evidence(text: str, heading: str, level: str, topic: str = "") -> str:
    """The words of a clause (or of its heading, for a bare imperative) that show it speaks at
    ``level``, or '' when its wording shows nothing of the kind. A check on a person's reading."""
    if level == "mentions":
        return text.split("\n")[0][:60]
    if topic == "sanctions" and level == "requires" and (match := _CONSEQUENCE.search(text)):
        return match.group(0)
    if match := CUES[level].search(text):
        return match.group(0)
    if level in ("requires", "recommends"):
        last = heading.split(" > ")[-1].strip() if heading else ""
        for start, end in sentences(text) + ([(0, 0)] if last else []):
            sentence = text[start:end] if end else last
            if found := _IMPERATIVE.match(sentence.lstrip("-•· ")):
                return found.group(0)
    return ""
