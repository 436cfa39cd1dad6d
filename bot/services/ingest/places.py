"""Where things happen: countries named in prose (names, demonyms, capitals) and city names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.domain.countries import all_countries, find_country
from bot.services.ingest.memo import cached
from bot.services.ingest.organisations import find_organisations

# Capitals and the cities where talks are usually held, by canonical country name. A report
# says "in Osh" or "ISLAMABAD," and the desk needs the country; the list only has to cover
# places that carry diplomacy, not every town.
_CITIES = """
Afghanistan: Kabul | Albania: Tirana | Algeria: Algiers | Angola: Luanda
Argentina: Buenos Aires | Armenia: Yerevan | Australia: Canberra, Sydney, Melbourne
Austria: Vienna | Azerbaijan: Baku | Bahrain: Manama | Bangladesh: Dhaka
Belarus: Minsk | Belgium: Brussels | Bolivia: La Paz, Sucre | Bosnia and Herzegovina: Sarajevo
Brazil: Brasília, Brasilia, São Paulo, Sao Paulo, Rio de Janeiro | Brunei: Bandar Seri Begawan
Bulgaria: Sofia | Cabo Verde: Praia | Cambodia: Phnom Penh | Cameroon: Yaoundé, Yaounde
Canada: Ottawa, Toronto, Montreal | Chile: Santiago, Valparaíso, Antofagasta
China: Beijing, Shanghai, Guangzhou | Colombia: Bogotá, Bogota, Cartagena, Medellín
Côte d'Ivoire: Abidjan, Yamoussoukro | Croatia: Zagreb | Cuba: Havana | Cyprus: Nicosia
Czechia: Prague | Denmark: Copenhagen | Egypt: Cairo, Sharm el-Sheikh | Estonia: Tallinn
Ethiopia: Addis Ababa | Finland: Helsinki | France: Paris | Georgia: Tbilisi
Germany: Berlin, Munich, Bonn | Ghana: Accra, Kumasi | Greece: Athens | Hungary: Budapest
India: New Delhi, Delhi, Mumbai | Indonesia: Jakarta, Bali | Iran: Tehran | Iraq: Baghdad
Ireland: Dublin | Israel: Jerusalem, Tel Aviv | Italy: Rome, Milan | Japan: Tokyo, Osaka, Kyoto
Jordan: Amman | Kazakhstan: Astana, Almaty | Kenya: Nairobi, Mombasa, Lamu | Kuwait: Kuwait City
Kyrgyzstan: Bishkek, Osh | Laos: Vientiane | Latvia: Riga | Lebanon: Beirut | Libya: Tripoli
Lithuania: Vilnius | Malaysia: Kuala Lumpur, Putrajaya | Mexico: Mexico City, Monterrey
Mongolia: Ulaanbaatar, Ulan Bator | Morocco: Rabat, Marrakesh | Mozambique: Maputo
Myanmar: Naypyidaw, Yangon | Nepal: Kathmandu | Netherlands: Amsterdam, The Hague
New Zealand: Wellington | Nigeria: Abuja, Lagos | North Korea: Pyongyang | Norway: Oslo
Oman: Muscat | Pakistan: Islamabad, Karachi, Lahore, Rawalpindi | Panama: Panama City
Paraguay: Asunción | Peru: Lima | Philippines: Manila | Poland: Warsaw, Krakow
Portugal: Lisbon, Porto | Qatar: Doha | Romania: Bucharest | Russia: Moscow, Saint Petersburg
Rwanda: Kigali | Saudi Arabia: Riyadh, Jeddah | Senegal: Dakar | Serbia: Belgrade
Singapore: Singapore | Slovakia: Bratislava | Slovenia: Ljubljana | South Africa: Pretoria,
  Cape Town, Johannesburg | South Korea: Seoul, Busan | Spain: Madrid, Barcelona
