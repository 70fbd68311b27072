"""States, actions and actors of a training file (dossier), and the table of allowed moves.

`TRANSITIONS` is the single source of truth for the state machine of DESIGN §2.3: services check a move
against it, the database check constraint lists `DossierState.values`, and the guarded update
(`UPDATE … SET state = target WHERE id = … AND state = source`) uses the source of the row it found here.
"""

import dataclasses

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierState(models.TextChoices):
    # The happy path of DESIGN §2.3.
    SUBMITTED = "submitted", _("Request sent to the organisation")
    PROPOSED = "proposed", _("Proposal awaiting the holder's acceptance")
    CONFIRMED = "confirmed", _("Registration confirmed")
    IN_TRAINING = "in_training", _("In training")
    COMPLETED = "completed", _("Training completed")
    PAID = "paid", _("Organisation paid")
    # Dead ends.
    EXPIRED = "expired", _("Request expired: the organisation did not answer in time")
    REFUSED_BY_OF = "refused_by_of", _("Request refused by the organisation")
    PROPOSAL_EXPIRED = "proposal_expired", _("Proposal expired: not accepted in time")
    CANCELLED_BY_HOLDER = "cancelled_by_holder", _("Cancelled by the holder")
    CANCELLED_BY_OF = "cancelled_by_of", _("Cancelled by the organisation")
    CANCELLED_FRAUD = "cancelled_fraud", _("Cancelled: scam confirmed")
    ABANDONED = "abandoned", _("Training abandoned")


class Actor(models.TextChoices):
    HOLDER = "holder", _("Account holder")
    ORGANISATION = "organisation", _("Training organisation")
    SYSTEM = "system", _("Platform (automatic)")
    AGENT = "agent", _("Caisse des Dépôts agent")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Register for a session")
    PROPOSE = "propose", _("Propose a session and a price")
    REFUSE = "refuse", _("Refuse the request")
    LAPSE = "lapse", _("Deadline passed")
    ACCEPT = "accept", _("Accept the proposal and pay")
    CANCEL_BY_HOLDER = "cancel_by_holder", _("Cancel (holder)")
    CANCEL_BY_ORGANISATION = "cancel_by_organisation", _("Cancel (organisation)")
    CANCEL_FOR_FRAUD = "cancel_for_fraud", _("Cancel: scam confirmed by an agent")
    DECLARE_NO_SHOW = "declare_no_show", _("Declare that the holder did not show up")
    DECLARE_ENTRY = "declare_entry", _("Declare entry into training")
    DECLARE_ABANDONMENT = "declare_abandonment", _("Declare abandonment")
    DECLARE_EXIT = "declare_exit", _("Declare exit (service completed)")
    PAY = "pay", _("Pay the organisation")


class FundingOrder(models.TextChoices):
    """Which rights fund a training first (R6333-3); the one in force is the parameter `dossiers/funding_order`."""

    ACQUIRED_FIRST = (
        "acquired_first",
        _(
            "your acquired rights first, then the top-ups (earmarked for this training first, then the soonest "
            "to expire)"
        ),
    )
    SUPPLEMENTARY_FIRST = (
        "supplementary_first",
        _(
            "the top-ups first (earmarked for this training first, then the soonest to expire), then your "
            "acquired rights"
        ),
    )


class ContributionExemption(models.TextChoices):
    """Why a holder does not pay the flat contribution (L6323-4, décret 2024-394, DESIGN §2.2)."""

    JOB_SEEKER = "job_seeker", _("Job seeker")
    EMPLOYER_COFUNDED = "employer_cofunded", _("Training co-funded by the employer or an OPCO")
    C2P = "c2p", _("Professional prevention account (C2P)")
    WORK_ACCIDENT = (
        "work_accident",
        _("Work accident or occupational disease (permanent incapacity at or above the exempting rate)"),
    )


class Ending(models.TextChoices):
    """How engaged money is settled: one value per row of DESIGN §2.3's cancellation table, plus completion."""

    HOLDER_EARLY = "holder_early", _("Cancelled by the holder in time: everything restored")
    HOLDER_LATE = "holder_late", _("Cancelled late by the holder: rights lost, organisation paid a fee")
    NO_SHOW = "no_show", _("Holder did not show up: rights lost, organisation paid a fee")
    ABANDONMENT = "abandonment", _("Abandoned without force majeure: rights lost, organisation paid by attendance")
    FORCE_MAJEURE = "force_majeure", _("Abandoned for force majeure: organisation paid pro rata, the rest restored")
    BY_ORGANISATION = "by_organisation", _("Cancelled by the organisation: everything restored")
    FRAUD = "fraud", _("Scam confirmed: every euro back where it came from, card refunded")
    COMPLETION = "completion", _("Training completed: organisation paid by completion, the rest restored")


