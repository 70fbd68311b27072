"""What the 2026 finance law limits, by kind of training (DESIGN §2.2). Pure: the caller passes the parameters in
force on the day (`params.funding_limit_parameters`), so a rule whose decree is not published limits nothing.

- the driving licence B (light vehicles: the catalogue's licence codes listed in a parameter) is funded by the
  account only for a job seeker, or when a third party's money also funds the file (a top-up used by its plan);
- the rights usable for some kinds are capped (licence B, skills assessment, Répertoire spécifique except the
  certifications listed, CléA): above the cap the holder, or a third party, pays the rest.
Each limit says why, for the offer page and the acceptance.
"""

import dataclasses
from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext as _

from opencpf.catalogue.enums import CertificationKind
from opencpf.dossiers.enums import Refusal


@dataclasses.dataclass(frozen=True)
class FundingLimitParameters:
    driving_licence_b_restricted: bool
    driving_licence_b_codes: frozenset[
        str
    ]  # the catalogue's codes of the licence B (heavy licences are not concerned)
    caps: Mapping[str, Decimal]  # certification kind → cap in force (a kind absent has no cap in force)
    uncapped_certifications: frozenset[str]  # codes left out of their kind's cap


@dataclasses.dataclass(frozen=True)
class FundingLimit:
    """One limit that applies to a training: a refusal (the account cannot fund it) or a cap on the rights."""

    kind: str  # the certification kind it concerns
    refusal: Refusal | None = None
    cap: Decimal | None = None

    @property
    def message(self) -> str:
        if self.refusal is not None:
            return str(self.refusal.label) + "."
        return _("Your rights can fund at most %(cap)s € of this training (%(kind)s): the rest is paid by card.") % {
            "cap": f"{self.cap:.2f}",
            "kind": CertificationKind(self.kind).label,
        }


def training_limits(
    *,
    certification_kind: str,
    certification_code: str,
    params: FundingLimitParameters,
    job_seeker: bool | None = None,
    third_party_funds: bool | None = None,
) -> tuple[FundingLimit, ...]:
    """The limits in force for a training of this kind. `job_seeker` and `third_party_funds` None (not known yet,
    e.g. on the public offer page): the licence B restriction is listed as a condition."""
    limits = []
    code = (certification_code or "").upper()
    if certification_kind == CertificationKind.DRIVING_LICENCE and code not in params.driving_licence_b_codes:
        return ()  # heavy vehicles and the theory test: not concerned
    restricted = certification_kind == CertificationKind.DRIVING_LICENCE and params.driving_licence_b_restricted
    if restricted and not (job_seeker or third_party_funds):
        limits.append(FundingLimit(kind=certification_kind, refusal=Refusal.DRIVING_LICENCE_RESTRICTED))
    cap = params.caps.get(certification_kind)
    if cap is not None and code not in params.uncapped_certifications:
        limits.append(FundingLimit(kind=certification_kind, cap=cap))
    return tuple(limits)


def rights_cap(limits: tuple[FundingLimit, ...]) -> Decimal | None:
    caps = [limit.cap for limit in limits if limit.cap is not None]
    return min(caps) if caps else None


def refusal(limits: tuple[FundingLimit, ...]) -> Refusal | None:
    return next((limit.refusal for limit in limits if limit.refusal is not None), None)
