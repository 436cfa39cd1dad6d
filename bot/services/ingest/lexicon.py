"""The words the engine knows: offices, kinds of meeting and plan, status cues, list openers."""

from __future__ import annotations

import re

from bot.domain.records import MeetingKind, PlanKind, PlanStatus, VisitStatus
from bot.services.ingest.sentences import needs, trie

# --- offices --------------------------------------------------------------------------------

# Longest first, so "Deputy Prime Minister" wins over "Prime Minister" and "Minister".
_OFFICES = sorted(
    """Prime Minister|President|Premier|Chancellor|Foreign Minister|Foreign Secretary
    |Secretary of State|Minister of State|State Minister|Cabinet Secretary|State Secretary
    |Minister|Secretary|Ambassador|High Commissioner|Chargé d'Affaires|King|Queen|Emir|Amir
    |Crown Prince|Senator|Speaker|Special Envoy|Special Representative|Envoy|Secretary-General
    |Secretary General
    |Director-General|Director General|Governor|Head of State|Chief Minister|Commissioner
    |Under-Secretary-General|Assistant Secretary-General|High Representative|Chairperson
    |Chairman|Chairwoman|Adviser|Advisor|Permanent Representative|Governor-General
    |Vice Premier|Head of Government|Grand Duke|Emperor|Sultan
    |Taoiseach|Tánaiste|Federal Chancellor|Vice Chancellor"""
    .split("|"),
    key=len, reverse=True,
)
# Each office once, without the spaces and line breaks the table is laid out with.
_OFFICES = sorted({" ".join(o.split()) for o in _OFFICES}, key=len, reverse=True)
_RANKS = (r"(?:(?:First|Deputy|Vice|Acting|Senior|Federal|Chief|Foreign|Permanent|Principal)"
          r"[\s-]+)*")

# Portfolios that follow "Minister of/for"; a name never starts with one of these words, so
# "Minister of State for Foreign Affairs Sultan bin Khalid" stops before "Sultan".
_PORTFOLIO_WORDS = """Foreign Affairs State Trade Commerce Industry Economy Economic Finance
    Treasury Defence Defense Interior Home Justice Labour Labor Employment Health Education
    Science Technology Information Communications Transport Railways Energy Mines Mining
    Petroleum Oil Gas Agriculture Food Fisheries Environment Climate Culture Tourism Sport
    Sports Youth Investment Planning Development Cooperation Co-operation Regional Integration
    International Diaspora Overseas European Relations Digital Water Resources Infrastructure
    Housing Social Security Public Works Multilateral External Natural Maritime Aviation
    Connectivity Religious Emigration Expatriates Nationals Abroad Promotion Export Exports
    Enterprises Small Medium Entrepreneurship Innovation Family Women Children Welfare Heritage
    Broadcasting Civil Service Administration Local Urban Rural Transportation
    Telecommunications Post Ports Shipping Customs Revenue Budget Land Lands Forestry Europe
    African Asian Arab Gulf American Caribbean Pacific Francophonie Commonwealth Partnerships
    Partnership Neighbourhood Enlargement Humanitarian Aid Crisis Management Peace Political
    Affairs""".split()
PORTFOLIO_WORDS = frozenset(_PORTFOLIO_WORDS)
_PORTFOLIO = rf"{trie(_PORTFOLIO_WORDS)}(?:\s+{trie(_PORTFOLIO_WORDS)})*"
_TAIL = rf"(?:\s+(?:of|for)\s+(?:the\s+)?{_PORTFOLIO}(?:(?:,\s+|\s+and\s+|\s+&\s+){_PORTFOLIO})*)"
_OFFICE_WORD = r"\s+(?:Minister|Secretary|President|Ambassador|Envoy)"
# "Minister of State and Foreign Affairs": more portfolios may follow the office itself, but
# "Deputy Prime Minister and Foreign Minister" is two offices, not a portfolio.
_MORE = rf"(?:(?:,\s+|\s+and\s+|\s+&\s+){_PORTFOLIO}(?!{_OFFICE_WORD}))"
# "Trade Minister", "Economy Secretary", "External Affairs Minister", "Foreign Adviser": a
# portfolio may come before the office word itself.
_PORTFOLIO_FIRST = rf"(?:{_PORTFOLIO}\s+(?=(?:Minister|Secretary|Adviser|Advisor)\b))?"
_ONE_TITLE = (rf"{_RANKS}{_PORTFOLIO_FIRST}{trie(_OFFICES)}\b"
              rf"{_TAIL}*{_MORE}*")

# Offices are written in capitals before a name and in lower case after "the Kazakh".
TITLE = re.compile(rf"(?i:\b{_ONE_TITLE}(?:\s+and\s+{_ONE_TITLE})?)(?!\w)")

