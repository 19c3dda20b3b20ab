"""How fast the NLU loads and parses.

    python -m bench.nlu_bench [--rounds 5]

Prints the time to build the default pipeline (training included), then parses per second and the
median and 99th-percentile time of one parse over every labelled example in nlu/data and nlu/eval,
and the time of a 10,000-character message (only its first 1,000 characters are analysed).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime

from nlu.evaluate import EVAL_DIR
from nlu.message import TIMEZONE
from nlu.pipeline import DATA_DIR, load_pipeline
from nlu.training import load_directory

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=TIMEZONE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="passes over the examples")
    rounds = parser.parse_args().rounds

    start = time.perf_counter()
    pipeline = load_pipeline()
    print(f"{'load_pipeline (train from nlu/data)':<45} {time.perf_counter() - start:8.3f} s")

    examples = [*load_directory(DATA_DIR), *load_directory(EVAL_DIR)]
    timings = []
    for _ in range(rounds):
        for example in examples:
            began = time.perf_counter()
            pipeline.parse(example.text, role=example.role, now=NOW)
            timings.append(time.perf_counter() - began)
    total = sum(timings)
    print(f"{'parses':<45} {len(timings):8d}")
    print(f"{'parses per second':<45} {len(timings) / total:8.0f}")
    print(f"{'median parse':<45} {statistics.median(timings) * 1000:8.3f} ms")
    print(f"{'99th percentile parse':<45} {statistics.quantiles(timings, n=100)[98] * 1000:8.3f} ms")

    long_text = "Sharma ko 25000 ka bill bhejo, kal tak pakka. " * 220
    began = time.perf_counter()
    pipeline.parse(long_text, role="owner", now=NOW)
    print(f"{f'one {len(long_text):,}-character message':<45} {(time.perf_counter() - began) * 1000:8.3f} ms")


if __name__ == "__main__":
    main()
