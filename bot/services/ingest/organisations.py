"""Regional and international organisations, and their bodies, as reports name them.

An organisation is not a country, but in a report it is one of the sides: a party to a
declaration, the host of a meeting, the employer of a secretary-general who travels. Ingest
reads it where it reads countries, under one name per organisation ("ASEAN", "African
Union"); a body ("the AU Commission", "the UN Security Council") stands for its organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.organisations import find_organisation
from bot.services.ingest.memo import cached

# One organisation a line: "Name | other names and codes | bodies", lists comma-separated; an
# indented line continues the one above.
# The name is what the desk records, spelt as bot.domain.organisations spells it where it
# knows the organisation ("GCC", "SCO", "OIC"; see desk_name). Codes are read only as written
# (capitals); names and bodies in any case. The European Union is also in the country table;
# its bodies are here.
_TABLE = """
European Union | EU, E.U., European Union | European Commission, EU Commission, European
    Council, Council of the European Union, Council of the EU, European Parliament, European
    External Action Service, EEAS
ASEAN | ASEAN, Association of Southeast Asian Nations, Association of South-East Asian Nations
    | ASEAN Secretariat, ASEAN Regional Forum
Gulf Cooperation Council | GCC, Gulf Cooperation Council, Cooperation Council for the Arab
    States of the Gulf | GCC Secretariat, GCC Secretariat General, GCC Ministerial Council,
    GCC Supreme Council
African Union | AU, African Union | African Union Commission, AU Commission, AU Peace and
    Security Council, African Union Peace and Security Council, Pan-African Parliament
United Nations | UN, U.N., United Nations | UN Security Council, United Nations Security
    Council, UN General Assembly, United Nations General Assembly, UN Secretariat, United
    Nations Secretariat, UN Human Rights Council, United Nations Human Rights Council, United
    Nations Development Programme, UN Development Programme, UNDP, UNICEF, UNHCR, UNESCO,
    World Food Programme, WFP, UNCTAD, UN Environment Programme, UNEP, UNFPA, UN Women, OCHA,
    UNRWA
Shanghai Cooperation Organisation | SCO, Shanghai Cooperation Organisation, Shanghai
    Cooperation Organization | SCO Secretariat, SCO Council of Heads of State, SCO Council of
    Foreign Ministers
Organisation of Islamic Cooperation | OIC, Organisation of Islamic Cooperation, Organization
    of Islamic Cooperation, Organisation of the Islamic Conference, Organization of the
    Islamic Conference | OIC Council of Foreign Ministers, OIC General Secretariat
ECOWAS | ECOWAS, Economic Community of West African States | ECOWAS Commission, ECOWAS
    Authority of Heads of State and Government, ECOWAS Parliament
Collective Security Treaty Organization | CSTO, Collective Security Treaty Organization,
    Collective Security Treaty Organisation |
Commonwealth of Independent States | CIS, Commonwealth of Independent States | CIS Executive
    Committee
Eurasian Economic Union | EAEU, EEU, Eurasian Economic Union | Eurasian Economic Commission,
    Supreme Eurasian Economic Council
Organization of Turkic States | OTS, Organization of Turkic States, Organisation of Turkic
    States |
NATO | NATO, North Atlantic Treaty Organization, North Atlantic Treaty Organisation | North
    Atlantic Council, NATO Secretariat
OSCE | OSCE, Organization for Security and Co-operation in Europe, Organization for Security
    and Cooperation in Europe | OSCE Ministerial Council, OSCE Permanent Council