# Read only in capitals: "Kazakhstan DPM/FM arrives in Islamabad".
TITLE_ABBREVIATIONS = {
    "DPM": "Deputy Prime Minister", "FM": "Foreign Minister", "PM": "Prime Minister",
    "FS": "Foreign Secretary", "CS": "Cabinet Secretary",
}
ABBREVIATED_TITLE = re.compile(r"\b(?:DPM|FM|PM|FS|CS)(?:/(?:DPM|FM|PM|FS|CS))*\b")

# Titles a person keeps only when nothing better is said ("Senator Mohammad Ishaq Dar,
# Deputy Prime Minister and Foreign Minister" is recorded by his office).
HONORARY_TITLES = {"senator"}
HONORIFICS = re.compile(r"(?:(?<=\s)|^)(?:Mr|Mrs|Ms|Dr|Prof|H\.E|His Excellency|Her Excellency"
                        r"|His (?:Royal )?Highness|Her (?:Royal )?Highness|His Majesty|Her Majesty"
                        r"|Sheikh|Sheikha|Madam|Dame|Sir|Datuk Seri|Dato' Sri|Datuk|Dato'"
                        r"|Tan Sri|Tun|Sayyid|Sayyida|Sayyidah|Prince|Princess"
                        r"|(?:Rt\.? )?Hon(?:ourable|orable)?|(?:Lieutenant |Major |Brigadier )?"
                        r"General|Colonel|Admiral|Field Marshal|Marshal"
                        # Abbreviated ranks and styles, stacked as often as not ("Hon. Gen.",
                        # "Lt. Gen.", "H.E. Amb."); only with their stop, so that a word such
                        # as "Gen" or "Rep" in running text is not read as one.
                        r"|(?:Gen|Lt|Col|Maj|Brig|Capt|Adm|Cdr|Amb|Sen|Rep|Gov|Eng|Engr|Rev|Fr"
                        r"|Msgr|Mme|Mlle|Smt|Hon'ble)\."
                        # Styles of India and Nepal written before a name without a stop.
                        r"|Shri|Shrimati|Smt)\.?\s+")
# People who sit in a capital for a long time travel nowhere for a meeting there.
RESIDENT_TITLES = re.compile(r"(?i)ambassador|high commissioner|chargé|envoy")

_SMALL = {"of", "for", "and", "the", "d'affaires"}


def tidy_title(text: str) -> str:
    """ "deputy prime minister" -> "Deputy Prime Minister"; written capitals are kept."""
    words = " ".join(text.split()).split(" ")
    out = []
    for i, word in enumerate(words):
        if word.lower() in _SMALL and i:
            out.append(word.lower())
        elif word.islower():
            out.append(word[0].upper() + word[1:])
        else:
            out.append(word)
    return " ".join(out)


# --- names ----------------------------------------------------------------------------------

# "B. Enkhtuya", "Neema J. Mwakyusa": an initial is a word of the name when more of the name
# follows it; a capital and a stop before anything else ("Plan B. The") is not.
# A name may open with an okina ("ʻAisake Eke").
_NAME_WORD = (r"(?:(?<![\w.])[A-ZÀ-ÞĀ-ž]\.(?=\s+[A-ZÀ-ÞĀ-ž][\w']*[a-zà-ÿĀ-ž])"
              r"|ʻ?[A-ZÀ-ÞĀ-ž][\w']*(?:-[\w']+)*)")
_PARTICLE = r"(?:bin|bint|ibn|al|el|de|da|do|dos|das|del|della|van|von|der|den|la|le|di|du)"
# "Abdel Fattah el-Sisi": a particle joined to the name by a hyphen is part of it.
NAME = re.compile(rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)*(?:(?:al|el|ad|as|ash|at|az)-)?"
                  rf"{_NAME_WORD}){{0,5}}")

# Capitalised words that belong to institutions, places and events, never to a person.
NOT_NAME_WORDS = set("""ministry ministries minister ministers office foreign affairs group groups
    park commission committee council palace agreement agreements memorandum memoranda plan
    programme program summit sea corridor university bank forum republic kingdom president
    prime deputy joint working national partnership comprehensive strategic cooperation house
    state government reuters editing reporting road route embassy union nations organisation
    organization assembly parliament senate cabinet secretary department agency authority
    company city province region island islands river lake centre center institute technology
    science aerospace press release statement the his her their its our during following after
    before on in at with and earlier later meanwhile delegation talks mou mous action roadmap
    treaty protocol session consultations visit visits official trade energy dam metro line
    news agency ministerial permanent for of a an this that these those both two
    corporation airlines airways holdings industries motors petroleum electric railways airport
    foundation fund museum hospital college school stadium limited ltd plc""".split())

# Institution words that are also surnames when they open a name ("Park Ji-hoon").
SURNAMES_TOO = {"park", "house", "bank", "law"}

# --- meetings -------------------------------------------------------------------------------

