"""Country names: one canonical spelling for whatever name, code, demonym or alias a user types."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    name: str
    alpha2: str
    alpha3: str
    demonyms: tuple[str, ...]
    aliases: tuple[str, ...]


# One entry per line: "A2 A3 Canonical name | demonyms | aliases", lists comma-separated.
# An indented line continues the line above, so long alias lists stay within the line limit.
# Canonical names are the short forms a desk officer writes, following current UN usage where
# a country has asked for a new name (Türkiye, Czechia, Eswatini, Cabo Verde); the old names
# live on as aliases. The first demonym is the adjective used in "the ___ delegation".
# A demonym shared by two entries (Congolese, Dominican) is kept on both for demonym(), but
# find_country() refuses to guess between them. Kosovo's XK/XKX are the user-assigned codes in
# common use; EUU for the European Union follows the World Bank, as ISO assigns it no alpha-3.
_TABLE = """
AF AFG Afghanistan | Afghan | Islamic Republic of Afghanistan, Islamic Emirate of Afghanistan
AL ALB Albania | Albanian | Republic of Albania
DZ DZA Algeria | Algerian | People's Democratic Republic of Algeria
AD AND Andorra | Andorran | Principality of Andorra
AO AGO Angola | Angolan | Republic of Angola
AG ATG Antigua and Barbuda | Antiguan, Barbudan | Antigua
AR ARG Argentina | Argentine, Argentinian | Argentine Republic
AM ARM Armenia | Armenian | Republic of Armenia
AU AUS Australia | Australian | Commonwealth of Australia
AT AUT Austria | Austrian | Republic of Austria
AZ AZE Azerbaijan | Azerbaijani, Azeri | Republic of Azerbaijan
BS BHS Bahamas | Bahamian | The Bahamas, Commonwealth of The Bahamas
BH BHR Bahrain | Bahraini | Kingdom of Bahrain
BD BGD Bangladesh | Bangladeshi | People's Republic of Bangladesh
BB BRB Barbados | Barbadian, Bajan |
BY BLR Belarus | Belarusian | Republic of Belarus, Byelorussia, Belorussia
BE BEL Belgium | Belgian | Kingdom of Belgium
BZ BLZ Belize | Belizean |
BJ BEN Benin | Beninese | Republic of Benin, Dahomey
BT BTN Bhutan | Bhutanese | Kingdom of Bhutan
BO BOL Bolivia | Bolivian | Plurinational State of Bolivia
BA BIH Bosnia and Herzegovina | Bosnian, Herzegovinian | Bosnia, BiH, Bosnia-Herzegovina
BW BWA Botswana | Botswanan, Motswana, Batswana | Republic of Botswana
BR BRA Brazil | Brazilian | Federative Republic of Brazil, Brasil
BN BRN Brunei | Bruneian | Brunei Darussalam, Nation of Brunei
BG BGR Bulgaria | Bulgarian | Republic of Bulgaria
BF BFA Burkina Faso | Burkinabè | Burkina, Upper Volta
BI BDI Burundi | Burundian | Republic of Burundi
CV CPV Cabo Verde | Cabo Verdean, Cape Verdean | Cape Verde, Republic of Cabo Verde
KH KHM Cambodia | Cambodian, Khmer | Kingdom of Cambodia, Kampuchea
CM CMR Cameroon | Cameroonian | Republic of Cameroon
CA CAN Canada | Canadian |
CF CAF Central African Republic | Central African | CAR
TD TCD Chad | Chadian | Republic of Chad
CL CHL Chile | Chilean | Republic of Chile
CN CHN China | Chinese | People's Republic of China, PRC, Mainland China
CO COL Colombia | Colombian | Republic of Colombia
KM COM Comoros | Comorian | Union of the Comoros
CG COG Republic of the Congo | Congolese | Congo, Congo-Brazzaville, Congo Republic
CR CRI Costa Rica | Costa Rican | Republic of Costa Rica
CI CIV Côte d'Ivoire | Ivorian | Ivory Coast, Republic of Côte d'Ivoire
HR HRV Croatia | Croatian, Croat | Republic of Croatia, Hrvatska
CU CUB Cuba | Cuban | Republic of Cuba
CY CYP Cyprus | Cypriot | Republic of Cyprus
CZ CZE Czechia | Czech | Czech Republic
CD COD Democratic Republic of the Congo | Congolese | DRC, DR Congo, Congo-Kinshasa, Zaire
DK DNK Denmark | Danish, Dane | Kingdom of Denmark
DJ DJI Djibouti | Djiboutian | Republic of Djibouti
DM DMA Dominica | Dominican | Commonwealth of Dominica
DO DOM Dominican Republic | Dominican |
EC ECU Ecuador | Ecuadorian | Republic of Ecuador
EG EGY Egypt | Egyptian | Arab Republic of Egypt
SV SLV El Salvador | Salvadoran, Salvadorean | Republic of El Salvador
GQ GNQ Equatorial Guinea | Equatorial Guinean, Equatoguinean | Republic of Equatorial Guinea
ER ERI Eritrea | Eritrean | State of Eritrea
EE EST Estonia | Estonian | Republic of Estonia
SZ SWZ Eswatini | Swazi, Liswati | Swaziland, Kingdom of Eswatini
ET ETH Ethiopia | Ethiopian | Federal Democratic Republic of Ethiopia, Abyssinia
FJ FJI Fiji | Fijian | Republic of Fiji
FI FIN Finland | Finnish, Finn | Republic of Finland, Suomi
FR FRA France | French | French Republic
GA GAB Gabon | Gabonese | Gabonese Republic
GM GMB Gambia | Gambian | The Gambia, Republic of The Gambia
GE GEO Georgia | Georgian | Sakartvelo
DE DEU Germany | German | Federal Republic of Germany, Deutschland
GH GHA Ghana | Ghanaian | Republic of Ghana
GR GRC Greece | Greek, Hellenic | Hellenic Republic, Hellas
GD GRD Grenada | Grenadian |
GT GTM Guatemala | Guatemalan | Republic of Guatemala
GN GIN Guinea | Guinean | Republic of Guinea, Guinea-Conakry
GW GNB Guinea-Bissau | Bissau-Guinean | Republic of Guinea-Bissau
GY GUY Guyana | Guyanese | Co-operative Republic of Guyana
HT HTI Haiti | Haitian | Republic of Haiti
HN HND Honduras | Honduran | Republic of Honduras
HU HUN Hungary | Hungarian, Magyar | Magyarország
IS ISL Iceland | Icelandic, Icelander | Ísland
IN IND India | Indian | Republic of India, Bharat
ID IDN Indonesia | Indonesian | Republic of Indonesia
IR IRN Iran | Iranian, Persian | Islamic Republic of Iran, Persia
IQ IRQ Iraq | Iraqi | Republic of Iraq
IE IRL Ireland | Irish | Republic of Ireland, Éire
IL ISR Israel | Israeli | State of Israel
IT ITA Italy | Italian | Italian Republic, Italia
JM JAM Jamaica | Jamaican |
JP JPN Japan | Japanese | Nippon, Nihon
JO JOR Jordan | Jordanian | Hashemite Kingdom of Jordan
KZ KAZ Kazakhstan | Kazakh, Kazakhstani | Republic of Kazakhstan, Qazaqstan, Kazakstan
KE KEN Kenya | Kenyan | Republic of Kenya
KI KIR Kiribati | I-Kiribati | Republic of Kiribati
KW KWT Kuwait | Kuwaiti | State of Kuwait
KG KGZ Kyrgyzstan | Kyrgyz, Kyrgyzstani | Kyrgyz Republic, Kirghizia, Kyrgyzia
LA LAO Laos | Lao, Laotian | Lao PDR, Lao People's Democratic Republic
LV LVA Latvia | Latvian | Republic of Latvia
LB LBN Lebanon | Lebanese | Lebanese Republic
LS LSO Lesotho | Basotho, Mosotho | Kingdom of Lesotho
LR LBR Liberia | Liberian | Republic of Liberia
LY LBY Libya | Libyan | State of Libya
LI LIE Liechtenstein | Liechtensteiner | Principality of Liechtenstein
LT LTU Lithuania | Lithuanian | Republic of Lithuania
LU LUX Luxembourg | Luxembourgish, Luxembourger | Grand Duchy of Luxembourg
MG MDG Madagascar | Malagasy | Republic of Madagascar
MW MWI Malawi | Malawian | Republic of Malawi
MY MYS Malaysia | Malaysian |
MV MDV Maldives | Maldivian | Republic of Maldives
ML MLI Mali | Malian | Republic of Mali
MT MLT Malta | Maltese | Republic of Malta
MH MHL Marshall Islands | Marshallese | Republic of the Marshall Islands
MR MRT Mauritania | Mauritanian | Islamic Republic of Mauritania
MU MUS Mauritius | Mauritian | Republic of Mauritius
MX MEX Mexico | Mexican | United Mexican States
FM FSM Micronesia | Micronesian | Federated States of Micronesia
MD MDA Moldova | Moldovan | Republic of Moldova
MC MCO Monaco | Monegasque, Monacan | Principality of Monaco
MN MNG Mongolia | Mongolian |
ME MNE Montenegro | Montenegrin | Crna Gora
MA MAR Morocco | Moroccan | Kingdom of Morocco
MZ MOZ Mozambique | Mozambican | Republic of Mozambique
MM MMR Myanmar | Myanmar, Burmese | Burma, Republic of the Union of Myanmar
NA NAM Namibia | Namibian | Republic of Namibia
NR NRU Nauru | Nauruan | Republic of Nauru
NP NPL Nepal | Nepali, Nepalese | Federal Democratic Republic of Nepal
NL NLD Netherlands | Dutch | Holland, Kingdom of the Netherlands
NZ NZL New Zealand | New Zealand, New Zealander | Aotearoa
NI NIC Nicaragua | Nicaraguan | Republic of Nicaragua
NE NER Niger | Nigerien | Republic of the Niger
NG NGA Nigeria | Nigerian | Federal Republic of Nigeria
KP PRK North Korea | North Korean | DPRK, Democratic People's Republic of Korea
MK MKD North Macedonia | Macedonian, North Macedonian | Macedonia, Republic of North Macedonia,
  FYROM, Former Yugoslav Republic of Macedonia
