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
from bot.domain.syntax import SyntaxRefusal, Topic


@dataclass(frozen=True)
class Organisation:
    """One organisation, as the desk and ingest both know it."""

    name: str  # as a desk writes it: the acronym where that is what people say
    aliases: tuple[str, ...]  # other names and codes; a code is read only in capitals in a report
    bodies: tuple[str, ...] = ()  # its organs, which stand for it ("the AU Commission")
    seats: tuple[str, ...] = ()  # the cities it sits in: its own officials there have not travelled

    @property
    def forms(self) -> tuple[str, ...]:
        """Every way of naming it or one of its bodies, its name first."""
        return tuple(dict.fromkeys((self.name, *self.aliases, *self.bodies)))


# The one table, for the commands (a side typed) and for ingest (a side read in a report).
# "Name | other names and codes | bodies | seats", lists comma-separated; an indented line
# continues the one above. The name is how records store it, so it never changes once used.
# The European Union is in the country table too (a desk types it as a country); it is here
# for its bodies and seats.
_TABLE = """
United Nations | UN, U.N., UNO, the UN | UN Security Council, United Nations Security Council,
    UN General Assembly, United Nations General Assembly, UN Secretariat, United Nations
    Secretariat, UN Human Rights Council, United Nations Human Rights Council, World Food
    Programme, WFP, UNCTAD, UN Environment Programme, UNEP, UNFPA, UN Women, OCHA, UNRWA
    | New York, Geneva, Vienna, Nairobi
European Union | EU, E.U. | European Commission, EU Commission, European Council, Council of
    the European Union, Council of the EU, European Parliament, European External Action
    Service, EEAS | Brussels, Strasbourg, Luxembourg
African Union | AU | African Union Commission, AU Commission, AU Peace and Security Council,
    African Union Peace and Security Council, Pan-African Parliament | Addis Ababa
ASEAN | Association of Southeast Asian Nations, Association of South-East Asian Nations |
    ASEAN Secretariat, ASEAN Regional Forum | Jakarta
GCC | Gulf Cooperation Council, Cooperation Council for the Arab States of the Gulf |
    GCC Secretariat, GCC Secretariat General, GCC Ministerial Council, GCC Supreme Council
    | Riyadh
SCO | Shanghai Cooperation Organisation, Shanghai Cooperation Organization | SCO Secretariat,
    SCO Council of Heads of State, SCO Council of Foreign Ministers | Beijing
OIC | Organisation of Islamic Cooperation, Organization of Islamic Cooperation, Organisation of
    the Islamic Conference, Organization of the Islamic Conference | OIC Council of Foreign
    Ministers, OIC General Secretariat | Jeddah
SAARC | South Asian Association for Regional Cooperation | SAARC Secretariat | Kathmandu
ECO | Economic Cooperation Organization, Economic Cooperation Organisation | | Tehran
CIS | Commonwealth of Independent States | CIS Executive Committee | Minsk
CSTO | Collective Security Treaty Organization, Collective Security Treaty Organisation | |
    Moscow
Eurasian Economic Union | EAEU, EEU | Eurasian Economic Commission, Supreme Eurasian Economic
    Council | Moscow
Organization of Turkic States | OTS, Organisation of Turkic States, Turkic Council | | Istanbul
CICA | Conference on Interaction and Confidence-Building Measures in Asia | CICA Secretariat |
    Astana
NATO | North Atlantic Treaty Organization, North Atlantic Treaty Organisation, OTAN | North
    Atlantic Council, NATO Secretariat | Brussels
OSCE | Organization for Security and Co-operation in Europe, Organization for Security and
    Cooperation in Europe | OSCE Ministerial Council, OSCE Permanent Council | Vienna
Council of Europe | CoE | Parliamentary Assembly of the Council of Europe, PACE | Strasbourg
Arab League | League of Arab States, LAS | Arab League Council | Cairo
Organization of American States | OAS, Organisation of American States | | Washington
Commonwealth | Commonwealth of Nations | Commonwealth Secretariat | London
G7 | Group of Seven | |
G20 | Group of Twenty | |
BRICS | BRICS+ | |
OPEC | Organization of the Petroleum Exporting Countries | | Vienna
World Trade Organization | WTO, World Trade Organisation | | Geneva
International Monetary Fund | IMF | | Washington
World Bank | WB, World Bank Group | | Washington
Asian Development Bank | ADB | | Manila
AIIB | Asian Infrastructure Investment Bank | | Beijing
World Health Organization | WHO, World Health Organisation | | Geneva
UNESCO | United Nations Educational, Scientific and Cultural Organization | | Paris
UNHCR | United Nations High Commissioner for Refugees, UN Refugee Agency | | Geneva
UNICEF | United Nations Children's Fund | | New York
UNDP | United Nations Development Programme, UN Development Programme | | New York
IAEA | International Atomic Energy Agency | | Vienna
IOM | International Organization for Migration | | Geneva
ICRC | International Committee of the Red Cross | | Geneva
OECD | Organisation for Economic Co-operation and Development, Organization for Economic
    Cooperation and Development | | Paris
APEC | Asia-Pacific Economic Cooperation | APEC Secretariat | Singapore
Mercosur | Southern Common Market, Mercosul | | Montevideo
Andean Community | Comunidad Andina | Andean Community General Secretariat | Lima
SICA | Central American Integration System | SICA General Secretariat | San Salvador
CARICOM | Caribbean Community | CARICOM Secretariat | Georgetown
ECOWAS | Economic Community of West African States | ECOWAS Commission, ECOWAS Authority of
    Heads of State and Government, ECOWAS Parliament | Abuja
ECCAS | Economic Community of Central African States | ECCAS Commission | Libreville
SADC | Southern African Development Community | SADC Secretariat | Gaborone
East African Community | EAC | EAC Secretariat | Arusha
IGAD | Intergovernmental Authority on Development | IGAD Secretariat | Djibouti
Indian Ocean Rim Association | IORA | IORA Secretariat | Ebene
Pacific Islands Forum | | Pacific Islands Forum Secretariat, Forum Secretariat | Suva
BIMSTEC | Bay of Bengal Initiative for Multi-Sectoral Technical and Economic Cooperation |
    BIMSTEC Secretariat | Dhaka
Nordic Council | | Nordic Council of Ministers | Copenhagen
Council of the Baltic Sea States | CBSS | | Stockholm
Black Sea Economic Cooperation | BSEC, Organization of the Black Sea Economic Cooperation | |
    Istanbul
Francophonie | Organisation internationale de la Francophonie, International Organisation of
    La Francophonie, OIF | | Paris
CPLP | Community of Portuguese Language Countries, Comunidade dos Países de Língua Portuguesa | |
    Lisbon
Non-Aligned Movement | NAM | |
CAREC | Central Asia Regional Economic Cooperation | |
"""


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"^the\s+", "", text.strip())
    return " ".join(re.sub(r"[.'’]", "", text).replace("-", " ").split())