# Numbered and named meetings of a series: "the 51st Session of the OIC Council of Foreign
# Ministers", "the Fourth Central Asia–GCC Ministerial Meeting", "the 48th ASEAN Summit",
# "the tenth trilateral ministerial meeting", "the Australia–New Zealand Leaders' Meeting".
_ORDINAL = (r"(?:\d{1,3}(?:,\d{3})?(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth"
            r"|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth"
            r"|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|fortieth|fiftieth"
            r"|(?:twenty|thirty|forty|fifty|sixty)-\w+)")
ORDINAL = _ORDINAL
# Days, months and the names of signed texts start no meeting's name.
_NOT_IN_NAME = (r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February"
                r"|March|April|May|June|July|August|September|October|November|December"
                r"|Final|Act|Agreement|Declaration|Communiqu\w*|Statement|Protocol|Treaty"
                r"|Memorandum|Roadmap|Programme|Plan|Strategy|Minutes|The|On|In|At|During"
                r"|After|Before|Following)\b")
_CAPWORD = (rf"(?-i:(?!{_NOT_IN_NAME})(?:d['’])?[A-ZÀ-ÞĀ-ž][\w'’.]*"
            r"(?:[–-](?:d['’])?[A-ZÀ-ÞĀ-ž][\w'’.]*)*)")
_BODY = rf"{_CAPWORD}(?:\s+(?:(?-i:of|on|for|and|the|de)\s+){{0,2}}{_CAPWORD}){{0,8}}"
_QUALIFIERS = (r"(?:(?:ordinary|extraordinary|regular|annual|plenary|special|trilateral"
               r"|quadrilateral|multilateral|ministerial|joint|high-level|inaugural|summit"
               r"|leaders'|foreign ministers')\s+)*")
_EVENT_WORD = (r"(?:session|meeting|summit|round|conference|council|forum|dialogue|congress"
               r"|assembly|consultations|talks)")
_NAMED_EVENT = (r"(?-i:(?:Leaders'|Ministerial|Foreign Ministers'|Heads of State)\s+)?"
                r"(?-i:Meeting|Summit|Conference|Forum|Dialogue)"
                # "a Sectoral Dialogue Partner of ASEAN" is a standing, not a meeting.
                r"(?!\s+(?:partners?|partnership|status)\b)")
SERIES = (
    rf"\b(?P<series>(?P<holder>{_BODY})\s+(?:held|holds|holding|opened|convened|concluded"
    rf"|began|ended|closed)\s+(?:its|their)\s+(?P<nth>(?:{_ORDINAL}\s+)?{_QUALIFIERS}"
    r"(?:meeting|summit|session|round|conference))"
    rf"|{_ORDINAL}\s+{_QUALIFIERS}{_EVENT_WORD}\s+of\s+(?:the\s+|their\s+)?{_BODY}"
    rf"|{_ORDINAL}\s+{_QUALIFIERS}{_EVENT_WORD}\s+of\s+the\s+(?:[a-z-]+\s+){{1,3}}?(?:committee"
    rf"|commission|council|working group|sub-committee)\s+of\s+(?:the\s+)?{_BODY}"
    rf"|{_ORDINAL}\s+{_BODY}\s+{_NAMED_EVENT}(?:\s+on\s+{_BODY})?"
    # "the second GCC–Central Asia summit": numbered, the kind of event in lower case.
    rf"|{_ORDINAL}\s+{_BODY}\s+(?-i:summit|ministerial meeting|leaders' meeting"
    r"|foreign ministers' meeting)(?!\s+(?:talks|meeting|room|centre|center|hall)\b)"
    # "the tenth trilateral meeting of the foreign ministers of …": numbered, of no body.
    rf"|{_ORDINAL}\s+{_QUALIFIERS}(?:meeting|summit|session|round|conference)"
    r"(?!\s+of\b(?!\s+the\s+(?:foreign|defence|defense|trade|finance|economy)\s+ministers\b))"
    rf"|(?<![\w-]){_BODY}\s+{_NAMED_EVENT}(?:\s+on\s+{_BODY})?"
    rf"|(?:(?<=\ba\s)|(?<=\ban\s)|(?<=\bthe\s)){_BODY}\s+(?:summit|ministerial meeting"
    r"|leaders' meeting|foreign ministers' meeting|ministers' meeting"
    r"|conference)(?!\s+(?:talks|meeting|room|centre|center|hall)\b)"
    r"|\bjoint (?:cabinet|government) (?:session|meeting)"
    r"|\btrilateral\s+(?:[\w-]+\s+)?(?:talks|meeting|summit|consultations))\b"
)