Sri Lanka: Colombo | Sudan: Khartoum | Sweden: Stockholm | Switzerland: Bern, Geneva, Davos
Syria: Damascus | Tajikistan: Dushanbe | Tanzania: Dodoma, Dar es Salaam | Thailand: Bangkok
Tunisia: Tunis | Türkiye: Ankara, Istanbul | Turkmenistan: Ashgabat | Uganda: Kampala
Ukraine: Kyiv, Kiev | United Arab Emirates: Abu Dhabi, Dubai
United Kingdom: London | United States: Washington, New York | Uruguay: Montevideo
Uzbekistan: Tashkent, Samarkand | Venezuela: Caracas | Vietnam: Hanoi, Ha Noi, Ho Chi Minh City
Zambia: Lusaka | Zimbabwe: Harare
Guinea: Conakry | Namibia: Windhoek | Botswana: Gaborone | Fiji: Suva | Tonga: Nuku'alofa
Samoa: Apia | Papua New Guinea: Port Moresby | Solomon Islands: Honiara | Vanuatu: Port Vila
Maldives: Malé, Male | Bhutan: Thimphu | Moldova: Chișinău, Chisinau | Montenegro: Podgorica
North Macedonia: Skopje | Kosovo: Pristina | Malta: Valletta | Luxembourg: Luxembourg
Iceland: Reykjavík, Reykjavik | Niger: Niamey | Mali: Bamako | Burkina Faso: Ouagadougou
Mauritania: Nouakchott | Gambia: Banjul | Guinea-Bissau: Bissau | Sierra Leone: Freetown
Liberia: Monrovia | Togo: Lomé, Lome | Benin: Porto-Novo, Cotonou | Gabon: Libreville
Equatorial Guinea: Malabo | Chad: N'Djamena | Central African Republic: Bangui
South Sudan: Juba | Eritrea: Asmara | Djibouti: Djibouti | Somalia: Mogadishu
Madagascar: Antananarivo | Mauritius: Port Louis | Malawi: Lilongwe | Lesotho: Maseru
Eswatini: Mbabane | Burundi: Gitega, Bujumbura | Tanzania: Arusha, Zanzibar
Guyana: Georgetown | Suriname: Paramaribo | Trinidad and Tobago: Port of Spain
Jamaica: Kingston | Barbados: Bridgetown | Bahamas: Nassau | Honduras: Tegucigalpa
El Salvador: San Salvador | Guatemala: Guatemala City | Nicaragua: Managua
Costa Rica: San José | Dominican Republic: Santo Domingo | Haiti: Port-au-Prince
Belize: Belmopan | Ecuador: Quito, Guayaquil, Loja | Yemen: Sanaa, Sana'a | Timor-Leste: Dili
France: Strasbourg, Lyon, Marseille | Germany: Frankfurt, Hamburg | Italy: Naples, Florence
Spain: Seville | Sweden: Gothenburg | Norway: Bergen | Finland: Tampere, Turku
Estonia: Tartu | Lithuania: Kaunas | Poland: Gdańsk, Gdansk | Ukraine: Lviv, Odesa
Georgia: Batumi | Azerbaijan: Ganja | Australia: Adelaide, Brisbane, Perth
New Zealand: Auckland, Christchurch | China: Tianjin | Uzbekistan: Bukhara, Navoi, Navoiy
Tajikistan: Khujand | Turkmenistan: Turkmenbashi | Kazakhstan: Shymkent | India: Kolkata, Bengaluru
Saudi Arabia: Mecca, Medina | Egypt: Alexandria | Morocco: Casablanca, Tangier
Chile: Punta Arenas | Argentina: Córdoba, Rosario | Peru: Cusco | Bolivia: Santa Cruz
Türkiye: Izmir, Antalya, Trabzon, Kars, Bursa | Russia: Kazan, Sochi, Vladivostok
United States: Chicago, Los Angeles, San Francisco, Honolulu | Canada: Vancouver, Quebec City
Japan: Hiroshima, Nagoya, Fukuoka | South Korea: Incheon, Gyeongju | India: Chennai, Hyderabad
Vietnam: Da Nang | Brazil: Belém | Mexico: Guadalajara, Cancún | Azerbaijan: Shusha
"""

# Codes that are also everyday abbreviations ("IT", "FM", "AU", "PM") are not countries in
# prose; only these are written as codes for countries.
_PROSE_CODES = {"UAE", "US", "USA", "UK", "EU", "KSA", "DPRK", "ROK", "PRC", "DRC"}
_WORD = re.compile(r"[A-ZÀ-ÞĀ-ž][\w'.]*(?:-[\w']+)*|of|and|the|d'\w+|el|es")
_MAX_WORDS = 5


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    plain = re.sub(r"['’]s$", "", plain)
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def _parse_cities(table: str) -> dict[str, tuple[str, str]]:
    cities: dict[str, tuple[str, str]] = {}
    # An indented line continues the one above; otherwise a line ends its last entry.
    joined = re.sub(r"\n[ \t]+", " ", table).replace("\n", "|")
    for entry in joined.split("|"):
        country, _, names = entry.partition(":")
        for name in names.split(","):
            name = " ".join(name.split())
            if name:  # the first spelling listed is the one shown
                cities.setdefault(_key(name), (name, country.strip()))
    return cities


_CITY = _parse_cities(_CITIES)


def city_country(name: str) -> str | None:
    """The country of a known city ("Osh" -> "Kyrgyzstan"), or None."""
    found = _CITY.get(_key(name))
    return found[1] if found else None


def city_name(name: str) -> str | None:
    """The usual spelling of a known city ("ISLAMABAD" -> "Islamabad"), or None."""
    found = _CITY.get(_key(name))
    return found[0] if found else None


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    country: str  # canonical name (of the organisation, for one)
    is_city: bool
    is_org: bool = False  # an organisation or one of its bodies, a side as a country is


def _first_words(text: str) -> set[str]:
    """The first word of `text` as either lookup would read it (an apostrophe dropped, or
    read as a space), with "St" also as "Saint"."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    out = set()
    for form in (re.sub(r"['’‘ʼ`]", "", plain), re.sub(r"['’‘ʼ`]", " ", plain)):
        words = re.sub(r"[\W_]+", " ", form).split()
        if words:
            out.add("saint" if words[0] == "st" else words[0])
    return out


