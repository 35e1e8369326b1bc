"""Names for the regional demonstration data: places, organisations, people, activities.

Västra Götaland's municipalities (Uddevalla is the small demo's), association names
of the kinds found in a Swedish integration network, and first names and surnames
both Swedish and from the languages of people who came to Sweden. Everything here
is invented from common words; organisation numbers are made up but valid.
"""

from __future__ import annotations

import random
import unicodedata

from stdnum import luhn

# Västra Götaland's municipalities except Uddevalla, which the small demo uses.
MUNICIPALITIES = [
    "Trollhättan",
    "Vänersborg",
    "Lysekil",
    "Strömstad",
    "Borås",
    "Skövde",
    "Lidköping",
    "Alingsås",
    "Kungälv",
    "Mölndal",
    "Partille",
    "Lerum",
    "Härryda",
    "Stenungsund",
    "Tjörn",
    "Orust",
    "Sotenäs",
    "Munkedal",
    "Tanum",
    "Färgelanda",
    "Mellerud",
    "Åmål",
    "Bengtsfors",
    "Dals-Ed",
    "Lilla Edet",
    "Ale",
    "Mariestad",
    "Falköping",
    "Skara",
    "Götene",
    "Tidaholm",
    "Hjo",
    "Tibro",
    "Töreboda",
    "Karlsborg",
    "Gullspång",
    "Vara",
    "Grästorp",
    "Essunga",
    "Herrljunga",
    "Vårgårda",
    "Ulricehamn",
    "Tranemo",
    "Svenljunga",
    "Mark",
    "Bollebygd",
    "Öckerö",
    "Göteborg",
]

# Beyond one network per municipality (the x10 scale), networks with a focus.
NETWORK_KINDS = [
    ("", "Integrationsnätverket i {m}", "Arbetsmarknad och integration, {m} kommun"),
    ("kvinnor", "Kvinnonätverket i {m}", "Jämställdhet och integration, {m} kommun"),
    ("unga", "Ungdomsnätverket i {m}", "Fritid och ungdom, {m} kommun"),
    ("sprak", "Språknätverket i {m}", "Vuxenutbildningen, {m} kommun"),
    ("idrott", "Idrottsnätverket i {m}", "Kultur och fritid, {m} kommun"),
    ("kultur", "Kulturnätverket i {m}", "Biblioteken, {m} kommun"),
    ("foraldrar", "Föräldranätverket i {m}", "Förskola och skola, {m} kommun"),
]

_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ı": "i"})


