"""Warning signs on training organisations, for the agents' list (DESIGN §2.6, issue 9), ranked by risk.

Per organisation, over recent windows: scam reports (cold-calling counted apart, it is illegal), the share of files
cancelled and refused, files per day this week against their usual rate, several holders registering from one
address, holders whose email or phone changed shortly before registering, and the average rating. The score only
orders the list: agents decide."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from opencpf.accounts.models import AuditEvent
from opencpf.catalogue.models import Offer, Organisation
from opencpf.dossiers.enums import Action, DossierState
from opencpf.dossiers.models import Dossier, DossierEvent
from opencpf.scams.enums import Situation
from opencpf.scams.models import Report

REPORT_WINDOW = datetime.timedelta(days=90)
RECENT_WINDOW = datetime.timedelta(days=7)
USUAL_WINDOW = datetime.timedelta(days=90)
CONTACT_CHANGE_BEFORE = datetime.timedelta(days=7)
MIN_USUAL_PER_DAY = 0.2  # below this the usual rate is noise: a new organisation is compared with this floor
CANCELLED = [DossierState.CANCELLED_BY_HOLDER, DossierState.CANCELLED_BY_OF, "cancelled_fraud"]


@dataclass
class OrganisationSignals:
    organisation: Organisation
    reports: int = 0
    cold_calling: int = 0
    files: int = 0
    cancelled: int = 0
    refused: int = 0
    recent_per_day: float = 0.0
    usual_per_day: float = 0.0
    max_holders_per_address: int = 0
    contact_changed_before_registration: int = 0
    rating: Decimal | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def cancellation_rate(self) -> float:
        return self.cancelled / self.files if self.files else 0.0

    @property
    def refusal_rate(self) -> float:
        return self.refused / self.files if self.files else 0.0

    @property
    def burst(self) -> float:
        return self.recent_per_day / max(self.usual_per_day, MIN_USUAL_PER_DAY)

    @property
    def score(self) -> float:
        score = 3.0 * self.reports + 2.0 * self.cold_calling
        score += min(10.0, 2.0 * max(0.0, self.burst - 1.0))
        score += 3.0 * max(0, self.max_holders_per_address - 1)
        score += 2.0 * self.contact_changed_before_registration
        score += 5.0 * self.cancellation_rate + 2.0 * self.refusal_rate
        if self.rating is not None and self.rating < 3:
            score += 2.0 * float(3 - self.rating)
        return round(score, 2)


def organisation_signals(*, now: datetime.datetime | None = None, organisation_ids=None) -> list[OrganisationSignals]:
    """Every organisation (or those given) with its signals, highest risk first."""
    now = now or timezone.now()
    organisations = Organisation.objects.all()
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=list(organisation_ids))
    result = {o.pk: OrganisationSignals(organisation=o) for o in organisations.order_by("pk")}
    ids = list(result)

    for row in (
        Report.objects.filter(organisation_id__in=ids, created_at__gte=now - REPORT_WINDOW)
        .values("organisation_id")
        .annotate(n=Count("id"), cold=Count("id", filter=Q(situation=Situation.COLD_CALLING)))
    ):
        signals = result[row["organisation_id"]]
        signals.reports, signals.cold_calling = row["n"], row["cold"]

    recent_from, usual_from = now - RECENT_WINDOW, now - RECENT_WINDOW - USUAL_WINDOW
    for row in (
        Dossier.objects.filter(organisation_id__in=ids)
        .values("organisation_id")
        .annotate(
            n=Count("id"),
            cancelled=Count("id", filter=Q(state__in=CANCELLED)),
            refused=Count("id", filter=Q(state=DossierState.REFUSED_BY_OF)),
            recent=Count("id", filter=Q(submitted_at__gte=recent_from)),
            usual=Count("id", filter=Q(submitted_at__gte=usual_from, submitted_at__lt=recent_from)),
        )
    ):
        signals = result[row["organisation_id"]]
        signals.files, signals.cancelled, signals.refused = row["n"], row["cancelled"], row["refused"]
        signals.recent_per_day = row["recent"] / RECENT_WINDOW.days
        signals.usual_per_day = row["usual"] / USUAL_WINDOW.days

    # Several holders registering from one address: the largest group per organisation.
    for row in (
        DossierEvent.objects.filter(
            action=Action.SUBMIT,
            at__gte=now - USUAL_WINDOW,
            dossier__organisation_id__in=ids,
            ip_address__isnull=False,
        )
        .values(organisation_id=F("dossier__organisation_id"), ip=F("ip_address"))
        .annotate(holders=Count("dossier__holder_id", distinct=True))
    ):
        signals = result[row["organisation_id"]]
        signals.max_holders_per_address = max(signals.max_holders_per_address, row["holders"])

    recent_files = list(
        Dossier.objects.filter(organisation_id__in=ids, submitted_at__gte=now - USUAL_WINDOW).values_list(
            "organisation_id", "holder__user_id", "holder_id", "submitted_at"
        )
    )
    targets = {f"user:{user_id}" for _o, user_id, _h, _s in recent_files} | {
        f"holder:{holder_id}" for _o, _u, holder_id, _s in recent_files
    }
    changes: dict[str, list[datetime.datetime]] = defaultdict(list)
    for target, at in AuditEvent.objects.filter(
        action__in=["email_changed", "phone_changed"], target__in=targets
    ).values_list("target", "at"):
        changes[target].append(at)
    for organisation_id, user_id, holder_id, submitted_at in recent_files:
        moments = changes.get(f"user:{user_id}", []) + changes.get(f"holder:{holder_id}", [])
        if any(submitted_at - CONTACT_CHANGE_BEFORE <= at <= submitted_at for at in moments):
            result[organisation_id].contact_changed_before_registration += 1

    for row in (
        Offer.objects.filter(organisation_id__in=ids, rating_count__gt=0)
        .values("organisation_id")
        .annotate(weighted=Sum(F("rating_average") * F("rating_count")), count=Sum("rating_count"))
    ):
        if row["count"]:
            result[row["organisation_id"]].rating = (Decimal(row["weighted"]) / row["count"]).quantize(Decimal("0.01"))
    return sorted(result.values(), key=lambda s: (-s.score, s.organisation.pk))