# Each cue is a kind and how it is written. Specific kinds come first: the first cue that
# covers a stretch of text names the meeting there, so "held a tête-à-tête" is not also talks.
MEETING_CUES: tuple[tuple[MeetingKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (MeetingKind.OTHER, SERIES),
        # "held their third 2+2 ministerial dialogue", "the strategic dialogue took place":
        # talks named by their format.
        (MeetingKind.OTHER, r"\b(?:held|holds|holding|convened|conducted|co-?chaired|chaired"
                            r"|opened)\s+(?:the|their|its|a|an)\s+"
                            r"(?:(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
                            r"|tenth|\d+(?:st|nd|rd|th)|inaugural|new|annual|latest)\s+"
                            r"(?:round\s+of\s+(?:the\s+|their\s+)?)?)?"
                            # "the 9th Australia–Indonesia Foreign and Defence Ministers'
                            # 2+2 Dialogue": a format may be named at length.
                            r"(?P<named>(?:[\w+'’–-]+\s+){0,7}?dialogue)\b"
                            r"|(?<=\bthe\s)(?P<named2>(?:[\w+'’–-]+\s+){0,4}?dialogue)"
                            r"(?=\s+(?:was|were)\s+held\b|\s+took\s+place\b)"),
        # "held a consultative meeting": a meeting of several sides, named by its kind.
        (MeetingKind.OTHER, r"\b(?:consultative|coordination|informal|extraordinary|regional"
                            r"|quadrilateral|multilateral)\s+(?:ministerial\s+)?(?:meeting|summit"
                            r"|session)\b"),
        (MeetingKind.TETE_A_TETE, r"\bt[êe]te-[àa]-t[êe]te\b|\bone-(?:on|to)-one (?:meeting|talks)"
                                  r"|\brestricted[- ]format (?:talks|meeting)"
                                  r"|\b(?:talks|met) in (?:a )?(?:restricted|narrow) format\b"),
        (MeetingKind.DELEGATION_LEVEL_TALKS, r"\bdelegation[- ]level (?:talks|meeting)s?"
                                             r"|\b(?:talks|meeting) between (?:the )?(?:two )?"
                                             r"delegations"
                                             r"|\bin (?:an )?(?:expanded|extended|enlarged) format"
                                             r"(?: with (?:their|the) delegations)?"),
        (MeetingKind.JOINT_WORKING_GROUP, r"\b(?:joint )?working groups?\b|\bJWGs?\b"),
        (MeetingKind.OTHER, r"\b(?:(?:joint|intergovernmental|permanent|ministerial|economic"
                            r"|bi-?national|high-level|cooperation|consultative|coordinating"
                            r"|advisory)\s+)+(?:commission|committee"
                            r"|council)(?: for (?:economic )?cooperation)?\b"),
        (MeetingKind.BUSINESS_MEETING, r"\bbusiness (?:meeting|forum|roundtable|round table"
                                       r"|breakfast|lunch|dinner)s?\b"
                                       r"|\b(?:with|met|meets) (?:[\w']+ ){0,5}?(?:conglomerates"
                                       r"|business leaders|business community|businesspeople"
                                       r"|business circles|entrepreneurs|the private sector"
                                       r"|investors|chambers? of commerce|companies|firms)\b"),
        (MeetingKind.SITE_VISIT, r"\b(?:visited|toured|tour of)\s+(?:the\s+)?"
                                 r"(?P<site>[A-Z][^,.;]*?)"
                                 # A site's name ends where a clause or the days begin:
                                 # "visited Kenya from 7 to 9 June" names no site.
                                 r"(?=\s+(?:to|with|for|where|and|in|on|at|during|last|this"
                                 r"|next|from|between|until|since|after|before|over|as|\d)\b"
                                 r"|[,.;]|$)"),
        # Bare "consultations" is often a promise ("regular consultations"), so it needs a verb.
        (MeetingKind.BILATERAL_TALKS, r"\bpolitical consultations\b"
                                      # "at a joint press conference with his counterpart":
                                      # the two met, whatever else the report says of it.
                                      r"|\b(?:joint\s+)?(?:press|news) conference with\b"
                                      r"|\b(?:held|hold|holding"
                                      r"|round of)\s+(?:[\w-]+\s+){0,3}?consultations\b"
                                      r"|\bintergovernmental consultations\b|\bsummit talks\b"
                                      r"|\b(?:paid|pays|paying) a (?:courtesy )?call on\b"
                                      r"|\b(?:received|receives) a (?:courtesy )?call from\b"
                                      # "X and her Swedish counterpart Y discussed … in
                                      # Helsinki on Tuesday": two who met, told by the talk.
                                      r"|(?<=\s)(?-i:discussed)\b(?=[^.;]{0,120}?\b(?:in|at)"
                                      r"\s+(?-i:[A-ZÀ-ÞĀ-ž])[^.;]{0,60}?\bon\s+(?-i:[A-Z]))"
                                      r"|\b(?:was|were) received\s+(?:(?:on|in|at)\s+(?-i:[A-Z])"
                                      r"[\w'’-]*,?\s+){0,2}by\b"
                                      # "received his Azerbaijani counterpart, Elnur …":
                                      # a counterpart received and named is one met (an
                                      # unnamed one is met at the talks the text names next).
                                      r"|\b(?:received|receives|welcomed|hosted)\s+(?:his|her"
                                      r"|their)\s+(?:(?-i:[A-ZÀ-ÞĀ-ž])[\w'’-]*\s+)?counterparts?"
                                      r"(?:\s+from\s+(?:the\s+)?(?-i:[A-ZÀ-ÞĀ-ž])[\w'’-]*){0,1}"
                                      r",?\s+(?=(?-i:[A-ZÀ-ÞĀ-ž]))"
                                      # "received on Thursday in Rabat the Minister …":
                                      # a place and a day, in either order, may come first.
                                      r"|\b(?:received|welcomed)\s+(?=(?:(?:at|in)\s+(?:the\s+)?"
                                      r"(?-i:[A-ZÀ-ÞĀ-ž][\w'’-]*)(?:\s+(?-i:[A-ZÀ-ÞĀ-ž][\w'’-]*)){0,3}"
                                      r",?\s+|on\s+\w+,?\s+(?:\d{1,2}\s+\w+,?\s+)?){0,2}"
                                      r"(?:the\s+)?(?:visiting\s+)?(?-i:[A-ZÀ-ÞĀ-ž]))"
                                      r"|\bheld\s+(?:separate\s+|bilateral\s+)+(?:talks|meetings)"
                                      r"|\bheld\s+(?:bilateral\s+)?meetings\b"
                                      r"|\bheld (?:bilateral )?talks\b|\btalks (?:with|in|at)\b"
                                      r"|\b(?:end|close|conclusion) of (?:the )?talks between\b"
                                      r"|\b(?:following|after) (?:\w+ )?talks between\b"
                                      # "Talks between X and Y took place in Hanoi": the
                                      # sentence opens with them.
                                      r"|(?:^|(?<=— )|(?<=- ))(?:the\s+)?(?:official\s+"
                                      r"|bilateral\s+)?(?:talks|meetings?) between\b"
                                      r"(?=[^.;]{0,200}?\b(?:took place|(?:was|were) held"
                                      r"|lasted|focused|centred|centered|covered|began|ended))"
                                      r"|\bbilateral talks\b|\bheld a meeting with\b|\bmet\b"
                                      r"|\bmeeting with\b|\bcalled on\b|\bafter talks\b"
                                      r"|\bleaders' retreat\b|\bsummit (?:talks|meeting)\b"
                                      r"|\bhosted\b|\bheld an? (?:[\w-]+ ){0,2}?meeting\b"
                                      r"|\b(?:at|during) (?:a|their|the) (?:bilateral |working "
                                      r"|separate )?meeting (?=in|on|at|held)\b"
                                      r"|\bhad (?:a|their) (?:bilateral |working )?meeting\b"
                                      # "held a working lunch with", "sat down with".
                                      r"|\b(?:held|had|hosted|gave|attended) (?:a|an) (?:working "
                                      r"|official |private )?(?:lunch|dinner|breakfast)"
                                      r"(?= (?:with|for)\b)|\bsat down with\b"
                                      # "received a delegation of Saudi Arabia led by …"
                                      r"|\b(?:received|welcomed|hosted)\s+(?:a|an|the)\s+"
                                      r"(?:[\w-]+\s+){0,3}?delegation\b"),
    )
)
# Every meeting of a series is named by one of these words; a sentence with none of them is
# spared the search, the costliest of all (it tries a name at every capital).
needs(MEETING_CUES[0][1], re.compile(r"(?i)meeting|summit|session|round|conference|council"
                                     r"|forum|dialogue|congress|assembly|consultations|talks"))
