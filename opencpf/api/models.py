from django.db import models
from django.db.models import Q


class IdempotencyRecord(models.Model):
    """One `Idempotency-Key` of one caller (DESIGN §4.5): the request's fingerprint and, once answered, the answer
    to replay. `status` is null while the first call is being served."""

    scope = models.CharField(max_length=80)  # who called: a digest of the credential, or the address when anonymous
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # method, path and body
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key_unique"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="idempotency_expires_later"
            ),
        ]
