"""Recognise the people and bodies a plan names, however the Word table spelled them."""

from dataclasses import dataclass

from tieuchi.core.text import exact_key, match_key, split_parties
from tieuchi.orgs.models import Organisation, Person


@dataclass
class PartyMatch:
    text: str
    organisation: Organisation | None = None
    person: Person | None = None

    @property
    def recognised(self) -> bool:
        return self.organisation is not None or self.person is not None


class PartyIndex:
    """Accent-insensitive lookup of a unit's organisations and people by name and aliases."""

    def __init__(self, organisations, people) -> None:
        self.organisations: dict[str, Organisation] = {}
        # Exact spellings win over accent-insensitive ones: "Việt Hung" (a THCS in the source) and
        # "Việt Hưng" (a kindergarten) differ only by an accent.
        self.exact_organisations: dict[str, Organisation] = {}
        self.people: dict[str, Person] = {}
        for organisation in organisations:
            for name in [organisation.name, organisation.short_name, *organisation.aliases]:
                if name:
                    self.exact_organisations.setdefault(exact_key(name), organisation)
                    self.organisations.setdefault(match_key(name), organisation)
        for person in people:
            for name in [person.short_name, *person.aliases]:
                if name:
                    self.people.setdefault(match_key(name), person)

    def person(self, text: str) -> Person | None:
        """Match "Đ/c Hoài PCT UBND", "D/c Hồài", "Đ/c Đông – CT UBND"."""
        key = match_key(text)
        if not key:
            return None
        if key in self.people:
            return self.people[key]
        # Plans append the title after the name; the longest known name that starts the text wins.
        candidates = [name for name in self.people if key.startswith(name + " ") or key == name]
        if candidates:
            return self.people[max(candidates, key=len)]
        return None

    def parties(self, text: str) -> list[PartyMatch]:
        matches = []
        for fragment in split_parties(text):
            organisation = self.exact_organisations.get(
                exact_key(fragment)
            ) or self.organisations.get(match_key(fragment))
            person = None if organisation else self.person(fragment)
            matches.append(PartyMatch(fragment, organisation, person))
        return matches