def _items(part: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in part.split(",") if item.strip())


def _parse() -> tuple[Organisation, ...]:
    found = []
    for line in re.sub(r"\n[ \t]+", " ", _TABLE.strip()).splitlines():
        name, aliases, bodies, seats = (part.strip() for part in f"{line}|||".split("|")[:4])
        found.append(Organisation(name, _items(aliases), _items(bodies), _items(seats)))
    return tuple(found)


ORGANISATIONS = _parse()


def seated_in(name: str, city: str) -> bool:
    """Whether `city` is where the organisation `name` sits."""
    return city in _seats().get(name, ())


@functools.cache
def _seats() -> dict[str, tuple[str, ...]]:
    return {org.name: org.seats for org in ORGANISATIONS}


@functools.cache
def _by_key() -> dict[str, Organisation]:
    out: dict[str, Organisation] = {}
    for org in ORGANISATIONS:
        for form in org.forms:
            out.setdefault(_key(form), org)
    return out


def find_organisation(text: str) -> Organisation | None:
    """The organisation a name, acronym or one of its bodies refers to, or None."""
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


@functools.cache
def _codes() -> frozenset[str]:
    """The folded codes of organisations (all capitals, short) that name no country."""
    countries = {_key(form) for c in all_countries() for form in (c.name, *c.aliases,
                                                                   *c.demonyms)}
    return frozenset(_key(form) for org in ORGANISATIONS for form in org.aliases
                     if form.replace(".", "").replace("+", "").isupper() and len(form) <= 6
                     and _key(form) not in countries)


def closest(text: str, limit: int = 3, *, organisations: bool = True) -> list[str]:
    """Canonical names spelt most like `text`, best first: for 'did you mean …?'."""
    names = _names()
    if not organisations:
        orgs = {o.name for o in ORGANISATIONS}
        names = {k: v for k, v in names.items() if v not in orgs}
    key = _key(text)
    # An organisation's code is for typing in full ("IORA"), not for spelling like: "Korea"
    # is not a misspelt "IORA".
    spelt = [k for k in names if k not in _codes()]
    keys = difflib.get_close_matches(key, spelt, n=limit * 4, cutoff=0.5)
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
        raise SyntaxRefusal(f"{what}: “{typed}” could be {country.name} or the {org.name}; "
                            "type the name.", topic=Topic.COUNTRIES)
    if country is not None:
        return country.name
    if org is not None:
        return org.name
    near = closest(typed, organisations=organisations)
    hint = f" Did you mean {_or(near)}?" if near else ""
    kinds = ("neither a country nor an organisation (such as ASEAN or the EU)" if organisations
             else "not a country")
    raise SyntaxRefusal(f"{what}: “{typed}” is {kinds} that I know, so nothing was saved."
                        f"{hint} Start typing and pick from the list.", topic=Topic.COUNTRIES)


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def suggest_organisations(typed: str, limit: int = 25) -> list[str]:
    """Organisation names whose name or alias has a word starting with `typed`."""
    key = _key(typed)
    if not key:
        return []
    found = []
    for org in ORGANISATIONS:
        if find_country(org.name) is not None:
            continue  # the European Union: offered among the countries already
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