# A bare "Korean" names no country in the table (there are two Koreas), but a report's
# "Korean President" or "the Korean side" is the South's: the North is written so.
_USUAL = {"korean": "South Korea", "koreans": "South Korea", "korea": "South Korea"}


def _starts() -> frozenset[str]:
    words: set[str] = {"the", "saint", *_USUAL}
    forms = [shown for shown, _ in _CITY.values()]
    for country in all_countries():
        forms += [country.name, country.alpha2, country.alpha3, *country.demonyms,
                  *country.aliases]
    for form in forms:
        words |= _first_words(form)
    return frozenset(words)


# What a place's name can start with. Most capitalised words of a report start no place, and
# are passed over without trying the spans that start with them.
_STARTS = _starts()
_REGION_BEFORE = re.compile(r"\b(?:Latin|South|North|Central)\s+$")
# Seas, rivers and regions named after a country are not the country: "the Indian Ocean",
# "the Niger Delta", "the Korean Peninsula", "the Gulf of Guinea", "Lake Chad", "New Mexico".
_FEATURE_AFTER = re.compile(r"\s+(?:Ocean|Seas?|Gulf|Basin|River|Delta|Valley|Peninsula"
                            r"|Subcontinent|Plateau|Highlands|Rift|Straits?|Canal|Bight|Sahel"
                            r"|Lakes?|Archipelago|Desert|Mountains|Range)\b")
_FEATURE_BEFORE = re.compile(r"\b(?:(?:Gulf|Sea|Lake|Bay|Bight|Straits?|Horn|Isthmus)\s+of"
                             r"(?:\s+the)?|Lake|New)\s+$")
