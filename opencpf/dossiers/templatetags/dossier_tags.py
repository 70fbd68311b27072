"""Template helpers of the training files: state badges, money, deadlines, public comments on an offer."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext

from opencpf.dossiers.enums import Action, Actor, DossierState, Ending
from opencpf.rights.enums import Bucket
from opencpf.utils.legal import format_money, format_share

register = template.Library()

# DSFR badge colours by state: waiting for someone (info), engaged (success), closed without training (error or
# grey), done (green).
STATE_BADGES = {
    DossierState.SUBMITTED: "new",
    DossierState.PROPOSED: "info",
    DossierState.CONFIRMED: "success",
    DossierState.IN_TRAINING: "success",
    DossierState.COMPLETED: "success",
    DossierState.PAID: "success",
    DossierState.EXPIRED: "warning",
    DossierState.PROPOSAL_EXPIRED: "warning",
    DossierState.REFUSED_BY_OF: "error",
    DossierState.CANCELLED_BY_HOLDER: "error",
    DossierState.CANCELLED_BY_OF: "error",
    DossierState.ABANDONED: "error",
}


@register.filter
def state_label(value) -> str:
    return str(DossierState(value).label) if value in DossierState.values else str(value)


@register.filter
def state_badge(value) -> str:
    return STATE_BADGES.get(value, "info")


@register.filter
def action_label(value) -> str:
    return str(Action(value).label) if value in Action.values else str(value)


@register.filter
def actor_label(value) -> str:
    return str(Actor(value).label) if value in Actor.values else str(value)


@register.filter
def ending_label(value) -> str:
    return str(Ending(value).label) if value in Ending.values else ""


@register.filter
def euros(value) -> str:
    """1 234,50 € (non-breaking spaces), in the active language's format."""
    if value in (None, ""):
        return ""
    return format_money(Decimal(value))


@register.filter
def percent(value) -> str:
    if value is None:
        return ""
    return format_share(Decimal(value))


@register.inclusion_tag("dossiers/_offer_comments.html")
def offer_comments(offer):
    from opencpf.dossiers.selectors import offer_comments as comments

    # A comment comes only with an evaluation, which counts in the offer's ratings (dossier_evaluate): an offer
    # nobody rated has none, and most offers' pages then need no query for them.
    return {"comments": list(comments(offer.pk)) if offer.rating_count else []}


@register.filter
def funding_label(line: dict) -> str:
    """A stored funding line's label in the reader's language: the split is stored at acceptance with a label in
    the language of that moment ("Droits acquis"), so acquired rights are named again here; a top-up keeps its
    stored label, which names its funder."""
    if line.get("kind") == Bucket.ACQUIRED:
        return gettext("Acquired rights")
    return line.get("label", "")