NO NOR Norway | Norwegian | Kingdom of Norway
OM OMN Oman | Omani | Sultanate of Oman
PK PAK Pakistan | Pakistani | Islamic Republic of Pakistan
PW PLW Palau | Palauan | Republic of Palau
PA PAN Panama | Panamanian | Republic of Panama
PG PNG Papua New Guinea | Papua New Guinean | Independent State of Papua New Guinea
PY PRY Paraguay | Paraguayan | Republic of Paraguay
PE PER Peru | Peruvian | Republic of Peru
PH PHL Philippines | Philippine, Filipino | Republic of the Philippines
PL POL Poland | Polish, Pole | Republic of Poland, Polska
PT PRT Portugal | Portuguese | Portuguese Republic
QA QAT Qatar | Qatari | State of Qatar
RO ROU Romania | Romanian | Rumania, Roumania
RU RUS Russia | Russian | Russian Federation
RW RWA Rwanda | Rwandan | Republic of Rwanda
KN KNA Saint Kitts and Nevis | Kittitian, Nevisian | Saint Kitts, Saint Christopher and Nevis,
  Federation of Saint Kitts and Nevis
LC LCA Saint Lucia | Saint Lucian |
VC VCT Saint Vincent and the Grenadines | Vincentian | Saint Vincent, SVG
WS WSM Samoa | Samoan | Independent State of Samoa, Western Samoa
SM SMR San Marino | Sammarinese | Republic of San Marino
ST STP São Tomé and Príncipe | Santomean | São Tomé,
  Democratic Republic of São Tomé and Príncipe
