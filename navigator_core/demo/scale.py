"""How much synthetic data to make: a test fixture, one navigator's caseload, or a whole team."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """Record counts for one generated data set.

    The totals are met exactly (the generator shares them out between clients), except
    ``acknowledgements``, which is the expected number (each handover note is read by a few people).
    """

    clients: int
    contacts: int
    risk_flags: int
    handover_notes: int
    navigators: int
    visits: int
    support_goals: int
    outcomes: int
    agencies: int
    safeguarding_concerns: int
    acknowledgements: int
    entered_in_error: int
    # The work with other agencies and liaison and diversion (issue 20).
    referrals: int = 0  # about clients; engagements bring their own signposts on top
    engagements: int = 0
    supervision_items: int = 0
    # Clients the demo user key-works (the caseload the desktop demo opens with).
    demo_caseload: int = 25
    # One of the demo user's clients has this many contacts: the long record the client screen and
    # the benchmarks open.
    busiest_client_contacts: int = 200

    def __post_init__(self) -> None:
        if self.clients < 1 or self.navigators < 1:
            raise ValueError("a demo team needs at least one client and one navigator")
        if self.demo_caseload > self.clients:
            raise ValueError("the demo caseload cannot be larger than the team's clients")
        if self.busiest_client_contacts > self.contacts:
            raise ValueError("the busiest client cannot have more contacts than there are")
        for name, value in vars(self).items():
            if value < 0:
                raise ValueError(f"{name} cannot be negative")

    @classmethod
    def small(cls) -> Scale:
        """A few of everything: fast enough for unit tests, varied enough to hit every branch."""
        return cls(
            clients=14,
            contacts=300,
            risk_flags=50,
            handover_notes=40,
            navigators=3,
            visits=60,
            support_goals=36,
            outcomes=10,
            agencies=12,
            safeguarding_concerns=4,
            acknowledgements=40,
            entered_in_error=2,
            referrals=20,
            engagements=12,
            supervision_items=6,
            demo_caseload=8,
            busiest_client_contacts=60,
        )

    @classmethod
    def caseload(cls) -> Scale:
        """One navigator's caseload (25 clients, about 40 contacts each) in a small team."""
        return cls(
            clients=25,
            contacts=1_000,
            risk_flags=100,
            handover_notes=150,
            navigators=6,
            visits=250,
            support_goals=75,
            outcomes=20,
            agencies=24,
            safeguarding_concerns=5,
            acknowledgements=180,
            entered_in_error=3,
            referrals=60,
            engagements=30,
            supervision_items=12,
            demo_caseload=25,
            busiest_client_contacts=200,
        )

    @classmethod
    def team(cls) -> Scale:
        """A large service: 5,000 clients and 250,000 contacts, the size the benchmarks target."""
        return cls(
            clients=5_000,
            contacts=250_000,
            risk_flags=20_000,
            handover_notes=50_000,
            navigators=200,
            visits=30_000,
            support_goals=15_000,
            outcomes=4_000,
            agencies=60,
            safeguarding_concerns=400,
            acknowledgements=60_000,
            entered_in_error=250,
            referrals=12_000,
            engagements=3_000,
            supervision_items=600,
            demo_caseload=25,
            busiest_client_contacts=200,
        )

    @classmethod
    def named(cls, name: str) -> Scale:
        """`small`, `caseload` or `team`, as a command line gives them."""
        makers = {"small": cls.small, "caseload": cls.caseload, "team": cls.team}
        try:
            return makers[name]()
        except KeyError:
            raise ValueError(f"no demo scale called {name!r}; choose from {', '.join(makers)}") from None
