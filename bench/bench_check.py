"""Time `design-lsp check`: the rust-rfcs corpus against its own template, and a generated 1 MB doc.

Usage: python bench/bench_check.py [CORPUS_TEXT_DIR] [--runs N]

Prints the median wall time of N runs, in-process (parse_document + analyze, template loaded
once) and through the CLI as a subprocess (interpreter start and imports included). For the CLI
it also prints the median CPU time of its processes (user + system): on a machine shared with
other work the wall time swings, the CPU time much less.
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout without installing

from design_lsp.analysis import analyze  # noqa: E402
from design_lsp.document import parse_document  # noqa: E402
from design_lsp.template import Template, load_template  # noqa: E402

sys.path.insert(0, str(REPO / "bench"))
from gen_docs import generated_doc  # noqa: E402  (one generator for every benchmark)

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "rust-rfcs" / "text"
TARGET_BYTES = 1_000_000


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def check_in_process(template: Template, texts: list[str]) -> int:
    return sum(len(analyze(template, parse_document(text)).findings) for text in texts)


def children_cpu() -> float:
    """CPU seconds used so far by the child processes this one has waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_cli(template: Path, target: Path, runs: int) -> tuple[float, float]:
    """Median wall and median CPU seconds of `runs` CLI runs (the CLI's worker processes too)."""
    walls, cpus = [], []
    for _ in range(runs):
        cpu, start = children_cpu(), time.perf_counter()
        check_cli(template, target)
        walls.append(time.perf_counter() - start)
        cpus.append(children_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def check_cli(template: Path, target: Path) -> None:
    # Exit 1 (findings) is expected; without the summary line the run crashed and timed nothing.
    done = subprocess.run(
        [sys.executable, "-m", "design_lsp", "check", "--template", str(template), str(target)],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    stderr = done.stderr.decode(errors="replace")
    if done.returncode not in (0, 1) or not re.search(r"\d+ findings? in \d+ files?\n$", stderr):
        raise SystemExit(f"design-lsp check failed (exit {done.returncode}):\n{stderr}")


def report(label: str, seconds: float, extra: str = "") -> None:
    print(f"{label:<44} {seconds * 1000:9.1f} ms  {extra}")


def bench_corpus(corpus: Path, runs: int) -> None:
    template_path = corpus.parent / "0000-template.md"
    files = sorted(corpus.rglob("*.md"))  # the same files the CLI walks
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    template = load_template(str(template_path))
    size = sum(map(len, texts)) / 1e6
    findings = check_in_process(template, texts)
    info = f"({len(files)} files, {size:.1f} MB, {findings} findings)"
    in_process = median_seconds(lambda: check_in_process(template, texts), runs)
    report("rust-rfcs, in-process", in_process, info)
    wall, cpu = median_cli(template_path, corpus, runs)
    report("rust-rfcs, CLI subprocess", wall, f"(CPU {cpu * 1000:.0f} ms)")


def bench_big_doc(runs: int) -> None:
    default = REPO / "design_lsp" / "template" / "default.md"
    text = generated_doc(default.read_text(encoding="utf-8"), TARGET_BYTES)
    template = load_template(None)
    doc = parse_document(text)
    info = f"({len(text) / 1e6:.2f} MB, {len(doc.headings)} headings)"
    report("1 MB doc, parse_document", median_seconds(lambda: parse_document(text), runs), info)
    report("1 MB doc, analyze", median_seconds(lambda: analyze(template, doc), runs))
    report("1 MB doc, in-process", median_seconds(lambda: check_in_process(template, [text]), runs))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.md"
        path.write_text(text, encoding="utf-8")
        wall, cpu = median_cli(default, path, runs)
        report("1 MB doc, CLI subprocess", wall, f"(CPU {cpu * 1000:.0f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"median of {args.runs} runs, Python {sys.version.split()[0]}")
    if args.corpus.is_dir():
        bench_corpus(args.corpus, args.runs)
    else:
        print(f"{args.corpus}: no corpus here, skipped")
    bench_big_doc(args.runs)


if __name__ == "__main__":
    main()