_CODE_LIKE = re.compile(r"[A-Z][A-Z.]*")


@cached(4096)
def _may_start_place(word: str) -> bool:
    return _CODE_LIKE.fullmatch(word) is not None or bool(_first_words(word) & _STARTS)


@cached(65536)
def _lookup(text: str) -> tuple[str, bool] | None:
    """(country, is a city) for a span of a sentence that names a place, else None."""
    city = _CITY.get(_key(text))
    if city is not None:
        return city[1], True
    country = find_country(text)
    if country is None and _key(text).removesuffix("'s") in _USUAL:
        return _USUAL[_key(text).removesuffix("'s")], False
    return (country.name, False) if country is not None else None


def organisation_spans(sentence: str) -> list[tuple[int, int]]:
    """Where organisations are named: "Gulf Cooperation Council" is no council meeting."""
    return [(o.start, o.end) for o in find_organisations(sentence)]


def find_places(sentence: str) -> list[PlaceMention]:
    """Countries and known cities named in a sentence, longest spelling first, no overlaps.

    "Kazakh", "Kazakhstan's", "the UAE" and "Abu Dhabi" all count; a word inside a longer
    name ("South" in "South Korean") does not stand alone.
    """
    return list(_places_in(sentence))


@cached(8192)
def _places_in(sentence: str) -> tuple[PlaceMention, ...]:
    # Reports repeat sentences and names; each is read once.
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(sentence)]
    out: list[PlaceMention] = []
    i = 0
    while i < len(words):
        if not words[i][2][0].isupper() or not _may_start_place(words[i][2]):
            out.extend(_compound(words[i]))
            i += 1
            continue
        found = _longest_at(sentence, words, i)
        if found is None:
            out.extend(_compound(words[i]))
            i += 1
            continue
        mention, used = found
        out.append(mention)
        i += used
    # "Latin America", "South America": a region, not the United States.
    out = [p for p in out if not (p.text.startswith("America") and _REGION_BEFORE.search(
        sentence, max(0, p.start - 12), p.start))]
    out = [p for p in out if p.is_city or not (
        _FEATURE_AFTER.match(sentence, p.end)
        or _FEATURE_BEFORE.search(sentence, max(0, p.start - 24), p.start))]
    orgs = find_organisations(sentence)
    if orgs:
        # "the African Union Commission" is the Union, not the African anything.
        out = [p for p in out if not any(o.start < p.end and p.start < o.end for o in orgs)]
        out += [PlaceMention(o.start, o.end, o.text, o.name, False, True) for o in orgs]
        out.sort(key=lambda p: p.start)
    return tuple(out)


def _compound(word: tuple[int, int, str]) -> list[PlaceMention]:
    """ "the German-Polish consultations", "Saudi-French": a side each, when every part
    of the hyphenated word is a country ("Guinea-Bissau" is one, found whole before)."""
    start, _, text = word
    if "-" not in text or not text[:1].isupper():
        return []
    out, at = [], start
    for part in text.split("-"):
        found = _lookup(part) if part[:1].isupper() else None
        if found is None or found[1]:
            return []
        out.append(PlaceMention(at, at + len(part), part, found[0], False))
        at += len(part) + 1
    return out if len(out) >= 2 and len({p.country for p in out}) == len(out) else []


def _longest_at(
    sentence: str, words: list[tuple[int, int, str]], i: int
) -> tuple[PlaceMention, int] | None:
    for size in range(min(_MAX_WORDS, len(words) - i), 0, -1):
        last = words[i + size - 1]
        if not last[2].removeprefix("d'")[:1].isupper():
            continue
        start, end = words[i][0], last[1]
        text = sentence[start:end].rstrip(".")
        if re.search(r"[,;:()]", text):
            continue
        if text.isupper() and len(text) <= 5 and text.replace(".", "") not in _PROSE_CODES:
            continue
        found = _lookup(text)
        if found is not None:
            return PlaceMention(start, start + len(text), text, found[0], found[1]), size
    return None