SA SAU Saudi Arabia | Saudi, Saudi Arabian | Kingdom of Saudi Arabia, KSA
SN SEN Senegal | Senegalese | Republic of Senegal
RS SRB Serbia | Serbian, Serb | Republic of Serbia
SC SYC Seychelles | Seychellois | Republic of Seychelles
SL SLE Sierra Leone | Sierra Leonean | Republic of Sierra Leone
SG SGP Singapore | Singaporean | Republic of Singapore
SK SVK Slovakia | Slovak, Slovakian | Slovak Republic
SI SVN Slovenia | Slovenian, Slovene | Republic of Slovenia
SB SLB Solomon Islands | Solomon Islander | Solomons
SO SOM Somalia | Somali, Somalian | Federal Republic of Somalia
ZA ZAF South Africa | South African | Republic of South Africa, RSA
KR KOR South Korea | South Korean | Republic of Korea, ROK
SS SSD South Sudan | South Sudanese | Republic of South Sudan
ES ESP Spain | Spanish, Spaniard | Kingdom of Spain, España
LK LKA Sri Lanka | Sri Lankan | Democratic Socialist Republic of Sri Lanka, Ceylon
SD SDN Sudan | Sudanese | Republic of the Sudan
SR SUR Suriname | Surinamese | Republic of Suriname, Surinam
SE SWE Sweden | Swedish, Swede | Kingdom of Sweden, Sverige
CH CHE Switzerland | Swiss | Swiss Confederation
SY SYR Syria | Syrian | Syrian Arab Republic
TJ TJK Tajikistan | Tajik, Tajikistani | Republic of Tajikistan
TZ TZA Tanzania | Tanzanian | United Republic of Tanzania
TH THA Thailand | Thai | Kingdom of Thailand, Siam
TL TLS Timor-Leste | Timorese | East Timor, Timor, Democratic Republic of Timor-Leste
TG TGO Togo | Togolese | Togolese Republic
TO TON Tonga | Tongan | Kingdom of Tonga
TT TTO Trinidad and Tobago | Trinidadian, Tobagonian | Trinidad
TN TUN Tunisia | Tunisian | Republic of Tunisia
TR TUR Türkiye | Turkish, Turk | Turkey, Republic of Türkiye
TM TKM Turkmenistan | Turkmen, Turkmenistani |
TV TUV Tuvalu | Tuvaluan |
UG UGA Uganda | Ugandan | Republic of Uganda
UA UKR Ukraine | Ukrainian |
AE ARE United Arab Emirates | Emirati | UAE, Emirates
GB GBR United Kingdom | British | UK, Britain, Great Britain,
  United Kingdom of Great Britain and Northern Ireland, England, Scotland, Wales,
  Northern Ireland
