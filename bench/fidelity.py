"""How right are design-lsp's findings on real design-document repositories?

Usage: python bench/fidelity.py [--corpus-root DIR] [--corpus NAME ...] [--quick] [--seed N]
                                [--sample N] [--sample-out FILE] [--judged FILE ...] [--json FILE]

For every corpus folder under the corpus root (default ../shared/corpus; see its README.md), with
the corpus's own template:

1. findings by code over all documents, documents without errors (and without warnings), and
   the time to parse and analyse them all in-process (template loaded once);
2. two conformant documents built from the template (all sections; optional ones left out):
   both must get no error and no warning;
3. planted defects: one at a time in a fixed-seed sample of real documents, each of which must
   give exactly one new finding of the right code at the right place;
4. a fixed-seed sample of findings (round-robin over codes) for a person to judge;
5. the already judged findings: which are still reported, and a precision estimate;
6. a summary table (Markdown).

The library behind it is bench/fidelity_lib.py.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout without installing

from fidelity_lib import (  # noqa: E402  (bench/ is on the path as the script's folder)
    EXPECTED_CODE,
    KINDS,
    CheckedDoc,
    Corpus,
    Judgement,
    PlantResult,
    blocking,
    check_documents,
    conformant_document,
    context_lines,
    discover,
    judge,
    load_judged,
    plant_defects,
    reported,
    sample_findings,
)

from design_lsp.analysis import analyze  # noqa: E402
from design_lsp.document import parse_document  # noqa: E402
from design_lsp.template import Template, TemplateError, load_template  # noqa: E402

DEFAULT_ROOT = REPO.parent / "shared" / "corpus"
PLANT_DOCS = 40
PLANT_DOCS_QUICK = 10
FAILURE_EXAMPLES = 3


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root: Path = args.corpus_root
    if not root.is_dir():
        print(f"corpus root not found: {root}", file=sys.stderr)
        return 2
    try:
        corpora = discover(root, args.corpus)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    missing = [str(p) for p in args.judged if not p.is_file()]
    if missing:
        print(f"judged file not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    judged_files = [*args.judged, *(p for p in default_judged(root) if p.is_file())]
    rows = load_judged(dict.fromkeys(judged_files))
    chosen = {c.name for c in corpora}
    rows = [row for row in rows if row["path"].split("/", 1)[0] in chosen]

    report: dict[str, Any] = {"corpus_root": str(root), "seed": args.seed, "corpora": {}}
    samples: list[dict[str, Any]] = []
    for corpus in corpora:
        numbers = run_corpus(corpus, args, rows, samples)
        if numbers is not None:
            report["corpora"][corpus.name] = numbers

    print_summary(report["corpora"])
    if args.sample_out:
        with open(args.sample_out, "w", encoding="utf-8") as out:
            for item in samples:
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
        print(f"\n{len(samples)} sampled findings written to {args.sample_out}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"numbers written to {args.json}")
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus-root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument(
        "--corpus", action="append", default=[], metavar="NAME", help="only this corpus folder"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"plant defects in {PLANT_DOCS_QUICK} documents per corpus, not {PLANT_DOCS}",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--sample",
        type=int,
        default=20,
        metavar="N",
        help="findings per corpus to print for a person to judge (0: none)",
    )
    parser.add_argument("--sample-out", metavar="FILE", help="write the sample as JSONL")
    parser.add_argument(
        "--judged",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="more judged findings (JSONL), besides the corpus root's judged-sample.jsonl "
        "and tests/judged/*.jsonl",
    )
    parser.add_argument("--json", metavar="FILE", help="write all the numbers as JSON")
    return parser.parse_args(argv)


def default_judged(root: Path) -> list[Path]:
    found = [root / "judged-sample.jsonl"]
    folder = REPO / "tests" / "judged"
    if folder.is_dir():
        found += sorted(folder.glob("*.jsonl"))
    return found


def run_corpus(
    corpus: Corpus,
    args: argparse.Namespace,
    rows: list[dict[str, Any]],
    samples: list[dict[str, Any]],
) -> dict[str, Any] | None:
    print(f"\n## {corpus.name}\n")
    if corpus.template is None:
        print("no template found (no file with 'template' in its name): skipped")
        return None
    try:
        template = load_template(corpus.template)
    except TemplateError as error:
        print(f"template unusable: {error}")
        return None
    template_name = corpus.template.relative_to(corpus.folder).as_posix()
    print(f"template `{template_name}`, {len(corpus.documents)} documents")

    docs, seconds = check_documents(template, corpus)
    numbers: dict[str, Any] = {"template": template_name, "documents": len(docs)}
    numbers.update(print_findings(docs, seconds))
    numbers["conformant"] = print_conformant(template, args.seed)
    numbers["planted"] = print_planted(template, corpus, docs, args)
    numbers["sample"] = print_sample(docs, args.sample, args.seed, samples)
    corpus_rows = [row for row in rows if row["path"].split("/", 1)[0] == corpus.name]
    found = {doc.path: reported(doc.findings) for doc in docs}
    judgement = judge(corpus_rows, corpus.folder.parent, found).get(corpus.name)
    numbers["judged"] = print_judged(judgement)
    return numbers


def print_findings(docs: list[CheckedDoc], seconds: float) -> dict[str, Any]:
    by_code: Counter[str] = Counter()
    docs_with: Counter[str] = Counter()
    for doc in docs:
        codes = [f.code for f in doc.findings]
        by_code.update(codes)
        docs_with.update(set(codes))
    no_error = sum(1 for d in docs if not blocking(d.findings, ("error",)))
    clean = sum(1 for d in docs if not blocking(d.findings))
    total = sum(by_code.values())
    print("\n### Findings\n")
    print("| code | findings | documents |")
    print("| --- | ---: | ---: |")
    for code, count in by_code.most_common():
        print(f"| {code} | {count} | {docs_with[code]} |")
    print(f"| **all** | **{total}** | |")
    print(
        f"\ndocuments without errors: {no_error}/{len(docs)}; "
        f"without errors or warnings: {clean}/{len(docs)}"
    )
    print(f"check time (parse + analyze, in-process): {seconds:.2f} s")
    return {
        "findings": total,
        "by_code": dict(by_code.most_common()),
        "documents_by_code": dict(docs_with.most_common()),
        "without_errors": no_error,
        "without_errors_or_warnings": clean,
        "check_seconds": round(seconds, 3),
    }


def print_conformant(template: Template, seed: int) -> dict[str, Any]:
    print("\n### Conformant documents\n")
    out: dict[str, Any] = {}
    for name, drop in (("all sections", False), ("required only", True)):
        text = conformant_document(template, drop_optional=drop, seed=seed)
        findings = analyze(template, parse_document(text)).findings
        bad = blocking(findings)
        print(f"- {name}: {'ok' if not bad else f'FAIL ({len(bad)} errors/warnings)'}")
        for f in bad:
            print(f"    line {f.span.line + 1}: {f.severity.value} {f.code}: {f.message}")
        key = "required_only" if drop else "all_sections"
        out[key] = {
            "ok": not bad,
            "findings": [(f.code, f.severity.value, f.span.line + 1, f.message) for f in bad],
        }
    return out


def print_planted(
    template: Template, corpus: Corpus, docs: list[CheckedDoc], args: argparse.Namespace
) -> dict[str, Any]:
    # Documents the template applies to at all (a moved stub has nothing to plant into).
    candidates = [doc for doc in docs if doc.matched]
    count = min(PLANT_DOCS_QUICK if args.quick else PLANT_DOCS, len(candidates))
    chosen = sorted(random.Random(args.seed).sample(candidates, count), key=lambda d: d.path)
    results: list[PlantResult] = []
    for doc in chosen:
        results += plant_defects(template, doc.path, doc.text, args.seed)
    print(f"\n### Planted defects ({count} documents with a matched section, seed {args.seed})\n")
    print("| defect | expected | planted | exact | wrong | skipped |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    out: dict[str, Any] = {"documents": count, "kinds": {}}
    for kind in KINDS:
        of_kind = [r for r in results if r.kind == kind]
        status = Counter(r.status for r in of_kind)
        planted = status["exact"] + status["wrong"]
        print(
            f"| {kind} | {EXPECTED_CODE[kind]} | {planted} | {status['exact']} "
            f"| {status['wrong']} | {status['skipped']} |"
        )
        out["kinds"][kind] = {
            "planted": planted,
            "exact": status["exact"],
            "wrong": status["wrong"],
            "skipped": status["skipped"],
        }
    exact = sum(k["exact"] for k in out["kinds"].values())
    planted = sum(k["planted"] for k in out["kinds"].values())
    out.update(exact=exact, planted=planted)
    print(f"| **all** | | **{planted}** | **{exact}** | **{planted - exact}** | |")
    for kind in KINDS:
        wrong = [r for r in results if r.kind == kind and r.status == "wrong"]
        if wrong:
            print(f"\n{kind}: {len(wrong)} wrong, for example:")
        for r in wrong[:FAILURE_EXAMPLES]:
            print(
                f"- {r.path}: {r.planted}\n  expected {r.expected}; new findings: "
                + ("; ".join(f"{c} line {line}: {m}" for c, line, m in r.new) or "none")
            )
    return out


def print_sample(docs: list[CheckedDoc], n: int, seed: int, samples: list[dict[str, Any]]) -> int:
    if n <= 0:
        return 0
    picked = sample_findings(docs, n, seed)
    print(f"\n### Sample of findings to judge ({len(picked)}, seed {seed})")
    for doc, finding in picked:
        line = finding.span.line
        print(f"\n{doc.path}:{line + 1}: {finding.code}: {finding.message}")
        for number, text in context_lines(doc.text, line):
            print(f"  {'>' if number == line + 1 else ' '} {number:5} | {text}")
        samples.append(
            {
                "path": doc.path,
                "line": line + 1,
                "code": finding.code,
                "message": finding.message,
                "verdict": "",
            }
        )
    return len(picked)


def print_judged(judgement: Judgement | None) -> dict[str, Any]:
    print("\n### Judged sample\n")
    if judgement is None or not judgement.rows:
        print("no judged findings for this corpus")
        return {"rows": 0, "right": 0}
    print(
        f"right: {judgement.right}/{judgement.rows} "
        f"({judgement.precision:.0%} precision estimate): {judgement.true_found} TRUE still "
        f"found, {judgement.false_gone} FALSE gone"
    )
    if judgement.moved:
        print("\nfound at another line by the name they quote (the line only anchors them):")
    for row, at in judgement.moved:
        print(f"- {row['path']}:{row['line']} {row['code']} ({row['verdict']}): now line {at}")
    for title, rows in (
        ("FALSE findings still reported", judgement.false_still),
        ("TRUE findings no longer reported", judgement.true_lost),
        ("documents not found", judgement.no_document),
    ):
        if rows:
            print(f"\n{title}:")
        for row in rows:
            why = f" ({row['why']})" if row.get("why") else ""
            print(f"- {row['path']}:{row['line']} {row['code']}: {row.get('message', '')}{why}")
    return {
        "rows": judgement.rows,
        "right": judgement.right,
        "true_found": judgement.true_found,
        "false_gone": judgement.false_gone,
        "false_still": [_row_key(r) for r in judgement.false_still],
        "true_lost": [_row_key(r) for r in judgement.true_lost],
        "no_document": [_row_key(r) for r in judgement.no_document],
        "moved": [f"{_row_key(r)} -> line {at}" for r, at in judgement.moved],
    }


def _row_key(row: dict[str, Any]) -> str:
    return f"{row['path']}:{row['line']} {row['code']}"


def print_summary(corpora: dict[str, dict[str, Any]]) -> None:
    print("\n## Summary\n")
    print(
        "| corpus | documents | findings | docs without errors | judged right "
        "| planted exact | conformant (all / required) | check time |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    for name, n in corpora.items():
        judged = n["judged"]
        judged_text = f"{judged['right']}/{judged['rows']}" if judged["rows"] else "–"
        planted = n["planted"]
        rate = planted["exact"] / planted["planted"] if planted["planted"] else 0.0
        conformant = " / ".join(
            "ok" if n["conformant"][key]["ok"] else "fail"
            for key in ("all_sections", "required_only")
        )
        print(
            f"| {name} | {n['documents']} | {n['findings']} | {n['without_errors']} "
            f"| {judged_text} | {planted['exact']}/{planted['planted']} ({rate:.0%}) "
            f"| {conformant} | {n['check_seconds']:.2f} s |"
        )


if __name__ == "__main__":
    sys.exit(main())
