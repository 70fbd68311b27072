"""Identity documents and proofs are deleted `identity/document_retention_days` days after the agent's decision."""

import datetime

from django.utils import timezone

from opencpf.identity.models import IdentityCheck, StatusProof
from opencpf.parameters.loader import value as parameter_value
from opencpf.scams import evidence


def identity_documents_purge(*, dry_run: bool = True, now: datetime.datetime | None = None) -> int:
    """Delete the documents of checks and proofs decided more than the retention delay ago; a dry run counts."""
    now = now or timezone.now()
    days = int(parameter_value("identity/document_retention_days", timezone.localdate(now)))
    count = 0
    for model in (IdentityCheck, StatusProof):
        due = model.objects.filter(
            decided_at__lt=now - datetime.timedelta(days=days), document_deleted_at__isnull=True
        ).exclude(document_storage_name="")
        if dry_run:
            count += due.count()
            continue
        for item in due:
            evidence.evidence_delete([item.document_storage_name])
            model.objects.filter(pk=item.pk).update(document_deleted_at=now, document_storage_name="")
            count += 1
    return count