class Refusal(models.TextChoices):
    """Why an eligibility check says no (codes for API errors, labels for people)."""

    TOO_MANY_OPEN_REQUESTS = (
        "too_many_open_requests",
        _("You already have the maximum of open requests for this training"),
    )
    ALREADY_REGISTERED = "already_registered", _("You already have an open file for this session")
    ACCOUNT_CLOSED = "account_closed", _("This account is closed and can no longer be used")
    START_TOO_SOON = (
        "start_too_soon",
        _("The session must start at least the required business days after the proposal"),
    )
    END_BEFORE_START = "end_before_start", _("The session cannot end before it starts")
    PRICE_NOT_POSITIVE = "price_not_positive", _("The price must be positive")
    DEADLINE_PASSED = "deadline_passed", _("The deadline has passed")
    BEFORE_START = "before_start", _("The training has not started yet")
    BEFORE_END = "before_end", _("The training has not ended yet")
    SHARE_OUT_OF_RANGE = "share_out_of_range", _("The share must be between 0 % and 100 %")
    DRIVING_LICENCE_RESTRICTED = (
        "driving_licence_restricted",
        _(
            "The account funds the driving licence B only for job seekers, or when a third party (employer, "
            "region, France Travail…) also funds it"
        ),
    )


@dataclasses.dataclass(frozen=True)
class Transition:
    source: DossierState | None  # None: the file does not exist yet
    action: Action
    target: DossierState
    actors: frozenset[Actor]


def _moves(
    *rows: tuple[DossierState | None, Action, DossierState, set[Actor]],
) -> dict[tuple[DossierState | None, Action], "Transition"]:
    table: dict[tuple[DossierState | None, Action], Transition] = {}
    for source, action, target, actors in rows:
        if (source, action) in table:
            raise ValueError(f"duplicate move {source} {action}")
        table[(source, action)] = Transition(source, action, target, frozenset(actors))
    return table


S, A, Who = DossierState, Action, Actor
TRANSITIONS: dict[tuple[DossierState | None, Action], Transition] = _moves(
    (None, A.SUBMIT, S.SUBMITTED, {Who.HOLDER}),
    # The OF answers within the answer delay (DESIGN §2.3), or the request lapses.
    (S.SUBMITTED, A.PROPOSE, S.PROPOSED, {Who.ORGANISATION}),
    (S.SUBMITTED, A.REFUSE, S.REFUSED_BY_OF, {Who.ORGANISATION}),
    (S.SUBMITTED, A.LAPSE, S.EXPIRED, {Who.SYSTEM}),
    # Nothing is engaged yet: the holder may withdraw the request; an agent may stop a fraudulent one (§2.5).
    (S.SUBMITTED, A.CANCEL_BY_HOLDER, S.CANCELLED_BY_HOLDER, {Who.HOLDER}),
    (S.SUBMITTED, A.CANCEL_BY_ORGANISATION, S.CANCELLED_BY_OF, {Who.AGENT}),
    # The holder accepts (rights engaged, contribution paid) within the acceptance delay, or the proposal lapses.
    (S.PROPOSED, A.ACCEPT, S.CONFIRMED, {Who.HOLDER}),
    (S.PROPOSED, A.LAPSE, S.PROPOSAL_EXPIRED, {Who.SYSTEM}),
    (S.PROPOSED, A.CANCEL_BY_HOLDER, S.CANCELLED_BY_HOLDER, {Who.HOLDER}),  # declines the proposal
    (S.PROPOSED, A.CANCEL_BY_ORGANISATION, S.CANCELLED_BY_OF, {Who.ORGANISATION, Who.AGENT}),
    # Confirmed: money is engaged, so every exit below settles it by a row of the cancellation table.
    (S.CONFIRMED, A.CANCEL_BY_HOLDER, S.CANCELLED_BY_HOLDER, {Who.HOLDER}),  # early or late by the dates
    (S.CONFIRMED, A.DECLARE_NO_SHOW, S.CANCELLED_BY_HOLDER, {Who.ORGANISATION}),  # treated as a late cancellation
    (S.CONFIRMED, A.CANCEL_BY_ORGANISATION, S.CANCELLED_BY_OF, {Who.ORGANISATION, Who.AGENT}),
    (S.CONFIRMED, A.DECLARE_ENTRY, S.IN_TRAINING, {Who.ORGANISATION}),
    # DESIGN is silent on an entry never declared (past the entry declaration delay): no declared entry means no
    # service, so the file is settled like a cancellation by the OF (everything restored), not left engaged forever.
    (S.CONFIRMED, A.LAPSE, S.CANCELLED_BY_OF, {Who.SYSTEM}),
    # In training. An exit declared late is still accepted (the OF is just paid later): no lapse here.
    (S.IN_TRAINING, A.DECLARE_EXIT, S.COMPLETED, {Who.ORGANISATION}),
    (S.IN_TRAINING, A.DECLARE_ABANDONMENT, S.ABANDONED, {Who.ORGANISATION, Who.AGENT}),
    (S.IN_TRAINING, A.CANCEL_BY_ORGANISATION, S.CANCELLED_BY_OF, {Who.ORGANISATION, Who.AGENT}),
    # The platform pays the OF within the payment delay after the exit (an agent may trigger it by hand).
    (S.COMPLETED, A.PAY, S.PAID, {Who.SYSTEM, Who.AGENT}),
    # A scam confirmed by an agent (DESIGN §2.6) ends the files its report froze, before any service was paid for.
    (S.SUBMITTED, A.CANCEL_FOR_FRAUD, S.CANCELLED_FRAUD, {Who.AGENT}),
    (S.PROPOSED, A.CANCEL_FOR_FRAUD, S.CANCELLED_FRAUD, {Who.AGENT}),
    (S.CONFIRMED, A.CANCEL_FOR_FRAUD, S.CANCELLED_FRAUD, {Who.AGENT}),
    (S.IN_TRAINING, A.CANCEL_FOR_FRAUD, S.CANCELLED_FRAUD, {Who.AGENT}),
)
del S, A, Who

