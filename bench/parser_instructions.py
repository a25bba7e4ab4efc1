"""Instructions the parser executes per MB of page captures, counted by valgrind's callgrind: a
figure that does not move with the machine's speed, for telling whether a change to the parser
made it do more work.

    python -m bench.parser_instructions [--days 60] [--tree PATH ...]

Wall-clock throughput (bench.parser_throughput) follows this virtual machine's speed, which swings
by up to 1.7x, and varies 10-20% run to run: a change of a few percent cannot be told from noise
by timing. Valgrind counts the instructions the interpreter executes for `read_snapshot` over
the same generated captures, the same on every run to within ~0.1%. Each tree is counted twice,
parsing the first capture alone and then it and the next DAYS; the difference is those DAYS'
captures (interpreter start, imports and the first call's regex compilation are in both).

--tree names other checkouts to count with the same captures and the same virtual environment,
e.g. `git worktree add --detach /tmp/parser-before REV`, then `--tree /tmp/parser-before`.
Valgrind runs the interpreter ~50x slower: 60 days take about a minute a tree.
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import PROJECT_ROOT, write_result
from bench.generate import in_memory

# run in the child with the tree first on sys.path: reads the pickled captures, parses the first
# (compiling the parser's regular expressions), then all the others `passes` times
CHILD = """
import pickle, sys
from transforms.snapshot_reader import read_snapshot
items = pickle.load(open(sys.argv[1], "rb"))
read_snapshot(items[0][2], items[0][0], items[0][1])
for _ in range(int(sys.argv[2])):
    for day, name, data in items[1:]:
        read_snapshot(data, day, name)
"""
# the same instructions on every run: fixed string hashes, and no thread pools (polars', numpy's
# OpenBLAS) whose idle threads spin for as long as the scheduler lets them
ONE_THREAD = {"PYTHONHASHSEED": "0", "POLARS_MAX_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
COLLECTED_RE = re.compile(r"Collected : (\d+)")


def count_instructions(tree: Path, captures: Path, passes: int, work: Path) -> int:
    """Instructions valgrind counts for a child that parses the first capture, then the others
    `passes` times, with the parser of `tree`."""
    out = work / f"callgrind.{passes}.out"
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
         sys.executable, "-c", CHILD, str(captures), str(passes)],
        cwd=tree, env={**os.environ, **ONE_THREAD, "PYTHONPATH": str(tree)}, capture_output=True, text=True)
    found = COLLECTED_RE.search(result.stderr)
    if result.returncode != 0 or found is None:
        raise SystemExit(f"valgrind on {tree} failed (exit {result.returncode}):\n{result.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.parser_instructions", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=60, help="captures counted (one a day), default 60")
    parser.add_argument("--passes", type=int, default=3, help="times the captures are parsed, default 3")
    parser.add_argument("--tree", type=Path, action="append", default=[],
                        help="another checkout to count (repeatable); this one is counted first")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: `sudo apt-get install valgrind`, then run this again", file=sys.stderr)
        return 2
    items = in_memory(args.days + 1, "capture")
    mb = sum(len(data) for _, _, data in items[1:]) / 1e6
    rows = []
    with tempfile.TemporaryDirectory(prefix="parser-instructions-") as tmp:
        work = Path(tmp)
        captures = work / "captures.pkl"
        captures.write_bytes(pickle.dumps(items))
        for tree in [PROJECT_ROOT, *(t.resolve() for t in args.tree)]:
            counted = (count_instructions(tree, captures, args.passes, work)
                       - count_instructions(tree, captures, 0, work)) / args.passes
            rows.append({"tree": str(tree), "instructions_a_pass": round(counted), "per_mb": round(counted / mb)})
            than_first = f", {counted / rows[0]['instructions_a_pass']:.3f}x the first" if len(rows) > 1 else ""
            print(f"{tree}: {counted / 1e6:,.1f} M instructions a pass over {args.days} captures ({mb:.2f} MB), "
                  f"{counted / mb / 1e6:,.1f} M a MB{than_first}")
    write_result("parser_instructions", {"days": args.days, "passes": args.passes, "mb": round(mb, 2), "trees": rows})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
