"""Crafted inputs for ingest's time budget: texts that once made extraction quadratic."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"

# Units repeated to the size wanted. Each broke a part of the engine: a run of offices with no
# full stop is one endless sentence; initials and dotted abbreviations are full stops that end
# no sentence; the same report sentence, thousands of times, is thousands of meetings to merge.
UNITS = {
    "titles": "Deputy Prime Minister and Foreign Minister ",
    "initials": "A. B. C. D. ",
    "abbreviations": "Mr. Dr. Amb. Nov. ",
    "abbreviations-in-prose": "Mr. Dr. Amb. Nov. 3 at the ",
    "report-sentence": "Mr. Dar met Dr. Nurtleu on Nov. 3. ",
    "report-sentence-with-countries": "Kazakh Foreign Minister Murat Nurtleu met Pakistan's "
                                      "Ishaq Dar in Islamabad on Nov. 3 and signed a protocol. ",
    # Follow-ups: each sentence sets work before a visit, and each looks for that visit.
    "directives": "President Tokayev will visit Islamabad in May 2026. The ministers directed "
                  "their teams to finalise an agreement before the visit and agreed to hold the "
                  "next round in Astana by then. ",
    # One endless sentence of directives, each looking for where its work ends.
    "directive-chain": "tasked the working group with preparing a roadmap and instructed the "
                       "experts to draft a protocol by June 2026 and ",
}


def _names() -> Iterator[tuple[str, str]]:
    syllables = ["ka", "ro", "mi", "ta", "le", "su", "no", "va", "de", "zi", "po", "ha", "bu",
                 "ne", "si", "lo"]
    for a, b, c in itertools.product(syllables, repeat=3):
        yield (a + b).capitalize(), (b + c + "ov").capitalize()


def _many_people(size: int) -> str:
    """A different pair of officials in every sentence: the registry of people grows with it."""
    out, names, length = [], _names(), 0
    while length < size:
        (f1, s1), (f2, s2) = next(names), next(names)
        out.append(f"Foreign Minister {f1} {s1} of Kenya met Ambassador {f2} {s2} of Ghana in "
                   "Nairobi on 3 May 2026. ")
        length += len(out[-1])
    return "".join(out)


def _one_surname(size: int) -> str:
    """Everyone called Dar: each mention of the surname could be any of them."""
    out, length = [], 0
    firsts = ("".join(p).capitalize() for p in itertools.product(
        ["ka", "ro", "mi", "ta", "le", "su", "no", "va", "de", "zi", "po", "ha", "bu", "ne",
         "si", "lo"], repeat=3))
    while length < size:
        out.append(f"Foreign Minister {next(firsts)} Dar of Kenya met Ambassador {next(firsts)} "
                   "Dar of Ghana in Nairobi on 3 May 2026. Dar thanked Dar. ")
        length += len(out[-1])
    return "".join(out)


def _list_items(size: int) -> str:
    """One lead-in and a list as long as the text: each item's subject is the lead-in's."""
    head = "During the visit, Deputy Prime Minister Ishaq Dar of Pakistan:\n"
    item = "- held talks with Kazakh Foreign Minister Murat Nurtleu in Astana on 3 May 2026;\n"
    return head + item * (size // len(item) + 1)


def _reports(size: int) -> str:
    """The evaluation texts one after another: ordinary prose, mostly distinct."""
    texts = [p.read_text("utf-8") for p in sorted(DATA.glob("ingest*/**/*.txt"))]
    out, length = [], 0
    for text in itertools.cycle(texts):
        if length >= size:
            break
        out.append(text + "\n\n")
        length += len(out[-1])
    return "".join(out)


def _repeated(unit: str) -> Callable[[int], str]:
    return lambda size: unit * (size // len(unit) + 1)


BUILDERS: dict[str, Callable[[int], str]] = {
    **{name: _repeated(unit) for name, unit in UNITS.items()},
    "many-people": _many_people,
    "one-surname": _one_surname,
    "list-items": _list_items,
    "reports": _reports,
}


def crafted(name: str, size: int) -> str:
    """`size` bytes (UTF-8) of the named input."""
    return BUILDERS[name](size).encode("utf-8")[:size].decode("utf-8", "ignore")
