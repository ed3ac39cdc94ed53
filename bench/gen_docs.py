"""Generated design documents for the benchmarks: 10 KB, 100 KB, 1 MB and 5 MB.

Each is the built-in template's sections filled in and repeated, with prose, fenced code full of
`#` lines (not headings), a tilde fence hiding a `##` line, tables, nested lists and setext
headings: what a long real design doc holds. Deterministic: the same bytes on every run.

Usage: python bench/gen_docs.py OUT_DIR   (writes doc-10k.md ... doc-5m.md)
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "design_lsp" / "template" / "default.md"

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "5m": 5_000_000}


def generated_doc(template_text: str, target_bytes: int) -> str:
    """A realistic design doc of about `target_bytes`: the template's sections, repeated."""
    parts = ["# Design Document: Everything Service\n\n"]
    body = template_text.split("\n", 1)[1]  # drop the template's own title
    size = len(parts[0])
    round_no = 0
    while size < target_bytes:
        round_no += 1
        for part in (
            body.replace("[Your Name]", "Ada").replace("Component 1", f"Shard {round_no}"),
            filler(round_no),
        ):
            parts.append(part)
            size += len(part)
    return "".join(parts)


def filler(n: int) -> str:
    """Prose, a fence full of `#` lines, a table, nested lists and a setext heading."""
    rows = "".join(f"| shard-{n}-{i} | {i * 7 % 100} ms | {i % 2 == 0} |\n" for i in range(12))
    code = "".join(f"# step {i}: not a heading\nrun --shard {n} --step {i}\n" for i in range(10))
    items = "".join(f"- item {i} of round {n}\n  - detail {i}.a\n" for i in range(8))
    prose = (
        f"Round {n} measured the store under load; latency stayed flat until the write queue "
        "filled, after which the gateway shed load as designed. "
    ) * 4
    return (
        f"\nNotes for round {n}\n-------------------\n\n{prose}\n\n"
        f"```sh\n{code}```\n\n~~~\n## inside a tilde fence\n~~~\n\n"
        f"| shard | p99 | cached |\n| --- | --- | --- |\n{rows}\n{items}\n"
    )


def document(size: str) -> str:
    return generated_doc(TEMPLATE.read_text(encoding="utf-8"), SIZES[size])


def write_all(out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in SIZES:
        path = out / f"doc-{name}.md"
        path.write_text(document(name), encoding="utf-8")
        paths[name] = path
    return paths


if __name__ == "__main__":
    for name, path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "bench-docs")).items():
        print(f"{name:>5} {path.stat().st_size:>9} bytes  {path}")
