"""Pools of UK names, streets, postcodes and phone numbers, drawn from Faker once per data set.

Faker is slow per call, so the generator asks it for a few hundred of each thing up front and then
combines them with its own seeded ``random.Random``. Phone numbers come only from Ofcom's ranges
reserved for drama (07700 900xxx, 0113 496 0xxx), so no generated number can ring a real person.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from faker import Faker

# Where the team works: Leeds districts with their postcode districts, and a few in Wakefield.
DISTRICTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Armley", "Leeds", ("LS12",)),
    ("Bramley", "Leeds", ("LS13",)),
    ("Harehills", "Leeds", ("LS8", "LS9")),
    ("Chapeltown", "Leeds", ("LS7",)),
    ("Seacroft", "Leeds", ("LS14",)),
    ("Beeston", "Leeds", ("LS11",)),
    ("Holbeck", "Leeds", ("LS11",)),
    ("Hunslet", "Leeds", ("LS10",)),
    ("Middleton", "Leeds", ("LS10",)),
    ("Headingley", "Leeds", ("LS6",)),
    ("Kirkstall", "Leeds", ("LS5",)),
    ("Burley", "Leeds", ("LS4",)),
    ("Burmantofts", "Leeds", ("LS9",)),
    ("Cross Gates", "Leeds", ("LS15",)),
    ("Halton Moor", "Leeds", ("LS9",)),
    ("Morley", "Leeds", ("LS27",)),
    ("Pudsey", "Leeds", ("LS28",)),
    ("Farnley", "Leeds", ("LS12",)),
    ("Belle Isle", "Leeds", ("LS10",)),
    ("City Centre", "Leeds", ("LS1", "LS2")),
    ("Eastmoor", "Wakefield", ("WF1",)),
    ("Lupset", "Wakefield", ("WF2",)),
    ("Castleford", "Castleford", ("WF10",)),
)
_STREET_SUFFIXES = (
    "Road", "Street", "Lane", "Avenue", "Close", "Grove", "Terrace", "Crescent", "Court",
    "Gardens", "Walk", "Way", "Place", "Mount", "View", "Drive", "Rise", "Row",
)  # fmt: skip
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Well-known people whose names a random pairing could produce; never give these to anyone.
_PUBLIC_FIGURES = frozenset(
    {
        "David Cameron", "Boris Johnson", "Theresa May", "Gordon Brown", "Tony Blair", "Keir Starmer",
        "Rishi Sunak", "Liz Truss", "John Major", "Margaret Thatcher", "Harold Wilson", "Ed Miliband",
        "David Beckham", "Victoria Beckham", "Harry Kane", "Wayne Rooney", "Elton John", "Tom Jones",
        "Adele Adkins", "Ed Sheeran", "Emma Watson", "Daniel Craig", "Charles Windsor", "William Windsor",
        "Harry Windsor", "Anne Windsor", "Kate Middleton", "Andy Murray", "Mo Farah", "Jamie Oliver",
        "Gary Lineker", "Alan Shearer", "Mary Berry", "Paul Hollywood", "David Attenborough",
        "Stephen Fry", "Ricky Gervais", "Simon Cowell", "Lewis Hamilton", "Jessica Ennis",
        "Michael Caine", "Judi Dench", "Paul McCartney", "John Lennon", "Ringo Starr", "George Harrison",
        "Jeremy Corbyn", "Nigel Farage", "Michael Gove", "Sajid Javid", "Matt Hancock", "Priti Patel",
        "Angela Rayner", "Rachel Reeves", "Yvette Cooper", "Jeremy Clarkson", "Richard Hammond",
        "James May", "Amanda Holden", "Alan Sugar", "Richard Branson", "Jimmy Savile", "Harold Shipman",
        "Peter Sutcliffe", "Ian Brady", "Myra Hindley", "Fred West", "Rose West",
    }
)  # fmt: skip
_LANDLINE = re.compile(r"^0113 496 0\d{3}$")


@dataclass(frozen=True)
class Pools:
    female: tuple[str, ...]
    male: tuple[str, ...]
    neutral: tuple[str, ...]
    family: tuple[str, ...]
    # Smaller pools from other locales, for a population that looks like a West Yorkshire city's.
    # (female given, male given, female family, male family) for each other locale
    others: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]
    streets: tuple[str, ...]
    mobiles: tuple[str, ...]

    def first_name(self, rng: random.Random, gender: str) -> str:
        if gender == "woman":
            return rng.choice(self.female)
        if gender == "man":
            return rng.choice(self.male)
        return rng.choice(self.neutral + self.female[:20] + self.male[:20])

    def full_name(self, rng: random.Random, gender: str, *, other_locale: bool = False) -> tuple[str, str]:
        """(given, family); never the name of a well-known person."""
        while True:
            if other_locale:
                female, male, female_family, male_family = rng.choice(self.others)
                if gender == "woman":
                    given, family = rng.choice(female), rng.choice(female_family)
                else:
                    given, family = rng.choice(male), rng.choice(male_family)
            else:
                given, family = self.first_name(rng, gender), rng.choice(self.family)
            if f"{given} {family}" not in _PUBLIC_FIGURES:
                return given, family

    def mobile(self, rng: random.Random) -> str:
        return rng.choice(self.mobiles)

    @staticmethod
    def landline(rng: random.Random) -> str:
        number = f"0113 496 0{rng.randrange(1000):03d}"
        assert _LANDLINE.match(number)
        return number

    def address(self, rng: random.Random) -> tuple[str, str, str]:
        """(address, postcode, district name) somewhere the team works."""
        district, town, outwards = rng.choice(DISTRICTS)
        street = rng.choice(self.streets)
        number = rng.randrange(1, 180)
        roll = rng.random()
        if roll < 0.45:
            first_line = f"Flat {rng.randrange(1, 40)}, {number} {street}"
        elif roll < 0.55:
            first_line = f"Room {rng.randrange(1, 24)}, {rng.choice(self.family)} House, {number} {street}"
        else:
            first_line = f"{number} {street}"
        area = town if district == "City Centre" else f"{district}, {town}"
        postcode = f"{rng.choice(outwards)} {rng.randrange(1, 10)}{rng.choice(_INWARD_LETTERS)}"
        postcode += rng.choice(_INWARD_LETTERS)
        return f"{first_line}, {area}", postcode, district


def _normal_mobile(raw: str) -> str | None:
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    if len(digits) == 11 and digits.startswith("07700900"):
        return f"{digits[:5]} {digits[5:]}"
    return None


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def build(seed: int) -> Pools:
    """Draw every pool from Faker seeded with `seed`: the same seed gives the same pools."""
    gb = Faker("en_GB")
    gb.seed_instance(seed)
    other = [Faker(locale) for locale in ("en_IN", "pl_PL", "en_IE")]
    for offset, fake in enumerate(other):
        fake.seed_instance(seed + offset + 1)
    family = _unique([gb.last_name() for _ in range(700)])
    mobiles = _unique([m for m in (_normal_mobile(gb.cellphone_number()) for _ in range(1200)) if m])
    streets = _unique([f"{name} {suffix}" for name, suffix in zip(
        (gb.last_name() for _ in range(400)),
        (gb.random_element(_STREET_SUFFIXES) for _ in range(400)),
        strict=True,
    )])  # fmt: skip
    return Pools(
        female=_unique([gb.first_name_female() for _ in range(500)]),
        male=_unique([gb.first_name_male() for _ in range(500)]),
        neutral=("Alex", "Sam", "Jo", "Charlie", "Robin", "Jamie", "Kit", "Ash", "Rowan", "Morgan"),
        family=family,
        others=tuple(
            (
                _unique([f.first_name_female() for _ in range(40)]),
                _unique([f.first_name_male() for _ in range(40)]),
                _unique([f.last_name_female() for _ in range(60)]),
                _unique([f.last_name_male() for _ in range(60)]),
            )
            for f in other
        ),
        streets=streets,
        mobiles=mobiles,
    )
