
from opencpf.identity.enums import CheckStatus
from opencpf.identity.models import IdentityCheck


def identity_check_pending_of(holder) -> IdentityCheck | None:
    return IdentityCheck.objects.filter(holder=holder, recovery=False, status=CheckStatus.PENDING).first()
