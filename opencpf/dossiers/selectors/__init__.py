"""Reads of training files: who may see which, the funding split before paying, the consequences of a
cancellation before confirming, the next deadline and what happens next, the history, public comments."""

from opencpf.dossiers.selectors.access import (
    actions_for,
    actor_for,
    can_evaluate,
    dossier_is_visible_to,
    dossier_visible_to,
    dossiers_of_holder,
    dossiers_of_organisations,
    files_awaiting_holder,
    open_files_by_session,
    organisation_ids_of,
    sees_funding_details,
)
from opencpf.dossiers.selectors.funding import (
    cancellation_preview,
    engagement_of,
    funding_for,
    offer_funding_estimate,
    offer_funding_limits,
)
from opencpf.dossiers.selectors.history import dossier_history, offer_comments
from opencpf.dossiers.selectors.next_steps import late_cancellation_consequence, next_deadline, state_message
from opencpf.dossiers.selectors.payments import UNPAYABLE_STATUSES, organisation_payments, payments_payable

__all__ = [
    "UNPAYABLE_STATUSES",
    "actions_for",
    "actor_for",
    "can_evaluate",
    "cancellation_preview",
    "dossier_history",
    "dossier_is_visible_to",
    "dossier_visible_to",
    "dossiers_of_holder",
    "dossiers_of_organisations",
    "engagement_of",
    "files_awaiting_holder",
    "funding_for",
    "late_cancellation_consequence",
    "next_deadline",
    "offer_comments",
    "offer_funding_estimate",
    "offer_funding_limits",
    "open_files_by_session",
    "organisation_ids_of",
    "organisation_payments",
    "payments_payable",
    "sees_funding_details",
    "state_message",
]