Council of Europe | Council of Europe | Parliamentary Assembly of the Council of Europe, PACE
Arab League | Arab League, League of Arab States | Arab League Council
Organization of American States | OAS, Organization of American States |
Mercosur | Mercosur, Mercosul, Southern Common Market |
CARICOM | CARICOM, Caribbean Community |
Pacific Islands Forum | Pacific Islands Forum | Pacific Islands Forum Secretariat
SADC | SADC, Southern African Development Community |
East African Community | EAC, East African Community |
IGAD | IGAD, Intergovernmental Authority on Development |
SAARC | SAARC, South Asian Association for Regional Cooperation |
BIMSTEC | BIMSTEC |
CICA | CICA, Conference on Interaction and Confidence-Building Measures in Asia |
APEC | APEC, Asia-Pacific Economic Cooperation |
BRICS | BRICS |
G7 | G7, Group of Seven |
G20 | G20, Group of Twenty |
OPEC | OPEC, Organization of the Petroleum Exporting Countries |
World Trade Organization | WTO, World Trade Organization, World Trade Organisation |
International Monetary Fund | IMF, International Monetary Fund |
World Bank | World Bank, World Bank Group |
IAEA | IAEA, International Atomic Energy Agency |
World Health Organization | WHO, World Health Organization, World Health Organisation |
"""


@dataclass(frozen=True)
class Organisation:
    name: str
    forms: tuple[str, ...]  # every way of naming it or one of its bodies


def desk_name(name: str) -> str:
    """The name the desk's commands store an organisation under (bot.domain.organisations:
    "GCC" for "Gulf Cooperation Council"), so a record read from a report and one typed
    name the same side; `name` itself for one that table does not know."""
    found = find_organisation(name)
    return found.name if found is not None else name


def _parse(table: str) -> tuple[Organisation, ...]:
    out = []
    for line in re.sub(r"\n[ \t]+", " ", table.strip()).splitlines():
        name, others, bodies = (part.strip() for part in line.split("|"))
        forms = [name, *(f.strip() for f in f"{others},{bodies}".split(",") if f.strip())]
        out.append(Organisation(desk_name(name), tuple(dict.fromkeys(forms))))
    return tuple(out)


ORGANISATIONS = _parse(_TABLE)
NAMES = frozenset(o.name for o in ORGANISATIONS)


def _is_code(form: str) -> bool:
    return re.fullmatch(r"[A-Z][A-Z0-9.]{1,7}", form) is not None


def _pattern(form: str) -> str:
    words = [re.escape(w) for w in form.split()]
    body = r"\s+".join(words)
    return rf"(?<![\w-]){body}(?![\w-])" if not form.endswith(".") else rf"(?<![\w-]){body}"


_BY_FORM: dict[str, str] = {}
# Forms by their first word, each group tried longest first at a word that starts one: a
# sentence is read word by word, not tried against every form at every position.
_BY_FIRST: dict[tuple[bool, str], list[str]] = {}
for _org in ORGANISATIONS:
    for _form in _org.forms:
        _BY_FORM[_form.casefold()] = _org.name
        _code = _is_code(_form)
        _first = re.match(r"[\w'-]+", _form)
        assert _first is not None
        _key = _first.group() if _code else _first.group().casefold()
        _BY_FIRST.setdefault((_code, _key), []).append(_form)
# Longest first, so "African Union Commission" wins over "African Union" and "AU".
_AT: dict[tuple[bool, str], re.Pattern[str]] = {
    key: re.compile("|".join(_pattern(f) for f in sorted(forms, key=len, reverse=True)),
                    0 if key[0] else re.IGNORECASE)
    for key, forms in _BY_FIRST.items()
}
_WORD = re.compile(r"(?<![\w-])[\w'-]+")


@dataclass(frozen=True)
class OrgMention:
    start: int
    end: int
    text: str
    name: str  # the organisation's name as the desk records it


def find_organisations(sentence: str) -> list[OrgMention]:
    """Organisations and bodies named in a sentence, longest spelling first, no overlaps.

    A name in lower case is still a name ("the African union"); a code only in capitals
    ("AU", not "au"), and a name must start with a capital letter to count.
    """
    return list(_organisations_in(sentence))


@cached(8192)
def _organisations_in(sentence: str) -> tuple[OrgMention, ...]:
    found: list[OrgMention] = []
    covered = 0
    for word in _WORD.finditer(sentence):
        if word.start() < covered or not word.group()[0].isupper():
            continue
        best: re.Match[str] | None = None
        # Names first (in any case), then codes (as written), as the longest names win.
        for key in ((False, word.group().casefold()), (True, word.group())):
            pattern = _AT.get(key)
            match = pattern.match(sentence, word.start()) if pattern else None
            if match and (best is None or match.end() > best.end()):
                best = match
        if best is None:
            continue
        name = _BY_FORM.get(" ".join(best.group().split()).casefold())
        if name is not None:
            found.append(OrgMention(best.start(), best.end(), best.group(), name))
            covered = best.end()
    return tuple(found)


def is_organisation(name: str) -> bool:
    return name in NAMES


# Where an organisation sits: its own officials meeting there have not travelled.
SEATS = {
    "European Union": {"Brussels", "Strasbourg", "Luxembourg"}, "ASEAN": {"Jakarta"},
    "Gulf Cooperation Council": {"Riyadh"}, "African Union": {"Addis Ababa"},
    "United Nations": {"New York", "Geneva", "Vienna", "Nairobi"},
    "Shanghai Cooperation Organisation": {"Beijing"},
    "Organisation of Islamic Cooperation": {"Jeddah"}, "ECOWAS": {"Abuja"},
    "Collective Security Treaty Organization": {"Moscow"},
    "Commonwealth of Independent States": {"Minsk"}, "Eurasian Economic Union": {"Moscow"},
    "Organization of Turkic States": {"Istanbul"}, "NATO": {"Brussels"}, "OSCE": {"Vienna"},
    "Council of Europe": {"Strasbourg"}, "Arab League": {"Cairo"},
    "Organization of American States": {"Washington"}, "Mercosur": {"Montevideo"},
    "CARICOM": {"Georgetown"}, "Pacific Islands Forum": {"Suva"}, "SADC": {"Gaborone"},
    "East African Community": {"Arusha"}, "IGAD": {"Djibouti"}, "SAARC": {"Kathmandu"},
    "World Trade Organization": {"Geneva"}, "International Monetary Fund": {"Washington"},
    "World Bank": {"Washington"}, "IAEA": {"Vienna"}, "World Health Organization": {"Geneva"},
    "OPEC": {"Vienna"}, "APEC": {"Singapore"},
}


SEATS = {desk_name(name): cities for name, cities in SEATS.items()}


def seated_in(name: str, city: str) -> bool:
    """Whether `city` is where the organisation `name` sits."""
    return city in SEATS.get(name, set())
