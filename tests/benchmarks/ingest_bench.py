"""Ingest extraction time on crafted attachments of about 200 KB (the most /ingest reads).

    .venv/bin/python -m tests.benchmarks.ingest_bench [--timeout 30]

Each text is read by `bot.services.ingest.propose`, timed in-process, in a child process of
its own so that one that runs for minutes can be stopped at `--timeout` seconds and reported
as slower than that. The texts: repeated titles, runs of initials, runs of abbreviations with
dots, one short report sentence repeated ("Mr. Dar met Dr. Nurtleu on Nov. 3."), and an
ordinary press release repeated. Target (issue 11): each in under 2 s. Prints figures,
asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from tests.benchmarks.harness import ROOT

LIMIT = 200_000  # bytes: bot.services.ingest.guard.MAX_BYTES
TARGET_S = 2.0
TODAY = date(2025, 11, 20)

OPENING = ("ASTANA, 3 November 2025. Foreign Minister Ishaq Dar of Pakistan visited Kazakhstan "
           "and held talks with Foreign Minister Murat Nurtleu in Astana. ")


def _fill(head: str, unit: Callable[[int], str], tail: str = "") -> str:
    """`head`, then `unit(0)`, `unit(1)`, … for as long as the whole stays within LIMIT."""
    parts, size = [head], len(head.encode()) + len(tail.encode())
    n = 0
    while True:
        piece = unit(n)
        grown = size + len(piece.encode())
        if grown > LIMIT:
            break
        parts.append(piece)
        size = grown
        n += 1
    return "".join(parts) + tail


TITLES = ("Foreign Minister", "Deputy Prime Minister", "Minister of Trade", "Ambassador",
          "Deputy Foreign Minister", "Special Envoy", "Prime Minister", "President")
ABBREVIATIONS = ("Mr.", "Dr.", "Prof.", "Amb.", "H.E.", "Gen.", "Col.", "Lt.", "St.", "Nov.",
                 "Dec.", "Jan.", "Feb.", "U.S.", "U.K.", "e.g.", "i.e.", "etc.", "No.", "Rt.",
                 "Hon.", "Sen.", "Gov.", "Jr.", "Sr.", "Mt.", "Ft.", "approx.", "vs.", "a.m.")
PARAGRAPH = (
    "The Foreign Minister of Pakistan, Ishaq Dar, paid an official visit to Kazakhstan on "
    "3-4 November 2025. He held talks with Foreign Minister Murat Nurtleu in Astana. The "
    "ministers signed a roadmap on trade and transit cooperation for 2026-2028 and agreed to "
    "convene the joint working group on railways in the first quarter of next year. President "
    "Kassym-Jomart Tokayev is expected to visit Islamabad in spring 2026. "
)


def texts() -> dict[str, str]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return {
        "repeated titles": _fill(
            OPENING + "Present at the talks were the ",
            lambda n: f"{TITLES[n % len(TITLES)]} and the ", "Foreign Minister."),
        # Runs of twelve initials (and of eight abbreviations) with a few common words
        # between them, so that the text still reads as English to the guard.
        "runs of initials": _fill(
            OPENING + "The roadmap was signed on behalf of the two governments by ",
            lambda n: " ".join(f"{letters[(n + k) % 26]}." for k in range(12))
            + " Dar of the ministry and the ", "Dar."),
        "runs of abbreviations with dots": _fill(
            OPENING, lambda n: " ".join(ABBREVIATIONS[(n * 8 + k) % len(ABBREVIATIONS)]
                                        for k in range(8)) + " and the "),
        "one report sentence repeated": _fill(
            OPENING, lambda n: "Mr. Dar met Dr. Nurtleu on Nov. 3. "),
        "a press release repeated": _fill("", lambda n: PARAGRAPH),
    }


def time_one(name: str) -> dict[str, Any]:
    """Runs propose on one text here, in this process."""
    from bot.domain.errors import UserError
    from bot.services.ingest import propose

    text = texts()[name]
    began = time.perf_counter()
    try:
        proposal = propose(text, dateline=None, today=TODAY)
        outcome = f"{len(proposal.bundle)} records proposed"
    except UserError as exc:
        outcome = f"refused: {str(exc).splitlines()[0][:120]}"
    seconds = time.perf_counter() - began
    return {"text": name, "bytes": len(text.encode()), "seconds": round(seconds, 3),
            "outcome": outcome}


async def time_all(limit_s: float, only: list[str] | None = None) -> list[dict[str, Any]]:
    """Every crafted text in a child process of its own, stopped after `limit_s` seconds."""
    results = []
    for name in texts():
        if only and name not in only:
            continue
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.benchmarks.ingest_bench", "--one", name,
            cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        began = time.perf_counter()
        try:
            out, err = await asyncio.wait_for(process.communicate(), limit_s)
        except TimeoutError:
            process.kill()
            await process.wait()
            results.append({"text": name, "bytes": len(texts()[name].encode()),
                            "seconds": None, "stopped_after_s": round(
                                time.perf_counter() - began, 1),
                            "outcome": f"still running after {limit_s:g} s; stopped"})
            continue
        if process.returncode != 0:
            results.append({"text": name, "bytes": len(texts()[name].encode()),
                            "seconds": None, "outcome": "crashed: " + err.decode(
                                "utf-8", "replace").strip().splitlines()[-1][:200]})
            continue
        results.append(json.loads(out.decode().strip().splitlines()[-1]))
    return results


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [f"| crafted attachment | size | propose() time | target < {TARGET_S:g} s | outcome |",
             "|---|---:|---:|---|---|"]
    for r in results:
        seconds = r.get("seconds")
        shown = f"{seconds:.2f} s" if seconds is not None else (
            f"> {r['stopped_after_s']:g} s" if "stopped_after_s" in r else "—")
        verdict = "met" if seconds is not None and seconds < TARGET_S else "missed"
        lines.append(f"| {r['text']} | {r['bytes'] / 1000:.0f} KB | {shown} | {verdict} | "
                     f"{r['outcome']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.ingest_bench",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds after which one text is stopped (30)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(time_one(args.one)))
        return 0
    results = asyncio.run(time_all(args.timeout))
    print(markdown(results))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