def ascii_fold(text: str) -> str:
    """``Vänersborg`` → ``vanersborg``, ``Hodžić`` → ``hodzic``: for slugs and e-mails."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return "-".join(plain.lower().replace("-", " ").split())


def network_identity(index: int) -> tuple[str, str, str, str]:
    """(slug, name, municipality, municipal unit's name) of the ``index``-th network."""
    municipality = MUNICIPALITIES[index % len(MUNICIPALITIES)]
    round_ = index // len(MUNICIPALITIES)
    suffix, name, unit = NETWORK_KINDS[round_ % len(NETWORK_KINDS)]
    slug = ascii_fold(municipality)
    if round_ >= len(NETWORK_KINDS):
        suffix = f"{suffix}-{round_}" if suffix else str(round_)
    if suffix:
        slug = f"{slug}-{suffix}"
    if round_ >= len(NETWORK_KINDS):
        name = name + f" ({round_ // len(NETWORK_KINDS) + 1})"
    return slug, name.format(m=municipality), municipality, unit.format(m=municipality)


# ---- organisations -------------------------------------------------------------------

# (template, kind): kind "association", "church", "network" (a civil-society network).
ORGANISATION_TEMPLATES = [
    ("Kulturföreningen Gemenskap", "association"),
    ("Somaliska föreningen i {m}", "association"),
    ("Afghanska kulturföreningen {m}", "association"),
    ("Syriska föreningen i {m}", "association"),
    ("Eritreanska föreningen i {m}", "association"),
    ("Kurdiska kulturföreningen {m}", "association"),
    ("Irakiska föreningen i {m}", "association"),
    ("Bosniska föreningen {m}", "association"),
    ("Ukrainska föreningen i {m}", "association"),
    ("Polska föreningen i {m}", "association"),
    ("Persiska kulturföreningen {m}", "association"),
    ("Arabiska kvinnoföreningen {m}", "association"),
    ("Etiopiska föreningen i {m}", "association"),
    ("Finska föreningen i {m}", "association"),
    ("Assyriska föreningen i {m}", "association"),
    ("Chilenska kulturföreningen {m}", "association"),
    ("Internationella kvinnoföreningen {m}", "association"),
    ("Röda Korset {m}", "association"),
    ("Rädda Barnen {m}", "association"),
    ("Läxhjälpen {m}", "association"),
    ("Språkvänner i {m}", "association"),
    ("Hyresgästföreningen {m}", "association"),
    ("Scouterna {m}", "association"),
    ("KFUM {m}", "association"),
    ("Friskis & Svettis {m}", "association"),
    ("PRO {m}", "association"),
    ("SPF Seniorerna {m}", "association"),
    ("Naturskyddsföreningen {m}", "association"),
    ("Hembygdsföreningen {m}", "association"),
    ("{m} konstförening", "association"),
    ("{m} manskör", "association"),
    ("Teaterföreningen Scenen {m}", "association"),
    ("Kvinnojouren {m}", "association"),
    ("Brottsofferjouren {m}", "association"),
    ("Lions Club {m}", "association"),
    ("Amnesty {m}", "association"),
    ("IK Sirius", "association"),
    ("IFK {m}", "association"),
    ("{m} BK", "association"),
    ("{m} FF", "association"),
    ("{m} Basket", "association"),
    ("{m} Simsällskap", "association"),
    ("{m} Brottarklubb", "association"),
    ("{m} Schackklubb", "association"),
    ("{m} Cykelklubb", "association"),
    ("ABF {m}", "association"),
    ("Studieförbundet Vuxenskolan {m}", "association"),
    ("Studiefrämjandet {m}", "association"),
    ("Ibn Rushd {m}", "association"),
    ("Bilda {m}", "association"),
    ("Sensus {m}", "association"),
    ("Medborgarskolan {m}", "association"),
    ("Svenska kyrkan i {m}", "church"),
    ("Pingstkyrkan {m}", "church"),
    ("Equmeniakyrkan {m}", "church"),
    ("Katolska församlingen i {m}", "church"),
    ("Syrisk-ortodoxa församlingen {m}", "church"),
    ("Islamiska kulturföreningen {m}", "church"),
    ("Föreningsrådet i {m}", "network"),
    ("Nätverket Nya grannar {m}", "network"),
    ("Mötesplats {m}", "association"),
    ("Stickcaféet {m}", "association"),
    ("Cykelkompisar {m}", "association"),
    ("Matglädje {m}", "association"),
]

# Members of many networks: one organisation row each, as the app keeps them.
REGIONAL_ORGANISATIONS = ["Studieförbundet Bildning Västra Götaland", "Föreningen Tillsammans Väst"]


def orgnr_from(prefix: str, serial: int) -> str:
    """A valid organisation number: ``prefix`` (three digits, the third 2 or more),
    six digits from ``serial``, and the Luhn check digit."""
    body = f"{prefix}{serial % 1_000_000:06d}"
    digits = body + luhn.calc_check_digit(body)
    return f"{digits[:6]}-{digits[6:]}"


# Associations (ideella föreningar) 802…, religious communities 252…, municipalities 212….
ORGNR_PREFIX = {"association": "802", "network": "802", "church": "252", "municipal": "212"}


# ---- people -------------------------------------------------------------------------

FIRST_NAMES = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Johanna", "Elin", "Ida",
    "Ingrid", "Astrid", "Linnea", "Maja", "Ebba", "Kerstin", "Birgitta", "Malin", "Sofia",
    "Erik", "Lars", "Anders", "Johan", "Karl", "Per", "Mikael", "Magnus", "Jonas", "Oskar",
    "Nils", "Sven", "Hugo", "Axel", "Lukas", "Gustav", "Björn", "Göran", "Åsa", "Örjan",
    "Ahmad", "Mohammed", "Ali", "Hassan", "Omar", "Fatima", "Amina", "Aisha", "Leila",
    "Nour", "Yasmin", "Zainab", "Farid", "Karim", "Rami", "Samir", "Abdi", "Hodan",
    "Faduma", "Mustafa", "Dawit", "Selam", "Tesfaye", "Merhawi", "Ardit", "Emina", "Senad",
    "Jasmina", "Zeynep", "Mehmet", "Olena", "Oksana", "Dmytro", "Andriy", "Katarzyna",
    "Piotr", "Tomasz", "Parisa", "Reza", "Shirin", "Maryam", "Hamid", "Layla", "Ibrahim",
    "Khadija", "Nadia", "Yusuf", "Amal", "Tigist", "Mirela", "Luis", "Carolina",
]  # fmt: skip

SURNAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Hansson", "Bengtsson",
    "Lindberg", "Lindqvist", "Berg", "Lund", "Ek", "Holm", "Sandberg", "Forsberg",
    "Sjöberg", "Wallin", "Engström", "Åberg", "Björk", "Strand", "Nyström", "Öberg",
    "Ahmadi", "Hassan", "Mohammed", "Ali", "Hussein", "Abdullahi", "Yusuf", "Khalil",
    "Haddad", "Al-Sayed", "Rahimi", "Hosseini", "Karimi", "Nazari", "Osman", "Warsame",
    "Tesfay", "Gebremedhin", "Haile", "Hodžić", "Begić", "Kovačević", "Yilmaz", "Demir",
    "Kaya", "Shevchenko", "Kovalenko", "Nowak", "Kowalczyk", "Rezaei", "Jafari",
    "Mahmoud", "Saleh", "Abdi", "Farah", "Jama", "Rodríguez", "Łukasiewicz",
]  # fmt: skip