TERMINAL_STATES: frozenset[DossierState] = frozenset(DossierState) - {source for source, _action in TRANSITIONS}

# "Open requests" counted against the cap of DESIGN §2.3 (5 per holder for one training): the ones still waiting
# for an answer or an acceptance. Once confirmed, the holder has chosen; once dead, it no longer counts.
OPEN_REQUEST_STATES: frozenset[DossierState] = frozenset({DossierState.SUBMITTED, DossierState.PROPOSED})

# States in which rights are engaged (debited at acceptance) and not yet settled. Every move out of them settles
# the money by one row of the cancellation table (`SETTLEMENTS`); after the exit, `completed` only waits for the
# OF's payment, already computed.
ENGAGED_STATES: frozenset[DossierState] = frozenset({DossierState.CONFIRMED, DossierState.IN_TRAINING})

# Which rows of `rules.cancellation_outcome` each settling move may use. Where there are two, the dates decide for
# the holder (`rules.holder_cancellation_ending`) and an agent's or the OF's force majeure finding for abandonment.
SETTLEMENTS: dict[tuple[DossierState, Action], frozenset[Ending]] = {
    (DossierState.CONFIRMED, Action.CANCEL_BY_HOLDER): frozenset({Ending.HOLDER_EARLY, Ending.HOLDER_LATE}),
    (DossierState.CONFIRMED, Action.DECLARE_NO_SHOW): frozenset({Ending.NO_SHOW}),
    (DossierState.CONFIRMED, Action.CANCEL_BY_ORGANISATION): frozenset({Ending.BY_ORGANISATION}),
    (DossierState.CONFIRMED, Action.LAPSE): frozenset({Ending.BY_ORGANISATION}),
    (DossierState.IN_TRAINING, Action.DECLARE_ABANDONMENT): frozenset({Ending.ABANDONMENT, Ending.FORCE_MAJEURE}),
    (DossierState.IN_TRAINING, Action.CANCEL_BY_ORGANISATION): frozenset({Ending.BY_ORGANISATION}),
    (DossierState.IN_TRAINING, Action.DECLARE_EXIT): frozenset({Ending.COMPLETION}),
    (DossierState.CONFIRMED, Action.CANCEL_FOR_FRAUD): frozenset({Ending.FRAUD}),
    (DossierState.IN_TRAINING, Action.CANCEL_FOR_FRAUD): frozenset({Ending.FRAUD}),
}

# The deadline that governs each state (the name of the date stored on the file) and what happens when it passes.
# The periodic task runs, per row: state = S and deadline < today (Paris) → the LAPSE move of TRANSITIONS.
# `in_training` (exit declaration) and `completed` (payment) have deadlines too, but they are obligations of the
# OF and of the platform that nothing automatic resolves, so they only appear as overdue.
DEADLINES: dict[DossierState, str] = {
    DossierState.SUBMITTED: "respond_before",
    DossierState.PROPOSED: "accept_before",
    DossierState.CONFIRMED: "declare_entry_before",
    DossierState.IN_TRAINING: "declare_exit_before",
    DossierState.COMPLETED: "pay_before",
}
LAPSING_STATES: frozenset[DossierState] = frozenset(
    source for source, action in TRANSITIONS if action == Action.LAPSE and source is not None
)


class TransitionNotAllowed(Exception):
    def __init__(self, state: DossierState | None, action: Action, actor: Actor):
        self.state, self.action, self.actor = state, action, actor
        super().__init__(f"{actor} may not {action} a file in state {state}")


def transition(state: DossierState | None, action: Action, actor: Actor) -> Transition:
    """The move `actor` makes with `action` from `state`, or TransitionNotAllowed."""
    move = TRANSITIONS.get((state, action))
    if move is None or actor not in move.actors:
        raise TransitionNotAllowed(state, action, actor)
    return move


def allowed_actions(state: DossierState | None, actor: Actor) -> list[Action]:
    """What `actor` may do on a file in `state` (to show the right buttons), in table order."""
    return [move.action for (source, _action), move in TRANSITIONS.items() if source == state and actor in move.actors]
