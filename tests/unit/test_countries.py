"""Country normalisation: what users type maps to one canonical name, and nothing else does."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.countries import (
    Country,
    all_countries,
    demonym,
    find_country,
    normalise_country,
    suggest_countries,
)

LOOKUPS = [
    # canonical names, in any case and spacing
    ("Kazakhstan", "Kazakhstan"),
    ("kazakhstan", "Kazakhstan"),
    ("KAZAKHSTAN", "Kazakhstan"),
    ("  Kazakhstan\t", "Kazakhstan"),
    ("united   kingdom", "United Kingdom"),
    ("CHAD", "Chad"),
    # codes, upper case only
    ("KZ", "Kazakhstan"),
    ("KAZ", "Kazakhstan"),
    ("PK", "Pakistan"),
    ("PAK", "Pakistan"),
    ("GB", "United Kingdom"),
    ("IN", "India"),
    ("US", "United States"),
    ("USA", "United States"),
    ("XK", "Kosovo"),
    ("EU", "European Union"),
    # dotted acronyms
    ("U.S.", "United States"),
    ("U.S.A.", "United States"),
    ("U.K.", "United Kingdom"),
    ("the U.S.", "United States"),
    # demonyms
    ("Kazakh", "Kazakhstan"),
    (" kazakh ", "Kazakhstan"),
    ("Kazakhstani", "Kazakhstan"),
    ("Pakistani", "Pakistan"),
    ("American", "United States"),
    ("British", "United Kingdom"),
    ("Chinese", "China"),
    ("Emirati", "United Arab Emirates"),
    ("Saudi", "Saudi Arabia"),
    ("Filipino", "Philippines"),
    ("Philippine", "Philippines"),
    ("Taiwanese", "Taiwan"),
    # aliases and official long names
    ("Republic of Kazakhstan", "Kazakhstan"),
    ("Islamic Republic of Pakistan", "Pakistan"),
    ("People's Republic of China", "China"),
    ("Peoples Republic of China", "China"),
    ("UK", "United Kingdom"),
    ("Britain", "United Kingdom"),
    ("Great Britain", "United Kingdom"),
    ("UAE", "United Arab Emirates"),
    ("DPRK", "North Korea"),
    ("Democratic People's Republic of Korea", "North Korea"),
    ("ROK", "South Korea"),
    ("Republic of Korea", "South Korea"),
    ("KSA", "Saudi Arabia"),
    ("Turkey", "Türkiye"),
    ("Ivory Coast", "Côte d'Ivoire"),
    ("Czech Republic", "Czechia"),
    ("Burma", "Myanmar"),
    ("Swaziland", "Eswatini"),
    ("Macedonia", "North Macedonia"),
    ("Vatican", "Holy See"),
    ("Vatican City", "Holy See"),
    ("Macau", "Macao"),
    ("State of Palestine", "Palestine"),
    ("Cape Verde", "Cabo Verde"),
    ("East Timor", "Timor-Leste"),
    ("Holland", "Netherlands"),
    # accents and punctuation
    ("Turkiye", "Türkiye"),
    ("türkiye", "Türkiye"),
    ("TÜRKIYE", "Türkiye"),
    ("Cote d'Ivoire", "Côte d'Ivoire"),
    ("cote d’ivoire", "Côte d'Ivoire"),
    ("Sao Tome and Principe", "São Tomé and Príncipe"),
    ("Guinea Bissau", "Guinea-Bissau"),
    ("Timor Leste", "Timor-Leste"),
    ("Trinidad & Tobago", "Trinidad and Tobago"),
    ("St Lucia", "Saint Lucia"),
    ("St. Kitts and Nevis", "Saint Kitts and Nevis"),
    # a leading "the"
    ("the United States", "United States"),
    ("The Gambia", "Gambia"),
    ("the Netherlands", "Netherlands"),
    ("THE UK", "United Kingdom"),
    # possessives, as in "Kazakhstan's foreign minister"
    ("Kazakhstan's", "Kazakhstan"),
    ("Kazakhstan’s", "Kazakhstan"),
    ("Philippines'", "Philippines"),
    ("the US's", "United States"),
    ("U.S.'s", "United States"),
]


@pytest.mark.parametrize(("text", "expected"), LOOKUPS)
def test_find_country_recognises_what_people_type(text: str, expected: str) -> None:
    country = find_country(text)
    assert country is not None, text
    assert country.name == expected
    assert normalise_country(text) == expected


def test_find_country_returns_the_whole_record() -> None:
    kazakhstan = find_country("Kazakh")
    assert kazakhstan == Country(
        name="Kazakhstan",
        alpha2="KZ",
        alpha3="KAZ",
        demonyms=("Kazakh", "Kazakhstani"),
        aliases=("Republic of Kazakhstan", "Qazaqstan", "Kazakstan"),
    )
    assert find_country("KZ") is kazakhstan


NOT_COUNTRIES = [
    # everyday words that are also codes, written as words
    "us",
    "Us",
    "in",
    "it",
    "It",
    "no",
    "is",
    "me",
    "am",
    "be",
    "can",
    "are",
    "and",
    # codes are only codes in capitals
    "kz",
    "kaz",
    "uk",
    "usa",
    # abbreviations that look like dotted codes
    "e.g.",
    "i.e.",
    "u.s.",
    # demonyms two countries share, and names that are only parts of names
    "Congolese",
    "Dominican",
    "Korea",
    "Korean",
    "stan",
    "the",
    "States",
    # nothing at all
    "",
    "   ",
    "'s",
    "Atlantis",
]


@pytest.mark.parametrize("text", NOT_COUNTRIES)
def test_find_country_does_not_guess(text: str) -> None:
    assert find_country(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Atlantis", "Atlantis"),
        ("  Upper   Atlantis ", "Upper Atlantis"),
        ("Somaliland", "Somaliland"),
        ("us", "us"),
        ("Congolese", "Congolese"),
        ("", ""),
        (" \t\n ", ""),
    ],
)
def test_normalise_country_keeps_unknown_text_as_written(text: str, expected: str) -> None:
    assert normalise_country(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kazakhstan", "Kazakh"),
        ("KZ", "Kazakh"),
        ("Pakistan", "Pakistani"),
        ("United States", "American"),
        ("UK", "British"),
        ("UAE", "Emirati"),
        ("Saudi Arabia", "Saudi"),
        ("Philippines", "Philippine"),
        ("Myanmar", "Myanmar"),
        ("European Union", "EU"),
        ("Republic of the Congo", "Congolese"),
        ("Atlantis", "Atlantis"),
        ("  New   Atlantis ", "New Atlantis"),
    ],
)
def test_demonym(name: str, expected: str) -> None:
    assert demonym(name) == expected


# --- the table itself -------------------------------------------------------------------------


def test_table_covers_the_un_and_commonly_named_entities() -> None:
    countries = all_countries()
    assert len(countries) >= 195
    codes = {country.alpha2 for country in countries}
    assert {"VA", "PS", "TW", "XK", "HK", "MO", "EH", "PR", "GL", "EU"} <= codes


def test_names_and_codes_are_unique() -> None:
    countries = all_countries()
    for field in ("name", "alpha2", "alpha3"):
        values = [getattr(country, field) for country in countries]
        assert len(values) == len(set(values)), field


def test_codes_have_iso_shapes() -> None:
    for country in all_countries():
        assert len(country.alpha2) == 2 and country.alpha2.isupper(), country
        assert len(country.alpha3) == 3 and country.alpha3.isupper(), country


def test_every_country_has_a_demonym() -> None:
    assert all(country.demonyms for country in all_countries())


def test_all_countries_is_alphabetical() -> None:
    names = [country.name for country in all_countries()]
    assert names[0] == "Afghanistan"
    assert names.index("Côte d'Ivoire") < names.index("Croatia")
    assert names.index("Tunisia") < names.index("Türkiye") < names.index("Turkmenistan")


@pytest.mark.parametrize("country", all_countries(), ids=lambda country: country.alpha2)
def test_every_listed_form_finds_its_own_country(country: Country) -> None:
    shared = {"Congolese", "Dominican"}
    forms = [country.name, country.alpha2, country.alpha3, *country.aliases]
    forms += [form for form in country.demonyms if form not in shared]
    for form in forms:
        assert find_country(form) is country, form
    assert normalise_country(country.name.upper()) == country.name


# --- autocomplete -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kaz", ["Kazakhstan"]),
        ("KAZ", ["Kazakhstan"]),
        ("korea", ["North Korea", "South Korea"]),
        ("stan", []),
        ("zzz", []),
        ("uk", ["United Kingdom", "Ukraine"]),
        ("us", ["United States"]),
        ("emirates", ["United Arab Emirates"]),
        # alphabetical ignoring accents: "turkiye" < "turkmenistan"
        ("turk", ["Türkiye", "Turkmenistan"]),
        ("türk", ["Türkiye", "Turkmenistan"]),
        ("congolese", ["Democratic Republic of the Congo", "Republic of the Congo"]),
        ("kazakhstan’s", ["Kazakhstan"]),
    ],
)
def test_suggest_countries(query: str, expected: list[str]) -> None:
    assert suggest_countries(query) == expected


def test_suggest_orders_name_prefix_then_word_prefix_then_alias() -> None:
    # "guinea": two names start with it, two more have it as a later word.
    assert suggest_countries("guinea") == [
        "Guinea",
        "Guinea-Bissau",
        "Equatorial Guinea",
        "Papua New Guinea",
    ]
    # "burm": only the alias "Burma" and the demonym "Burmese" start with it.
    assert suggest_countries("burm") == ["Myanmar"]
    # "south": names starting with it first; Korea's alias "Republic of Korea" does not count.
    assert suggest_countries("south") == ["South Africa", "South Korea", "South Sudan"]
    # "ira": two name prefixes; no country has a later word starting with "ira".
    assert suggest_countries("ira") == ["Iran", "Iraq"]


def test_suggest_exact_match_beats_prefix() -> None:
    # "in" is India's code; Indonesia only starts with it; the rest have aliases with "Independent".
    found = suggest_countries("in")
    assert found[:2] == ["India", "Indonesia"]


def test_suggest_alias_matches_come_after_name_matches() -> None:
    found = suggest_countries("re", limit=250)
    # The one name starting with "re", then the names with a later word starting with it...
    assert found[:4] == [
        "Republic of the Congo",
        "Central African Republic",
        "Democratic Republic of the Congo",
        "Dominican Republic",
    ]
    # ...then, alphabetically, every country whose long name is "Republic of ...".
    assert found[4:7] == ["Afghanistan", "Albania", "Algeria"]
    assert "Kazakhstan" in found
    assert "Canada" not in found


def test_suggest_respects_limit_and_empty_query() -> None:
    assert suggest_countries("", limit=3) == ["Afghanistan", "Albania", "Algeria"]
    assert len(suggest_countries("")) == 25
    assert len(suggest_countries("s", limit=5)) == 5
    assert suggest_countries("s", limit=5) == suggest_countries("s", limit=25)[:5]
    assert suggest_countries("kaz", limit=0) == []
    assert suggest_countries("   ", limit=2) == ["Afghanistan", "Albania"]


def test_suggest_never_returns_duplicates_or_unknown_names() -> None:
    names = {country.name for country in all_countries()}
    for query in ("a", "re", "the", "isl", "s", "new", "republic of"):
        found = suggest_countries(query, limit=250)
        assert len(found) == len(set(found)), query
        assert set(found) <= names


# --- properties -------------------------------------------------------------------------------


@given(st.text())
def test_normalise_country_is_idempotent(text: str) -> None:
    once = normalise_country(text)
    assert normalise_country(once) == once


@given(
    st.sampled_from(
        [
            form
            for c in all_countries()
            for form in (c.name, *c.aliases, *c.demonyms)
            # shared demonyms match nothing; acronyms (UAE, EU) only match in capitals
            if form not in {"Congolese", "Dominican"} and not form.isupper()
        ]
    ),
    st.sampled_from([str.lower, str.upper, str.title, str]),
    st.sampled_from(["", " ", "  \t"]),
)
def test_normalise_country_ignores_case_and_padding_of_words(
    form: str, case: Callable[[str], str], padding: str
) -> None:
    expected = normalise_country(form)
    written = case(form)
    # Upper-casing a short word can turn it into a code ("Lao" -> "LAO"), which is the same
    # country anyway, so the canonical name must not change.
    assert normalise_country(padding + written + padding) == expected
