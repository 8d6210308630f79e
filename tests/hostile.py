"""A project whose every free-text field holds hostile values: HTML, script, attribute breakers,
Markdown, Jinja, Markdown attribute lists and line breaks. Each payload names its field and marks
every construct it could create with 'pwned-', so a test can tell an element made from source text
(an <em>, a link, a heading, a custom element...) from the same characters shown as text."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import make_project

TOPICS = ("scope", "disclaimer", "safeguarding", "pre-election", "meetings", "sanctions")


def payload(field: str, lines: bool = True) -> str:
    """Hostile text for one field; with ``lines`` (for the fields that may have several lines: a
    clause's text and summary), also blank lines followed by Markdown blocks."""
    one_line = (
        f"{field.title()} <img src=x onerror=alert('{field}')> <x-pwned-{field}>tag</x-pwned-{field}> "
        f"\"'><svg onload=alert('{field}-svg')><x-pwned-{field}-attr> *pwned-em-{field}* __pwned-strong-{field}__ "
        f"[pwned-a-{field}](javascript:alert('{field}-link')) <javascript:alert('{field}-auto')> `pwned-code-{field}` "
        f"{{{{ 7*7 }}}} {{% raw %}} {{: onclick=\"alert('{field}-attr-list')\" }} &amp; &lt;b&gt; | pipe | ~~pwned-del-{field}~~"
        f" </title></textarea></script><x-pwned-{field}-close>"
    )
    if not lines:
        return one_line
    return (
        one_line
        + f"\n\n# pwned-h-{field}\n\n<x-pwned-{field}-block>block</x-pwned-{field}-block>\n\n| pwned-th-{field} |\n|---|\n\n[pwned-a2-{field}](javascript:alert(2))"
    )


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _clause_text(council: str, n: int) -> list[str]:
    """A clause's lines: hostile, but none starting with '- ' (those are list items by design)."""
    return [
        f"{council} clause {n} <img src=x onerror=alert('text')> <x-pwned-text>t</x-pwned-text> *pwned-em-text*",
        f"# pwned-h-text-{n} and [pwned-a-text](javascript:alert('text-link')) {{{{ 7*7 }}}} | pipe |",
        f'=HYPERLINK("http://example.com","pwned-formula-{n}") and "\'><svg onload=alert(\'text-svg\')>',
    ]


def write_council(sources: Path, cid: str, n_clauses: int = 3) -> None:
    original_lines = [payload(f"{cid}-original", lines=False), ""]
    clauses = []
    for n in range(1, n_clauses + 1):
        text = _clause_text(cid, n)
        original_lines += text + [""]
        heading = payload(f"heading-{n}", lines=False) + " > Sub " + payload(f"subheading-{n}", lines=False)
        clauses.append(
            "\n".join(
                [
                    f"  - id: {cid}-{n}",
                    f"    section: {_q(payload(f'section-{n}', lines=False))}",
                    f"    heading: {_q(heading)}",
                    f"    topics: [{TOPICS[(n - 1) % len(TOPICS)]}, {TOPICS[n % len(TOPICS)]}]",
                    "    level: recommends",
                    f"    levels: {{{TOPICS[n % len(TOPICS)]}: requires}}",
                    f"    summary: {_q(payload(f'summary-{n}'))}",
                    "    text: |",
                    *("      " + line for line in text),
                ]
            )
        )
    (sources / "originals" / f"{cid}.txt").write_text("\n".join(original_lines), encoding="utf-8")
    fields = {name: payload(f"{cid}-{name}", lines=False) for name in ("name", "short_name", "kind", "title", "source", "attribution")}
    head = [f"id: {cid}", *(f"{key}: {_q(value)}" for key, value in fields.items())]
    head += ["nation: England", "audience: both", "status: not stated", "date: undated", f"original: originals/{cid}.txt", "reviewed: false"]
    head += ['retrieved: "2024-01-02"', "checked: not recorded", f"url: {_q('https://example.com/' + payload(f'{cid}-url', lines=False).replace(' ', '%20'))}"]
    head += ["notes:", f"  {TOPICS[0]}: [{_q(payload(f'{cid}-note', lines=False))}]"]
    (sources / f"{cid}.yaml").write_text("\n".join(head + ["clauses:", *clauses]) + "\n", encoding="utf-8")


def write_taxonomy(sources: Path) -> None:
    lines = ["groups:"]
    for g, group in enumerate((TOPICS[:3], TOPICS[3:])):
        lines += [f"  - id: group-{g}", f"    title: {_q(payload(f'group-{g}', lines=False))}", "    topics:"]
        for tid in group:
            lines += [
                f"      - id: {tid}",
                f"        title: {_q(payload(f'topic-{tid}', lines=False))}",
                f"        description: {_q(payload(f'description-{tid}', lines=False))}",
            ]
    (sources / "taxonomy.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_hostile_project(target: Path, councils: int = 2) -> Path:
    """A project of ``councils`` councils and a taxonomy with hostile values in every free-text field."""
    root = make_project(target)
    sources = root / "source_policies"
    for path in sources.glob("*.yaml"):
        path.unlink()
    write_taxonomy(sources)
    for n in range(councils):
        write_council(sources, ("alpha", "beta")[n] if n < 2 else f"council-{n}", 4 if n == 0 else 3)
    return root
