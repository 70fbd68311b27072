"""What each agents' review queue is on the web: its titles and words, what a row and an item's page show, and the
form that goes with approving. What a decision does is the queue's `ReviewKind` (`opencpf.identity.review`)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from opencpf.identity import access, review, services, situations
from opencpf.identity.models import AccessRequest, IdentityCheck, StatusProof
from opencpf.utils.formatting import long_date
from opencpf.www.gestion_views.forms import GrantForm


@dataclass(frozen=True)
class Fact:
    label: str
    text: str
    url: str = ""


@dataclass(frozen=True)
class Queue:
    kind: review.ReviewKind
    url: str  # the stem of the URL names (see url_name)
    title: str
    item_title: str  # with %(reference)s
    intro: str
    approve_label: str
    refuse_label: str
    approved: str  # the message after approving
    refused: str
    summary: Callable[[object], str]  # who and what, on the queue's row
    facts: Callable[[object], list[Fact]]
    badges: Callable[[object], list[tuple[str, str]]] = lambda item: []  # (text, DSFR badge modifier)
    warning: Callable[[object], str] = lambda item: ""  # what approving does, when it is heavy
    approve_form: type | None = None

    def reference(self, item) -> str:
        return getattr(item, "reference", "") or f"#{item.pk}"

    def url_name(self, page: str) -> str:
        """queue: <url>s, item: <url>, then <url>_approve, _reject, _document, except the names older pages use."""
        name = {"queue": f"{self.url}s", "item": self.url, "refuse": f"{self.url}_reject"}.get(
            page, f"{self.url}_{page}"
        )
        return _OLD_NAMES.get(name, name)

    def reverse(self, page: str, item=None) -> str:
        return reverse(f"gestion:{self.url_name(page)}", args=[item.pk] if item is not None else [])


# The names of the access requests' URLs predate the shared views: kept, since pages and tests name them.
_OLD_NAMES = {
    "access_request_approve": "access_grant",
    "access_request_reject": "access_refuse",
    "access_request_document": "access_proof",
}


def _holder_fact(item) -> Fact:
    if item.holder is None:
        return Fact(_("Account"), _("No account matched the identity given."))
    holder = item.holder
    text = f"{holder.full_name} — {_('born on')} {long_date(holder.birth_date)} — {holder.user.email}"
    return Fact(_("Account"), text, reverse("gestion:holder", args=[holder.pk]))


def _check_facts(check: IdentityCheck) -> list[Fact]:
    facts = [Fact(_("Document"), check.get_document_kind_display()), _holder_fact(check)]
    if check.recovery:
        claimed = f"{check.claimed_last_name} — {long_date(check.claimed_birth_date)}"
        facts += [Fact(_("Identity given"), claimed), Fact(_("New email address"), check.contact_email)]
    return facts


def _check_badges(check: IdentityCheck) -> list[tuple[str, str]]:
    badges = [(_("account recovery"), "new")] if check.recovery else []
    return badges + ([] if check.holder_id else [(_("no account matched"), "warning")])


def _proof_situation(proof: StatusProof) -> str:
    rate = f" — {proof.rate * 100:.0f} %" if proof.rate is not None else ""
    return f"{proof.get_situation_display()}{rate}"


def _access_facts(item: AccessRequest) -> list[Fact]:
    facts = [
        _holder_fact(item),
        Fact(_("Email address"), item.email),
        Fact(_("Country of residence"), f"{countries.name(item.country) or '?'} ({item.country})"),
        Fact(_("Reason"), item.reason),
    ]
    if item.phone_abroad:
        facts.append(Fact(_("Phone abroad"), item.phone_abroad))
    if item.address_abroad:
        facts.append(Fact(_("Address abroad"), item.address_abroad))
    return facts


def _access_badges(item: AccessRequest) -> list[tuple[str, str]]:
    if item.holder is None:
        return [(_("no account matched"), "warning")]
    return [(_("account closed"), "error")] if item.holder.closed_on else []


QUEUES = {
    "identity_check": Queue(
        kind=services.IDENTITY_CHECKS,
        url="identity_check",
        title=gettext_lazy("Identity checks"),
        item_title=gettext_lazy("Identity check %(reference)s"),
        intro=gettext_lazy("An approved check makes the holder verified; a recovery gives the account back."),
        approve_label=gettext_lazy("The document matches: approve"),
        refuse_label=gettext_lazy("Reject"),
        approved=gettext_lazy("Identity check approved: the holder was told by email."),
        refused=gettext_lazy("Identity check rejected: the requester was told by email."),
        summary=lambda check: check.get_document_kind_display(),
        facts=_check_facts,
        badges=_check_badges,
        warning=lambda check: (
            _(
                "Approving gives the account to the person on the document: its email and password are replaced, "
                "everything signed in ends, and the files not yet paid are frozen."
            )
            if check.recovery and check.holder_id
            else ""
        ),
    ),
    "status_proof": Queue(
        kind=situations.STATUS_PROOFS,
        url="status_proof",
        title=gettext_lazy("Situations to confirm"),
        item_title=gettext_lazy("Situation %(reference)s"),
        intro=gettext_lazy(
            "A situation counts for rights and the flat contribution only once confirmed here, on a proof."
        ),
        approve_label=gettext_lazy("Confirm"),
        refuse_label=gettext_lazy("Refuse"),
        approved=gettext_lazy("Situation confirmed: rights and the contribution take it into account."),
        refused=gettext_lazy("Situation refused: the holder was told by email."),
        summary=lambda proof: f"{proof.holder.full_name} — {_proof_situation(proof)}",
        facts=lambda proof: [_holder_fact(proof), Fact(_("Situation"), _proof_situation(proof))],
        badges=lambda proof: [] if proof.document_storage_name else [(_("declared, no proof yet"), "info")],
    ),
    "access_request": Queue(
        kind=access.ACCESS_REQUESTS,
        url="access_request",
        title=gettext_lazy("Access from abroad"),
        item_title=gettext_lazy("Access request %(reference)s"),
        intro=gettext_lazy(
            "A granted holder signs in from abroad without the per-address limit; other accounts from the same "
            "address stay under it."
        ),
        approve_label=gettext_lazy("Grant"),
        refuse_label=gettext_lazy("Refuse"),
        approved=gettext_lazy("Personal access granted: the holder was told by email."),
        refused=gettext_lazy("Request refused: the requester was told by email."),
        summary=lambda item: f"{item.email} — {item.country}",
        facts=_access_facts,
        badges=_access_badges,
        approve_form=GrantForm,
    ),
}