# "hosted his Cypriot counterpart for talks": the talks are what was hosted, one meeting.
HOSTED_FOR = re.compile(r"(?i)\b(?:hosted|received)\b[^.;:]{0,90}?\bfor\s+$")
# A bare "met" or "talks with" next to a named kind of meeting is that meeting's verb.
WEAK_MEETING_CUE = re.compile(r"(?i)^(?:met|talks (?:with|in|at)|after talks|meeting with"
                              r"|hosted|(?:was|were) received by|received\s*|welcomed\s*)$")
# Other things people do on a day; they own the dates next to them ("received on Friday").
# "the meeting in Kars on Monday, attended by …" describes the meeting: no event of its own.
OTHER_EVENTS = re.compile(r"(?i)\b(?:received|receive|hosted(?!\s+by\b)|hosts"
                          r"|attend(?!ed\s+by\b)\w*|opened|opens"
                          r"|(?:tele)?phone (?:call|conversation)s?|video ?calls?)\b")
REPORTING = re.compile(r"(?i)\b(?:said|says|announced|told|reported|added|stated|confirmed)\b")
# "the talks", "the session": a meeting already named, not a new one.
MEETING_ANAPHORA = re.compile(r"(?i)\b(?:the|these|those|both) (?:talks|consultations|session"
                              r"|meeting|commission|committee|conference|summit|council|forum"
                              r"|dialogue)\b"
                              # "It was co-chaired by …", after the session was named.
                              r"|(?-i:^It)(?=\s+was\s+(?:co-?)?chaired\s+by\b)")
