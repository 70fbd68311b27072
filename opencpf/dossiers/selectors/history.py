"""A file's history and an offer's public comments."""

from django.db.models import Q, QuerySet

from opencpf.dossiers.models import (
    Dossier,
    DossierEvent,
    Evaluation,
)


def dossier_history(dossier: Dossier) -> QuerySet[DossierEvent]:
    return DossierEvent.objects.filter(dossier=dossier).select_related("actor").order_by("at", "id")


def offer_comments(offer_id: int, limit: int = 10) -> QuerySet[Evaluation]:
    """The latest evaluations of an offer with a comment, for the public page (no name, no file)."""
    return (
        Evaluation.objects.filter(offer_id=offer_id)
        .filter(~Q(comment=""))
        .only("comment", "created_at", "welcome", "content", "trainers", "resources", "support")
        .order_by("-created_at", "-id")[:limit]
    )
