"""Benchmark: the plan wording checker over a national-sized file of provision lines.

Samples 1.5 million provision statements as plans write them (the demo generator's templates
plus variants with random numbers, therapies, deliverers and vague wording), checks them all
with `check_many` in this one process, and compares the time with a baseline measured in the
same run over the same lines (lower-casing each line and one regular-expression search),
because these machines are noisy and only same-run comparisons mean much. Then a fuzz run:
random Unicode strings, none of which may make the checker raise.

Prints the figures and writes the "Wording checker" section of docs/benchmarks.md.

    python benchmarks/wording.py                         # 1.5 million lines, 100,000 fuzz strings
    python benchmarks/wording.py --lines 150000 --fuzz 10000 --no-write
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fulfil.demo.wording import MAIN_LINES, SUPPORTING_LINES  # noqa: E402 - after the path is set
from fulfil.plans.wording import VERDICTS, check_many, check_statement  # noqa: E402
from fulfil.plans.wording import vocabulary as v  # noqa: E402

# The target: a national extract of plan lines checked in under two minutes.
TARGET_LINES = 1_500_000
TARGET_SECONDS = 120
# The baseline: the least any checker must do with each line (read it, search it once).
BASELINE_PATTERN = re.compile(r"(\d+)\s*(?:x|times|sessions?)\b")

NAMES = ["Sam", "Aisha", "Oliver", "Zainab", "Jack", "Mia", "Kacper", "Amelia", "Tomasz", "Ruby", "Yusuf", "Isla"]
THERAPIES = {
    "salt": ["speech and language therapy", "SALT", "SaLT", "SLT", "speech therapy"],
    "ot": ["occupational therapy", "OT"],
    "physio": ["physiotherapy", "physio", "PT"],
}
THERAPISTS = {
    "salt": ["a speech and language therapist", "an HCPC-registered SaLT", "the SLT", "a specialist speech and language therapist"],
    "ot": ["an occupational therapist", "an HCPC-registered OT", "the OT"],
    "physio": ["a physiotherapist", "a chartered physiotherapist", "the physio"],
}
STAFF = ["a trained TA", "the class LSA", "school staff", "a teaching assistant", "the class teacher", "a trained adult"]
COUNTS = ["{n}", "{w}"]
NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve"]
MINUTES = ["{m}-minute", "{m} min", "{m} minute", "{m} mins"]
FREQUENCIES = [
    "weekly", "twice weekly", "fortnightly", "monthly", "half-termly", "termly", "{n} times a week", "{w} times per week",
    "every two weeks", "once a week", "once a fortnight", "each half term", "per term", "{n} sessions per term",
    "{n} sessions per academic year", "daily", "2-3 times a week", "once per half-term",
]
PURPOSES = [
    "to develop {name}'s understanding of spoken language", "focusing on fine motor skills and handwriting",
    "to maintain range of movement", "targeting expressive vocabulary", "to support the use of {name}'s AAC device",
    "working on attention and listening", "to develop independence in dressing", "",
]
VAGUE = [
    "Regular access to {therapy} as appropriate to {name}'s needs.",
    "Access to {therapy} advice as and when needed.",
    "Opportunities to practise {name}'s targets throughout the school day.",
    "Up to {n} sessions of {therapy} a year if needed.",
    "Ongoing support from the {therapy} service.",
    "{therapy} input as required.",
    "{h} hours of {therapy} per term.",
]


def _fill(template: str, rng: random.Random, discipline: str) -> str:
    return template.format(
        n=rng.randint(1, 10), w=rng.choice(NUMBER_WORDS), m=rng.choice((15, 20, 30, 40, 45, 60)), h=rng.randint(1, 6),
        name=rng.choice(NAMES), therapy=rng.choice(THERAPIES[discipline]),
    )


def _variant(rng: random.Random) -> str:
    """A statement built from parts, with random numbers: most plans are quantified, some not."""
    discipline = rng.choice(list(THERAPIES))
    roll = rng.random()
    if roll < 0.15:
        return _fill(rng.choice(VAGUE), rng, discipline)
    frequency = rng.choice(FREQUENCIES)
    minutes = rng.choice(MINUTES)
    therapy = rng.choice(THERAPIES[discipline])
    kind = rng.choice(["individual ", "1:1 ", "direct ", "small-group ", ""])
    who = rng.choice(THERAPISTS[discipline] + STAFF)
    purpose = rng.choice(PURPOSES)
    shapes = [
        f"{frequency} {minutes} {kind}{therapy} sessions with {who} {purpose}",
        f"{rng.choice(COUNTS)} x {minutes} {kind}{therapy} sessions {frequency}, delivered by {who}",
        f"A programme of activities devised by {rng.choice(THERAPISTS[discipline])}, delivered {frequency} for {minutes} by {rng.choice(STAFF)}",
        f"{therapy}: {frequency}, {minutes} sessions, {who}, reviewed half-termly",
        f"{kind}{therapy} {frequency} for {minutes}s {purpose}",
    ]
    text = _fill(rng.choice(shapes), rng, discipline).strip().replace("  ", " ")
    text = text[0].upper() + text[1:]
    if rng.random() < 0.2:
        text += " plus " + _fill(rng.choice(["a sensory diet delivered daily by {staff}", "termly training for staff",
                                             "a daily 10-minute programme with the TA"]).replace("{staff}", rng.choice(STAFF)), rng, discipline)
    return text + "."


def sample_lines(count: int, seed: int) -> list[str]:
    """`count` statements: about half from the demo templates, half built with random parts."""
    rng = random.Random(seed)
    templates = [t for lines in (MAIN_LINES, SUPPORTING_LINES) for group in lines.values() for t in group]
    weights = [t.weight for t in templates]
    chosen = rng.choices(templates, weights=weights, k=count // 2)
    lines = [t.wording.replace("{name}", rng.choice(NAMES)) for t in chosen]
    lines.extend(_variant(rng) for _ in range(count - len(lines)))
    rng.shuffle(lines)
    return lines


def fuzz_strings(count: int, seed: int) -> list[str]:
    """Random Unicode (lone surrogates, combining marks, right-to-left text included) and
    random runs of the words the checker knows."""
    rng = random.Random(seed)
    words = sorted(v.WORDS) + sorted(v.PHRASES) + ["-", "(", ")", ",", ".", ";", "1:1", "2-3", "\n", "99999999999", "0", "1.5"]
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.4:
            out.append("".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(0, 80))))
        elif roll < 0.8:
            out.append(" ".join(rng.choice(words) for _ in range(rng.randint(0, 40))))
        else:
            out.append("".join(rng.choice(" -'x.,;:()0123456789aeiotsnrl\nİ½×–\u0301\u202e") for _ in range(rng.randint(0, 120))))
    return out


def time_checker(lines: list[str]) -> tuple[float, float, Counter[str]]:
    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    verdicts = Counter(check.verdict for check in check_many(lines))
    return time.perf_counter() - started, time.process_time() - cpu, verdicts


def time_baseline(lines: list[str]) -> float:
    search = BASELINE_PATTERN.search
    gc.collect()
    started = time.perf_counter()
    found = 0
    for line in lines:
        if search(line.lower()):
            found += 1
    return time.perf_counter() - started


def fuzz(strings: list[str]) -> float:
    started = time.perf_counter()
    for text in strings:
        check = check_statement(text)
        if check.verdict not in VERDICTS:
            raise AssertionError(f"bad verdict {check.verdict!r} for {text!r}")
        check.to_dict()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=TARGET_LINES)
    parser.add_argument("--fuzz", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-write", action="store_true", help="Print only; leave docs/benchmarks.md alone")
    options = parser.parse_args()

    print(f"Sampling {options.lines:,} provision lines...", flush=True)
    lines = sample_lines(options.lines, options.seed)
    characters = sum(map(len, lines))
    baseline = time_baseline(lines)
    print(f"Baseline (lower() + one regex search): {baseline:.1f} s", flush=True)
    wall, cpu, verdicts = time_checker(lines)
    rate = len(lines) / wall
    print(f"Checker: {len(lines):,} lines in {wall:.1f} s ({cpu:.1f} s CPU), {rate:,.0f} lines/second, "
          f"{wall / baseline:.0f}x the baseline", flush=True)
    print("Verdicts: " + ", ".join(f"{verdicts[name]:,} {name}" for name in VERDICTS), flush=True)
    strings = fuzz_strings(options.fuzz, options.seed)
    fuzz_seconds = fuzz(strings)
    print(f"Fuzz: {len(strings):,} random strings in {fuzz_seconds:.1f} s, no exception", flush=True)

    scaled = wall * TARGET_LINES / len(lines)
    met = "met" if scaled < TARGET_SECONDS else "NOT met"
    command = "python benchmarks/wording.py" + ("" if options.lines == TARGET_LINES else f" --lines {options.lines}")
    text = "\n".join([
        "## Wording checker",
        "",
        f"Measured {dt.date.today().isoformat()} on {platform.node() or 'unknown'}: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, by `{command}` (one process).",
        "",
        "| case | lines | characters | time | lines per second | baseline in the same run | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| `check_many` over sampled provision statements | {len(lines):,} | {characters:,} | {wall:.1f} s ({cpu:.1f} s CPU) "
        f"| {rate:,.0f} | `lower()` + one regex search: {baseline:.2f} s | {wall / baseline:.0f}x the baseline |",
        "",
        f"Target: {TARGET_LINES:,} lines in under {TARGET_SECONDS} s: {met} ({scaled:.0f} s at this rate).",
        "Verdicts: " + ", ".join(f"{verdicts[name]:,} {name.replace('_', ' ')}" for name in VERDICTS) + ".",
        f"Fuzz: {len(strings):,} random strings (any Unicode, including lone surrogates; random runs of plan words) "
        f"checked in {fuzz_seconds:.1f} s with no exception.",
    ])
    print()
    print(text)
    if not options.no_write:
        from benchmarks._docs import write_section

        write_section("Wording checker", text)


if __name__ == "__main__":
    main()