# "the joint working group met", "ministers met" are new meetings; "will meet" is not a meeting
# yet, and a meeting a report only announces is not recorded until it happens.
FUTURE_MEETING = re.compile(r"(?i)\b(?:will|would|shall|to|expected to|due to|set to|plan to"
                            r"|next round|are to|is to)\s+(?:\w+\s+)?(?:meet|be held|hold|convene"
                            r"|receive|be received)\b")
PARTS = (
    (re.compile(r"(?i)\bco-?chaired by\b|\bco-?chairs?\b|\bco-?chaired\b"), "co-chair"),
    (re.compile(r"(?i)(?<!co-)(?<!co)\bchaired by\b"), "chair"),
    (re.compile(r"(?i)(?<!co-)(?<!co)\bchaired\s+(?:the|its|their)\b"), "chair"),
    (re.compile(r"(?i)\bpresided over\b"), "chair"),
    (re.compile(r"(?i)\bled by\b"), "head of delegation"),
)
# "X received Y", "X hosted Y": the one before the verb is the host; "received by" turns it.
# "was received on Tuesday by Y": a day or a place may stand between.
HOSTING = re.compile(r"(?i)(?P<who>,\s+who\s+)?\b(?:received|hosted|welcomed)"
                     r"(?P<by>(?:\s+(?:on|in|at)\s+(?-i:[A-Z])[\w'’-]*,?){0,2} by)?\b"
                     r"|\b(?:at|on) the invitation of(?P<of>)")

# --- plans ----------------------------------------------------------------------------------

PLAN_CUES: tuple[tuple[PlanKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (PlanKind.ACTION_PLAN, r"\baction plans?(?: of cooperation| for cooperation)?\b"
                               r"|\bplans? of action\b|\bwork ?plans?\b"
                               # "a multi-year course of action", "a cooperation plan for
                               # 2026–2028", "an implementation plan": plans by another name.
                               r"|\bcourses? of action\b"
                               r"|\b(?:cooperation|partnership|implementation|joint) plans?\b"
                               # "a Plan of Consultations", "the Strategic Partnership Plan":
                               # a plan named as one, capitalised.
                               r"|(?-i:\bPlans?(?=\s+(?:of|for)\b)|(?<=[a-z] )Plan\b)"),
        (PlanKind.MOU, r"\bmemorand(?:um|a) of (?:understanding|cooperation)\b|\bMoUs?\b"
                       r"|\bmemorand(?:um|a)\b"),
        (PlanKind.JOINT_STATEMENT, r"\bjoint (?:statement|declaration|communiqu[ée])s?\b"
                                   r"|\b(?:final |joint )?communiqu[ée]s?\b"
                                   r"|\bdeclarations?(?: of intent)?\b"
                                   r"|\bstatements? of (?:partnership|intent|principles)\b"),
        (PlanKind.TREATY, r"\btreat(?:y|ies)\b"),
        (PlanKind.ROADMAP, r"\broad ?maps?\b"),
        (PlanKind.OTHER, r"\bprotocols?\b|\bexchanges? of (?:notes|letters)\b"
                         r"|\bexchanged (?:diplomatic )?(?:notes|letters)"
                         r"(?= (?:on|concerning|regarding)\b)"
                         r"|\bletters? of intent\b"
                         # "signed a number of cooperation documents, covering …": a
                         # package named by its fields ("nine documents, among them …" is
                         # its items, each a plan of its own).
                         r"|\b(?:cooperation|bilateral) (?:documents|instruments)\b"
                         r"(?=[^.;]{0,30}?\s(?:covering|in the (?:fields?|areas?|spheres?) of)\s)"
                         r"|\bcooperation programmes?\b"
                         r"|\bprogrammes? of (?:[\w-]+ )?cooperation\b|\bprogrammes?\b"
                         r"|\bfinal acts?\b|\b(?:joint )?frameworks?\b(?!\s+agreements?)"
                         r"|\bstrateg(?:y|ies)\b"
                         # "adopted a water-sharing schedule for the season": a plan once
                         # adopted (plans.py asks for the verb).
                         r"|\b(?:schedule|timetable)s?\b(?=\s+(?:for|of)\s)"),
        (PlanKind.AGREEMENT, r"\bagreements?\b|\baccords?\b|\bconventions?\b"),
    )
)
# Words that open a noun phrase; what follows them up to the plan noun qualifies it: "an
# intergovernmental agreement", "a bilateral investment treaty", "the corridor agreement".
DETERMINERS = {"a", "an", "the", "this", "these", "those", "both", "two", "three", "four", "five",
               "six", "seven", "eight", "nine", "ten", "several", "its", "their"}