US USA United States | American | US, USA, United States of America, America
UY URY Uruguay | Uruguayan | Oriental Republic of Uruguay
UZ UZB Uzbekistan | Uzbek, Uzbekistani | Republic of Uzbekistan
VU VUT Vanuatu | Ni-Vanuatu | Republic of Vanuatu
VE VEN Venezuela | Venezuelan | Bolivarian Republic of Venezuela
VN VNM Vietnam | Vietnamese | Viet Nam, Socialist Republic of Vietnam
YE YEM Yemen | Yemeni | Republic of Yemen
ZM ZMB Zambia | Zambian | Republic of Zambia
ZW ZWE Zimbabwe | Zimbabwean | Republic of Zimbabwe
VA VAT Holy See | Vatican | Vatican City, Vatican City State
PS PSE Palestine | Palestinian | State of Palestine, Palestinian Territories,
  Occupied Palestinian Territory
TW TWN Taiwan | Taiwanese | Republic of China, ROC, Chinese Taipei
XK XKX Kosovo | Kosovar, Kosovan | Republic of Kosovo
HK HKG Hong Kong | Hong Kong, Hongkonger | Hong Kong SAR,
  Hong Kong Special Administrative Region
MO MAC Macao | Macanese | Macau, Macao SAR, Macao Special Administrative Region
EH ESH Western Sahara | Sahrawi, Western Saharan | Sahrawi Arab Democratic Republic, SADR
PR PRI Puerto Rico | Puerto Rican | Commonwealth of Puerto Rico
GL GRL Greenland | Greenlandic, Greenlander | Kalaallit Nunaat
EU EUU European Union | EU, European |
"""


def _parse(table: str) -> tuple[Country, ...]:
    lines: list[str] = []
    for line in table.splitlines():
        if not line.strip():
            continue
        if line[0].isspace() and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line.strip())
    countries = []
    for line in lines:
        head, demonyms, aliases = (part.strip() for part in line.split("|"))
        alpha2, alpha3, name = head.split(" ", 2)
        # A malformed line should stop the import, not quietly become an unfindable country.
        if not re.fullmatch(r"[A-Z]{2}", alpha2) or not re.fullmatch(r"[A-Z]{3}", alpha3):
            raise ValueError(f"bad codes in country table line: {line!r}")
        countries.append(Country(name, alpha2, alpha3, _split_list(demonyms), _split_list(aliases)))
    return tuple(countries)


def _split_list(field: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in field.split(",") if item.strip())


_APOSTROPHES = str.maketrans("", "", "'’‘ʼ`")


def _key(text: str) -> str:
    """The form every lookup compares: no accents, case, apostrophes or punctuation.

    Apostrophes vanish rather than split words so "Côte d'Ivoire" and "Cote dIvoire" agree;
    other punctuation becomes a space so "Guinea-Bissau" and "Guinea Bissau" agree.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("&", " and ").translate(_APOSTROPHES)
    words = re.sub(r"[\W_]+", " ", plain).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    # "St Lucia" and "St. Kitts" are how most people write the Saint- countries.
    return " ".join("saint" if word == "st" else word for word in words)


