"""Backtest of the rising-topic rule (marts.rising_topics) on three histories.

1. **Real history**: the real listings in ../shared/data (May 2023 to April 2025, November
   2025). Real rises exist here; the report lists the flags of December 2024 to April 2025,
   when reasoning and reinforcement learning took off.
2. **Resampled ten years** (bench.generate): every day is drawn from the same pool of real
   papers, so no topic really rises and every flag is a false alarm. Target: <= 2% of the
   topic-weeks that have enough history.
3. **Injected rise**: one resampled year in which, for three weeks, each listing day gains
   INJECTED_PER_DAY extra papers about speech and audio. The rule should flag `speech-audio`
   in those weeks and nowhere else.

Each history is ingested with `papertrends ingest` into its own data dir under the work dir
(the real dbt project decides the flags), then marts.rising_topics is read.

    python -m bench.rising_backtest [--years 10] [--work DIR]

Results: bench/results/rising_backtest.json.
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb

from bench.common import BENCH_WORK, PROJECT_ROOT, child_env, ingest_cmd, machine, now, write_result
from bench.generate import END, daily_listings, load_base, render
from tests.shared_data import SHARED_DATA

INJECTED_TOPIC = "speech-audio"
INJECTED_WEEKS = (date(2025, 6, 2), date(2025, 6, 9), date(2025, 6, 16))
INJECTED_PER_DAY = 2
INJECTED_TEXT = re.compile(r"\b(speech|audio|music|voice|asr|tts)\b", re.IGNORECASE)
REAL_WINDOW = (date(2024, 12, 1), date(2025, 4, 30))


def ingest(paths: list[Path], data_dir: Path, reuse: bool) -> None:
    """`papertrends ingest` of paths into a new data_dir (with reuse, keep a built one)."""
    if reuse and (data_dir / "warehouse.duckdb").exists():
        print(f"  reusing {data_dir}", file=sys.stderr)
        return
    shutil.rmtree(data_dir, ignore_errors=True)
    log = data_dir.parent / f"{data_dir.name}-ingest.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        done = subprocess.run(ingest_cmd(*paths), cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT,
                              env=child_env({"PAPERTRENDS_DATA_DIR": str(data_dir)}))
    if done.returncode != 0:
        raise SystemExit(f"bench: ingest into {data_dir} failed; see {log}")


def flags(data_dir: Path) -> dict:
    """Eligible topic-weeks, flagged ones, and the flags themselves."""
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        eligible, flagged = con.execute(
            "select count(*) filter (where enough_history), count(*) filter (where is_rising) "
            "from marts.rising_topics").fetchall()[0]
        rows = con.execute(
            "select week_start, topic, n_last_7d, n_listed, share, trailing_share, z_score "
            "from marts.rising_topics where is_rising order by week_start, topic").fetchall()
    return {"eligible_topic_weeks": eligible, "flagged": flagged,
            "flag_rate": round(flagged / eligible, 4) if eligible else None,
            "flags": [{"week_start": str(w), "topic": t, "papers": n, "listed": n_listed,
                       "share": s, "trailing_share": ts, "z": z}
                      for w, t, n, n_listed, s, ts, z in rows]}


def resampled(out: Path, n_days: int, inject: bool) -> Path:
    """Write a resampled history (API JSON) of n_days ending on END, optionally with the rise."""
    if out.exists() and any(out.iterdir()):
        return out
    out.mkdir(parents=True)
    pool = [item for item in load_base()
            if INJECTED_TEXT.search(item["paper"]["title"] + " " + " ".join(item["paper"].get("ai_keywords") or []))]
    injected_days = {week + timedelta(days=d) for week in INJECTED_WEEKS for d in range(7)}
    for day, items in daily_listings(n_days, END):
        if inject and day in injected_days:
            for k in range(INJECTED_PER_DAY):
                extra = copy.deepcopy(pool[(day.toordinal() * INJECTED_PER_DAY + k) % len(pool)])
                paper = extra["paper"]
                paper["id"] = f"{day:%y%m}.{day.day:02d}9{k:02d}"
                paper["title"] = extra["title"] = f"{paper['title']} (injected {day:%Y%m%d}-{k})"
                paper["submittedOnDailyAt"] = f"{day.isoformat()}T00:00:00.000Z"
                paper["publishedAt"] = extra["publishedAt"] = f"{day - timedelta(days=1)}T12:00:00.000Z"
                items.append(extra)
        name, data = render(day, items, "json")
        (out / name).write_bytes(data)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rising_backtest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=int, default=10, help="length of the resampled history")
    parser.add_argument("--work", type=Path, default=BENCH_WORK / "rising")
    parser.add_argument("--reuse", action="store_true",
                        help="keep warehouses built by an earlier run (after a change to the rule, "
                             "rebuild them: leave this out)")
    args = parser.parse_args(argv)
    if not SHARED_DATA.is_dir():
        raise SystemExit(f"bench: {SHARED_DATA} is missing (the backtest reads the real history)")
    work = args.work

    print("real history ...", file=sys.stderr)
    ingest([SHARED_DATA / "hf_api_history", SHARED_DATA / "hf_api_daily"], work / "real", args.reuse)
    real = flags(work / "real")
    lo, hi = REAL_WINDOW
    real["window_flags"] = [f for f in real.pop("flags") if lo.isoformat() <= f["week_start"] <= hi.isoformat()]

    print(f"resampled {args.years} years ...", file=sys.stderr)
    ingest([resampled(work / f"resampled-{args.years}y-json", 365 * args.years, False)],
           work / f"resampled-{args.years}y", args.reuse)
    null = flags(work / f"resampled-{args.years}y")
    null["flags_per_week"] = round(null["flagged"] / (365 * args.years / 7), 3)
    null.pop("flags")

    print("injected rise ...", file=sys.stderr)
    ingest([resampled(work / "injected-json", 365, True)], work / "injected", args.reuse)
    injected = flags(work / "injected")
    weeks = {w.isoformat() for w in INJECTED_WEEKS}
    caught = sorted(f["week_start"] for f in injected["flags"]
                    if f["topic"] == INJECTED_TOPIC and f["week_start"] in weeks)
    others = [f for f in injected["flags"] if not (f["topic"] == INJECTED_TOPIC and f["week_start"] in weeks)]
    injected = {"topic": INJECTED_TOPIC, "weeks": sorted(weeks), "caught": caught,
                "other_flags": len(others), "eligible_topic_weeks": injected["eligible_topic_weeks"],
                "injected": [f for f in injected["flags"] if f["topic"] == INJECTED_TOPIC]}

    result = {"when": now(), "machine": machine(), "real_history": real,
              "resampled": {"years": args.years, **null}, "injected_rise": injected}
    path = write_result("rising_backtest", result)
    print(f"real history: {real['flagged']} of {real['eligible_topic_weeks']} topic-weeks flagged "
          f"({real['flag_rate']:.1%}); Dec 2024 - Apr 2025:")
    for f in real["window_flags"]:
        print(f"  {f['week_start']}  {f['topic']:<24} {f['papers']:>3}/{f['listed']:<4} "
              f"share {f['share']:.3f} vs {f['trailing_share']:.3f}  z {f['z']:.2f}")
    print(f"resampled {args.years} years (every flag false): {null['flagged']} of "
          f"{null['eligible_topic_weeks']} topic-weeks ({null['flag_rate']:.2%}), "
          f"{null['flags_per_week']} a week")
    print(f"injected rise of {INJECTED_TOPIC} in {len(weeks)} weeks: caught {len(caught)} "
          f"({', '.join(caught) or 'none'}); {len(others)} other flags in "
          f"{injected['eligible_topic_weeks']} topic-weeks")
    print(f"written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