PLAN_COMPLEMENT_STOP = re.compile(
    r"(?i),|;|:|\.(?:\s|$)|\(|\)|\s+(?:which|that|who|when|after|during|at the|in the presence"
    r"|and (?:an?|the|two|three|four)\b|and on\b|signed|was|were|is|are|will|would|has|have"
    r"|with a budget|by the|by (?=(?-i:[A-ZÀ-ÞĀ-ž]))|to be|expected|covering|as well as"
    r"|in (?:diverse|various|the fields)"
    r"|between|under|on behalf|at (?:their|its|a)|before|ahead of|in time for|prior to|by then"
    r"|and (?:agreed|signed|adopted|approved|endorsed|issued|witnessed|exchanged|resolved"
    r"|decided|launched|welcomed|reviewed|discussed|instructed|held)"
    # "… 2026–2030 and directed the Commission to …": the next deed, in any verb.
    r"|and (?:also )?(?-i:[a-z]+ed) (?:the|its|their|a|an|to|that|on|with)"
    r"|within \w+ (?:months|weeks|years)|by (?:the end|June|July|\d)"
    # "… on cashew exports with her Mozambican counterpart": who signed it with whom.
    r"|with (?:his|her|their) (?:[\w-]+ ){0,2}?counterparts?)\b"
)
PLAN_STATUS_CUES: tuple[tuple[PlanStatus, re.Pattern[str]], ...] = tuple(
    (status, re.compile(pattern, re.IGNORECASE))
    for status, pattern in (
        (PlanStatus.IN_FORCE, r"\b(?:entered|enter|entering|came|come) into force\b"
                              r"|\bentry into force\b"),
        (PlanStatus.EXPECTED, r"\b(?:to be|will(?: \w+)? be|would be|due to be|expected to be"
                              r"|set to be)(?: \w+)? signed\b|\b(?:will|would|to|shall|set to"
                              r"|plan to|expected to|due to|are to) (?:\w+ )?sign\b"
                              r"|\bwas to be signed\b"),
        # "initialled" a text not yet signed; "under discussion since 2019".
        (PlanStatus.UNDER_NEGOTIATION, r"\bnegotiat\w*|\bdraft\w*\b|\bpreparing\b"
                                       r"|\binitial+ed\b|\bunder (?:discussion|consideration)\b"
                                       r"|\bto (?:\w+ly )?(?:prepare|conclude|complete"
                                       r"|elaborate|develop|agree on)\b"
                                       r"|\bwork on\b|\bfinalis\w+|\bfinaliz\w+"
                                       # "agreed to work towards an agreement on visas"
                                       r"|\bwork(?:ing)? towards?\b|\bstrive for\b"
                                       r"|\b(?:aim|aimed|aiming|seek|seeking) to (?:reach|sign)\b"
                                       r"|\bready for signature\b"
                                       r"|\b(?:resume|resumed|continue|hold|start|begin|launch"
                                       r"|launched|open) (?:talks|discussions) on\b"),
        # "subscribed a Memorandum": a translation's word for signing.
        (PlanStatus.SIGNED, r"\bsign(?:ed|s|ing)?\b|\binked\b|\bconcluded\b|\badopt(?:ed|ing|s)\b"
                            r"|\bsubscribed\b"
                            r"|\brenew(?:ed|s)\b|\bextended\b"
                            # "for adoption at the next summit" is a purpose, not a deed.
                            r"|(?<!\bfor )\badoption\b|\bexchange of\b|\bexchanged\b"
                            r"|\b(?:approved|endorsed|ratified|issued|unveiled)\b"
                            r"|\bagreed (?:on )?(?:an?|the)\b"),
    )
)
# Plans that only prepare an event are not plans of the desk ("Roadmap for the visit").
PREPARATORY = re.compile(r"(?i)^\s*for the [\w' ]*\bvisit\b")
PLURAL_GROUP = re.compile(r"(?i)\b(?:the|both|these|all) (?:documents|texts|memoranda|agreements"
                          r"|instruments)\b")