_POSSESSIVE = re.compile(r"(?<=[\w.])['’ʼ]s?$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_DOTTED = re.compile(r"[A-Z](?:\.\s?[A-Z]){1,4}\.?")
_ACRONYM = re.compile(r"[A-Z]{2,5}")


def _clean(text: str) -> str:
    """Collapses whitespace and drops a possessive and a leading "the", as typed in prose."""
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", text)
    return _LEADING_THE.sub("", text)


def _is_acronym(form: str) -> bool:
    return _ACRONYM.fullmatch(form.replace(".", "")) is not None


def _as_acronym(form: str) -> str | None:
    """The letters of an input written as a code, or None if it is written as a word.

    Codes collide with everyday words ("in", "it", "no", "us", "can", "are"), so a code only
    counts when the writer typed it as one: in capitals, bare or dotted as in "U.S.". Dotted
    lower case is refused too, since "e.g." and "i.e." would otherwise be Egypt and Ireland.
    """
    if _ACRONYM.fullmatch(form):
        return form
    if _DOTTED.fullmatch(form):
        return re.sub(r"[.\s]", "", form)
    return None


_COUNTRIES: tuple[Country, ...] = tuple(
    sorted(_parse(_TABLE), key=lambda country: (_key(country.name), country.name))
)


def _build_lookups() -> tuple[dict[str, Country], dict[str, Country]]:
    """Builds the two lookup tables, refusing a table in which one spelling means two places."""
    by_word: dict[str, Country] = {}
    by_acronym: dict[str, Country] = {}

    def claim(index: dict[str, Country], key: str, country: Country) -> None:
        other = index.setdefault(key, country)
        if other is not country:
            raise ValueError(f"{key!r} names both {other.name} and {country.name}")

    for country in _COUNTRIES:
        claim(by_acronym, country.alpha2, country)
        claim(by_acronym, country.alpha3, country)
        for form in (country.name, *country.aliases):
            if _is_acronym(form):
                claim(by_acronym, form.replace(".", ""), country)
            else:
                claim(by_word, _key(form), country)

    # Demonyms may be shared (Congolese); a shared one is ambiguous and matches nothing.
    demonym_owners: dict[str, set[Country]] = {}
    for country in _COUNTRIES:
        for form in country.demonyms:
            if _is_acronym(form):
                claim(by_acronym, form.replace(".", ""), country)
            else:
                demonym_owners.setdefault(_key(form), set()).add(country)
    for key, owners in demonym_owners.items():
        if len(owners) > 1:
            if key in by_word:
                raise ValueError(f"demonym {key!r} is shared and is also a name or alias")
        else:
            claim(by_word, key, next(iter(owners)))
    return by_word, by_acronym


_BY_WORD, _BY_ACRONYM = _build_lookups()


def find_country(text: str) -> Country | None:
    """The country a name, code, demonym or alias refers to, or None if unknown or ambiguous."""
    form = _clean(text)
    if not form:
        return None
    acronym = _as_acronym(form)
    if acronym is not None and acronym in _BY_ACRONYM:
        return _BY_ACRONYM[acronym]
    # Capitalised words that are not codes ("CHAD", "IRAN") still fall through to the names.
    return _BY_WORD.get(_key(form))


def normalise_country(text: str) -> str:
    """The canonical name if the text is a known country, else the text with spacing tidied.

    Unknown names are kept rather than rejected: a desk may need a place this table lacks.
    """
    country = find_country(text)
    if country is not None:
        return country.name
    return " ".join(text.split())


def all_countries() -> tuple[Country, ...]:
    """Every known country and entity, in alphabetical order of name."""
    return _COUNTRIES


def demonym(name: str) -> str:
    """The adjective for a country ("Kazakh"), or the name itself if the country is unknown."""
    country = find_country(name)
    if country is None:
        return " ".join(name.split())
    return country.demonyms[0] if country.demonyms else country.name


# Autocomplete runs on every keystroke, so every prefix is looked up in a dict built here once.
# Each index maps a prefix to canonical names already in alphabetical order.
_SuggestIndex = dict[str, tuple[str, ...]]


def _word_starts(key: str) -> Iterable[str]:
    """The key from the start of each word on: "south korea" -> "south korea", "korea"."""
    yield key
    for position, char in enumerate(key):
        if char == " ":
            yield key[position + 1 :]


def _build_suggest_indexes() -> tuple[_SuggestIndex, _SuggestIndex, _SuggestIndex, _SuggestIndex]:
    exact: dict[str, set[Country]] = {}
    name_prefix: dict[str, set[Country]] = {}
    word_prefix: dict[str, set[Country]] = {}
    other_prefix: dict[str, set[Country]] = {}

    def add_prefixes(index: dict[str, set[Country]], text: str, country: Country) -> None:
        for end in range(1, len(text) + 1):
            index.setdefault(text[:end], set()).add(country)

    for country in _COUNTRIES:
        name_key = _key(country.name)
        # Suggestions are offered, not acted on, so codes match here in any case ("uk", "kz")
        # and a shared demonym offers every country that shares it.
        others = [_key(form) for form in (*country.aliases, *country.demonyms)]
        others += [country.alpha2.lower(), country.alpha3.lower()]
        for key in (name_key, *others):
            exact.setdefault(key, set()).add(country)
        add_prefixes(name_prefix, name_key, country)
        for tail in _word_starts(name_key):
            add_prefixes(word_prefix, tail, country)
        for other in others:
            for tail in _word_starts(other):
                add_prefixes(other_prefix, tail, country)

    rank = {country: position for position, country in enumerate(_COUNTRIES)}

    def freeze(index: dict[str, set[Country]]) -> _SuggestIndex:
        return {
            key: tuple(c.name for c in sorted(found, key=rank.__getitem__))
            for key, found in index.items()
        }

    return freeze(exact), freeze(name_prefix), freeze(word_prefix), freeze(other_prefix)


_SUGGEST_GROUPS = _build_suggest_indexes()
_ALL_NAMES = tuple(country.name for country in _COUNTRIES)


def suggest_countries(query: str, limit: int = 25) -> list[str]:
    """Canonical names for autocomplete, best first, at most `limit` of them.

    Order: an exact name, code, alias or demonym; then names starting with the query; then
    names with a word starting with it; then names whose alias, demonym or code starts with it.
    Each group is alphabetical. Matching is on word starts only, so "stan" finds nothing.
    """
    if limit <= 0:
        return []
    key = _key(_clean(query))
    if not key:
        return list(_ALL_NAMES[:limit])
    found: list[str] = []
    seen: set[str] = set()
    for group in _SUGGEST_GROUPS:
        for name in group.get(key, ()):
            if name not in seen:
                seen.add(name)
                found.append(name)
                if len(found) == limit:
                    return found
    return found
