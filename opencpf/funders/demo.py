"""The demo funder of `make run`: an employer (fictitious name, a valid but made-up SIRET) and its sign-in, with an
earmarked, expiring credit for the second demo holder (the demo holder's 3 000 € of rights stay as DESIGN §4 says).
Idempotent; never run on a real instance."""

import datetime

from django.utils import timezone

from opencpf.accounts.models import Holder, User
from opencpf.catalogue.models import Offer
from opencpf.funders import services
from opencpf.funders.models import FunderCredit, FunderOrganisation
from opencpf.rights.enums import FunderKind

DEMO_FUNDER_EMAIL = "financeur@opencpf.test"
DEMO_FUNDER_PASSWORD = "Demo-Funder-2026!"
DEMO_FUNDER_SIRET = "90000001900019"
LEARNER_EMAIL = "demo-learner@opencpf.test"


def load(stdout) -> list[str]:
    organisation = FunderOrganisation.objects.filter(siret=DEMO_FUNDER_SIRET).first()
    if organisation is None:
        organisation = services.funder_create(
            name="Ateliers Démo SAS", kind=FunderKind.EMPLOYER, siret=DEMO_FUNDER_SIRET
        )
    user = User.objects.filter(email=DEMO_FUNDER_EMAIL).first()
    if user is None:
        user = services.funder_member_add(
            organisation=organisation,
            email=DEMO_FUNDER_EMAIL,
            display_name="Camille Financement",
            password=DEMO_FUNDER_PASSWORD,
        )
    user.email_verified_at = user.email_verified_at or timezone.now()
    user.save(update_fields=["email_verified_at"])
    learner = Holder.objects.filter(user__email=LEARNER_EMAIL, closed_on__isnull=True).first()
    offer = Offer.objects.select_related("certification").order_by("pk").first()
    if learner is not None and offer is not None and not FunderCredit.objects.filter(organisation=organisation):
        services.credit_add(
            organisation=organisation,
            user=user,
            nir=learner.nir,
            last_name=learner.last_name,
            amount="800.00",
            earmark_certifications=[offer.certification.code],
            expires_on=timezone.localdate() + datetime.timedelta(days=365),
            return_unused=True,
            source="demo",
        )
    return [f"funder        {DEMO_FUNDER_EMAIL} / {DEMO_FUNDER_PASSWORD}  (an employer; space: /financeur/)"]