# "in diverse fields, including politics, trade, …", "covers education, health …",
# "sets out joint steps in trade, …", "setting out cooperation in security, …".
# Named lists are tried first: in "engagement in diverse fields, including politics, …" the
# list is what follows "including".
FIELD_LISTS = (
    re.compile(r"(?i)\b(?:fields|areas|sectors|spheres|domains)(?: of cooperation)?,?\s+"
               r"(?:including|such as|like|namely|of)\s+"),
    re.compile(r"(?i)\bcover(?:s|ing)?\s+|\b(?:steps|cooperation|engagement|collaboration) in"
               r"\s+(?:the (?:fields|areas) of\s+)?"),
)
LIST_ITEM_STOP = re.compile(r"(?i)^(?:at|during|which|who|when|where|after|before|while"
                            r"|following|according|with|as|to|from|officials|said|asks|calls"
                            r"|and (?:asks|calls|will|is|are|provides))\b")
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

# --- visits ---------------------------------------------------------------------------------

VISIT_CUE = re.compile(
    r"(?i)\b(?:(?:state|official|working|first|forthcoming|upcoming|planned|presidential)\s+)*"
    r"(?:visit(?:s|ed|ing)?|trip|arriv(?:e|es|ed|ing)|travel(?:s|led|ling)? (?:on )?to"
    r"|lead(?:s|ing)? (?:a|an|the) (?:[\w-]+ )?delegation to"
    r"|(?:flew|flies|fly|flying|goes|went|headed|heads|heading|continued|continues"
    r"|continuing) (?:on )?to|(?:left|leaves|leaving|departed|departs) for"
    r"|leg of (?:his|her|their|the) (?:trip|tour|visit)|(?:is|are|was|were|had been) due in"
    r"|will be in|is in|are in|was in|were in|(?:is|are) expected in|stop(?:over)? in"
    r"|(?:a|the|first|second|third|next|last|final) leg (?:in|to)"
    # "returned from Chile on Tuesday": the trip there, which ended that day.
    r"|return(?:s|ed|ing)? (?:home )?from"
    # "invited Schialer to return to Santiago": another visit (a return home is none: its
    # traveller is of the country he returns to).
    r"|return(?:s|ed|ing)? to)\b"
)
# "visiting" before a guest's name ("received visiting Cambodian Deputy Prime Minister …")
# says who travelled, but dates nothing: the day is the meeting's.
VISITING_GUEST = re.compile(r"(?i)visiting")
VISIT_STATUS_CUES: tuple[tuple[VisitStatus, re.Pattern[str]], ...] = tuple(
    (status, re.compile(pattern, re.IGNORECASE))
    for status, pattern in (
        (VisitStatus.CANCELLED, r"\bcancel+ed\b|\bcalled off\b|\bscrapped\b|\bcancel+ation\b"),
        (VisitStatus.POSTPONED, r"\bpostpone\w*|\bput off\b|\bdeferred\b|\bdelayed\b"
                                r"|\brescheduled\b|\bmoved (?:to|until)\b|\bsuspend\w*"
                                r"|\bwill now (?:take place|be held)\b"
                                r"|\bnow (?:set|scheduled) for\b"),
        # An invitation extended is a visit proposed; accepted, it is planned (below).
        (VisitStatus.PROPOSED, r"\b(?:has |have |had )?invited\b(?! by)|\bextended an invitation\b"
                               r"|\b(?:handed|conveyed|delivered|passed on) (?:him |her |them )?"
                               r"(?:an |the )?invitation\b|\binvitation (?:from [^,.;]+? )?to \w+"
                               r"(?: \w+){0,3} to visit\b"),
        (VisitStatus.COMPLETED, r"\blast (?:visit|visited)\b|\bprevious visit\b|\barriv\w+"
                                r"|\b(?:is|are) (?:paying|making|on)\b|\bpaying\b"
                                r"|\bvisited\b|\bended\b|\bconcluded\b|\bwho is (?:on|in)\b"
                                r"|\bis (?:on|in)\b|\bpaid\b|\bwas in\b|\bvisiting\b"
                                r"|\bcomes as\b|\b(?:his|her) first\b"
                                r"|\b(?:flew|went|travelled|traveled|headed|continued)"
                                r" (?:on )?to\b|\b(?:left|departed) for\b"),
        (VisitStatus.PLANNED, r"\bwill\b|\bwould\b|\bexpected\b|\bforthcoming\b|\bupcoming\b"
                              r"|\bplanned\b|\bscheduled\b|\baccepted an invitation\b"
                              r"|\binvit\w+ (?:\w+ ){0,3}to visit\b|\bto visit\b|\bnext\b"
                              r"|\bdue\b|\bvisits\b|\btravels\b|\bgo(?:es)? ahead\b"
                              r"|\bgoes on\b|\bprepares? to\b|\bheads (?:to|for)\b|\bflies to\b"),
    )
)
# "the first such visit since 2022": a visit in 2022 that the report recalls.
# "the first visit to Egypt by a Turkish foreign minister since 2023" names where, too.
VISIT_SINCE = re.compile(r"(?i)\bfirst (?:such )?(?:visit |trip )?(?:to [^,.;]{1,60}? )?"
                         r"(?:by [^,.;]+? )?since\b")
