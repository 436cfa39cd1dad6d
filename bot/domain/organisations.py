"""International organisations a desk deals with as a side: one name for each, whatever is typed.

Where a command asks for a party or a side (a visit's countries, a meeting's countries, a
plan's parties, a country filter), an organisation is as good as a country: "ASEAN",
"the Gulf Cooperation Council" and "GCC" are all GCC. `read_side` is the one reader: a
country, else an organisation, else a refusal naming the closest matches.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

from bot.domain.countries import all_countries, find_country
from bot.domain.errors import UserError


@dataclass(frozen=True)
class Organisation:
    name: str  # as a desk writes it: the acronym where that is what people say
    aliases: tuple[str, ...]


# "Name | aliases": the name is how records store it.
_TABLE = """
United Nations | UN, U.N., UNO, the UN
African Union | AU
ASEAN | Association of Southeast Asian Nations
GCC | Gulf Cooperation Council, Cooperation Council for the Arab States of the Gulf
SCO | Shanghai Cooperation Organisation, Shanghai Cooperation Organization
OIC | Organisation of Islamic Cooperation, Organization of Islamic Cooperation
SAARC | South Asian Association for Regional Cooperation
ECO | Economic Cooperation Organization, Economic Cooperation Organisation
CIS | Commonwealth of Independent States
CSTO | Collective Security Treaty Organization, Collective Security Treaty Organisation
Eurasian Economic Union | EAEU, EEU
Organization of Turkic States | OTS, Organisation of Turkic States, Turkic Council
CICA | Conference on Interaction and Confidence-Building Measures in Asia
NATO | North Atlantic Treaty Organization, North Atlantic Treaty Organisation, OTAN
OSCE | Organization for Security and Co-operation in Europe
Council of Europe | CoE
Arab League | League of Arab States, LAS
Commonwealth | Commonwealth of Nations
G7 | Group of Seven
G20 | Group of Twenty
BRICS | BRICS+
OPEC | Organization of the Petroleum Exporting Countries
WTO | World Trade Organization, World Trade Organisation
IMF | International Monetary Fund
World Bank | WB, World Bank Group
Asian Development Bank | ADB
AIIB | Asian Infrastructure Investment Bank
WHO | World Health Organization, World Health Organisation
UNESCO | United Nations Educational, Scientific and Cultural Organization
UNHCR | United Nations High Commissioner for Refugees, UN Refugee Agency
UNICEF | United Nations Children's Fund
UNDP | United Nations Development Programme
IAEA | International Atomic Energy Agency
IOM | International Organization for Migration
ICRC | International Committee of the Red Cross
APEC | Asia-Pacific Economic Cooperation
Mercosur | Southern Common Market, Mercosul
CARICOM | Caribbean Community
ECOWAS | Economic Community of West African States
SADC | Southern African Development Community
East African Community | EAC
IGAD | Intergovernmental Authority on Development
Pacific Islands Forum | PIF
Non-Aligned Movement | NAM
CAREC | Central Asia Regional Economic Cooperation
"""


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"^the\s+", "", text.strip())
    return " ".join(re.sub(r"[.'’]", "", text).replace("-", " ").split())


def _parse() -> tuple[Organisation, ...]:
    found = []
    for line in _TABLE.strip().splitlines():
        name, _, aliases = (part.strip() for part in line.partition("|"))
        found.append(Organisation(name, tuple(a.strip() for a in aliases.split(",") if a.strip())))
    return tuple(found)


ORGANISATIONS = _parse()


@functools.cache
def _by_key() -> dict[str, Organisation]:
    out: dict[str, Organisation] = {}
    for org in ORGANISATIONS:
        for form in (org.name, *org.aliases):
            out.setdefault(_key(form), org)
    return out


def find_organisation(text: str) -> Organisation | None:
    """The organisation a name or acronym refers to, or None."""
    return _by_key().get(_key(text))


@functools.cache
def _names() -> dict[str, str]:
    """Every form a country or organisation is known by (folded) → its canonical name."""
    out: dict[str, str] = {}
    for country in all_countries():
        for form in (country.name, *country.aliases, *country.demonyms):
            out.setdefault(_key(form), country.name)
    for org in ORGANISATIONS:
        for form in (org.name, *org.aliases):
            out.setdefault(_key(form), org.name)
    return out


def closest(text: str, limit: int = 3, *, organisations: bool = True) -> list[str]:
    """Canonical names spelt most like `text`, best first: for 'did you mean …?'."""
    names = _names()
    if not organisations:
        orgs = {o.name for o in ORGANISATIONS}
        names = {k: v for k, v in names.items() if v not in orgs}
    key = _key(text)
    keys = difflib.get_close_matches(key, list(names), n=limit * 4, cutoff=0.5)
    # A word several names start with ("korea"): those names too.
    keys += [k for k in names if key and len(key) >= 4 and
             any(word.startswith(key) for word in k.split())]
    out: list[str] = []
    for k in keys:
        if names[k] not in out:
            out.append(names[k])
    return out[:limit]


def read_side(text: str, *, what: str = "country", organisations: bool = True) -> str:
    """The canonical country (or, with `organisations`, organisation) `text` names.

    Refused, naming the closest matches, when it names neither: a typo ("Kazakstan") or a
    country that does not exist ("Narnia") never becomes a record's country.
    """
    typed = " ".join(str(text).split())
    country = find_country(typed)
    org = find_organisation(typed) if organisations else None
    if country is not None and org is not None and country.name != org.name:
        # "AU": Australia's code, and the African Union.
        raise UserError(f"{what}: “{typed}” could be {country.name} or the {org.name}; type "
                        "the name. /help topic:countries says more.")
    if country is not None:
        return country.name
    if org is not None:
        return org.name
    near = closest(typed, organisations=organisations)
    hint = f" Did you mean {_or(near)}?" if near else ""
    kinds = ("neither a country nor an organisation (such as ASEAN or the EU)" if organisations
             else "not a country")
    raise UserError(f"{what}: “{typed}” is {kinds} that I know, so nothing was saved.{hint} "
                    "Start typing and pick from the list; /help topic:countries says more.")


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def suggest_organisations(typed: str, limit: int = 25) -> list[str]:
    """Organisation names whose name or alias has a word starting with `typed`."""
    key = _key(typed)
    if not key:
        return []
    found = []
    for org in ORGANISATIONS:
        forms = [_key(f) for f in (org.name, *org.aliases)]
        if any(word.startswith(key) or form.startswith(key)
               for form in forms for word in form.split()):
            found.append(org.name)
    return found[:limit]


# Past this, an entry is refused for its length by the record's own checks, which say so.
ENTRY_MAX = 100


def read_sides(items: list[str], *, what: str = "countries") -> list[str]:
    """Each entry of a typed list as its country or organisation (see read_side)."""
    return list(dict.fromkeys(item if len(item) > ENTRY_MAX else read_side(item, what=what)
                              for item in items))


def read_parties(items: list[str]) -> list[str]:
    """A plan's parties: countries and organisations by their names; a party of several
    words that is neither ("Ministry of Foreign Affairs of Pakistan") stays as written, as
    a plan may be signed by a ministry, but one word that is neither is taken for a
    misspelt country and refused with the closest matches."""
    out: list[str] = []
    for item in items:
        typed = " ".join(item.split())
        if len(typed) > ENTRY_MAX or (find_country(typed) is None and find_organisation(typed)
                                      is None and len(typed.split()) > 1):
            out.append(typed)
        else:
            out.append(read_side(typed, what="parties"))
    return list(dict.fromkeys(out))