def person_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(SURNAMES)


def email_for(first: str, last: str, number: int) -> str:
    """``fornamn.efternamn.N@exempel.se``, unique by ``number`` (the person's id)."""
    return f"{ascii_fold(first)}.{ascii_fold(last)}.{number}@exempel.se"


def phone(rng: random.Random) -> str:
    return f"07{rng.choice('02369')}-{rng.randrange(100, 1000)} {rng.randrange(10, 100)} " + str(
        rng.randrange(10, 100)
    )


# ---- proposals, meetings, reports ---------------------------------------------------

ACTIVITIES = [
    "Språkcafé på biblioteket",
    "Läxhjälp för nyanlända elever",
    "Fotbollsskola för alla",
    "Simskola för vuxna kvinnor",
    "Föräldraträffar om skolan",
    "Mat från hela världen – matlagningskvällar",
    "Cykelskola för nyanlända kvinnor",
    "Sommarläger för barn",
    "Kulturfestival i parken",
    "Studiecirkel i samhällsorientering",
    "Stickcafé för alla åldrar",
    "Jobbcoachning på lätt svenska",
    "Körsång för alla",
    "Schack för unga",
    "Naturvandringar med fika",
    "Eid-firande tillsammans med grannarna",
    "Midsommarfirande för nya grannar",
    "Träffpunkt för seniorer",
    "Digital vardag – kurs i e-tjänster",
    "Teatergrupp för unga",
    "Föreläsning om rasism och diskriminering",
    "Körkortsteori på lätt svenska",
    "Odling i stadsdelens trädgård",
    "Familjedag med lekar och musik",
    "Prova på-dagar i idrottsföreningarna",
    "Samtalsgrupp för föräldrar",
    "Bokcirkel på lätt svenska",
    "Utflykt till Vänern",
    "Syateljé och klädbyte",
    "Kvällsfotboll för unga",
]

WHO = [
    "För nyanlända vuxna",
    "För barn och unga 7–15 år",
    "För kvinnor som är nya i Sverige",
    "För familjer i bostadsområdet",
    "För seniorer som vill träffa nya vänner",
    "För ensamkommande unga",
    "För alla som vill öva svenska",
]
WHEN = [
    "Vi träffas varje vecka under terminen",
    "Sex träffar under hösten",
    "En heldag i juni",
    "Varannan lördag under våren",
    "Fyra kvällar med tolk",
    "Åtta träffar på eftermiddagstid",
]
WHY = [
    "Målet är att deltagarna övar svenska i vardagen.",
    "Deltagarna lär känna föreningslivet i {m}.",
    "Aktiviteten bygger nätverk mellan gamla och nya invånare.",
    "Vi vill motverka fördomar genom att människor möts.",
    "Volontärer från föreningen leder träffarna.",
]

BUDGET_ITEMS = [
    "Lokalhyra",
    "Fika",
    "Material",
    "Tolk",
    "Bussresa",
    "Entréavgifter",
    "Arvode till ledare",
    "Affischer och annonser",
    "Utrustning",
    "Mat till gemensam middag",
    "Studiematerial",
    "Barnpassning",
]

REJECTION_REASONS = [
    "Aktiviteten uppfyller inte nätverkets kriterier.",
    "Liknande aktivitet har redan fått bidrag under perioden.",
]
POT_EMPTY_REASON = "Potten för perioden räcker inte."
DEFERRAL_REASONS = [
    "Mötet vill se en tydligare budget.",
    "Sökande ombeds komplettera med en samarbetspartner.",
]
CONDITIONS = [
    "Aktiviteten ska vara öppen för alla.",
    "Bidraget gäller lokal och material, inte arvoden.",
]
DISCUSSION = {
    "approved": [
        "Sökande presenterade aktiviteten och svarade på frågor.",
        "Mötet välkomnade samarbetet mellan föreningarna.",
    ],
    "rejected": [
        "Mötet diskuterade om aktiviteten når nyanlända.",
        "Flera tyckte att budgeten var för hög för aktiviteten.",
    ],
    "deferred": ["Mötet vill höra mer om upplägget på nästa möte."],
}
REPORT_DONE = [
    "Vi genomförde alla träffar enligt planen.",
    "Aktiviteten blev av, men en träff ställdes in på grund av sjukdom.",
    "Fler än vi räknat med kom, så vi lade till en extra träff.",
]
REPORT_CONTRIBUTION = [
    "Deltagarna har fått nya kontakter och övat svenska.",
    "Flera deltagare har sedan gått med i föreningen.",
    "Barnen och föräldrarna lärde känna varandra och föreningslivet.",
]
MORE_PLEASE = "Bifoga kvitton för lokalhyran, tack."
MEETING_PLACES = [
    "Stadsbiblioteket, hörsalen",
    "Medborgarhuset, sal 2",
    "Folkets hus, lilla salen",
    "Föreningarnas hus",
    "Kommunhuset, sammanträdesrum Vänern",
]
