"""The differential test of tests/test_differential.py, longer: more seeds, more edits.

Usage: ``python benchmarks/differential.py [--seeds 10] [--edits 200] [--first 1]
[--no-serve] [--strict] [--keep DIR]``

Each seed builds its own random site and applies ``--edits`` random edits; after each edit
the cached build is compared with a clean ``--no-cache --jobs 1`` build (and, after a
report's text alone is edited, the quick path of ``sitegen serve`` with a clean build).
A seed that diverges in a way no known hole explains prints the seed, the edits so far and
what differs; the known holes met are counted. ``--strict`` counts the known holes as
divergences too (what the cache rewrite must reach). Exit status 1 when any seed diverged.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_differential import Differ, Divergence


def run_seed(seed: int, edits: int, serve: bool, strict: bool, root: Path) -> Differ:
    differ = Differ(root, seed, serve=serve)
    if strict:
        differ.holes = {}
    differ.run(edits)
    return differ


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="how many seeds (default 10)")
    parser.add_argument("--first", type=int, default=1, help="the first seed (default 1)")
    parser.add_argument("--edits", type=int, default=200, help="edits per seed (default 200)")
    parser.add_argument("--no-serve", action="store_true", help="leave out the serve quick path")
    parser.add_argument("--strict", action="store_true", help="known holes count as failures")
    parser.add_argument("--keep", type=Path, default=None, help="keep each seed's site here")
    args = parser.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="sitegen-differential-"))
    met: Counter[str] = Counter()
    diverged: list[int] = []
    started = time.perf_counter()
    for seed in range(args.first, args.first + args.seeds):
        root = base / f"seed-{seed}"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        seed_started = time.perf_counter()
        try:
            differ = run_seed(seed, args.edits, not args.no_serve, args.strict, root)
        except Divergence as exc:
            diverged.append(seed)
            print(f"seed {seed}: DIVERGED\n{exc}\n", flush=True)
            continue
        finally:
            if args.keep is None:
                shutil.rmtree(root, ignore_errors=True)
        met.update({name: len(logs) for name, logs in differ.met.items()})
        holes = ", ".join(f"{n} {len(v)}×" for n, v in differ.met.items()) or "none"
        print(
            f"seed {seed}: {args.edits} edits agree ({differ.failed_builds} failed alike, "
            f"{differ.quick_checks} serve quick-path checks; known holes met: {holes}) "
            f"in {time.perf_counter() - seed_started:.1f} s",
            flush=True,
        )
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    print(
        f"{args.seeds} seeds × {args.edits} edits in {time.perf_counter() - started:.1f} s: "
        f"{len(diverged)} diverged {diverged or ''}; known holes met: "
        + (", ".join(f"{n} {c}×" for n, c in met.most_common()) or "none")
    )
    return 1 if diverged else 0


if __name__ == "__main__":
    sys.exit(main())
