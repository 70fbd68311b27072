from django import template

from opencpf.catalogue.enums import CertificationKind, Modality, OrganisationStatus

register = template.Library()

_MODALITIES = dict(Modality.choices)
_KINDS = dict(CertificationKind.choices)
_STATUSES = dict(OrganisationStatus.choices)


@register.filter
def modality_label(value: str) -> str:
    return _MODALITIES.get(value, value)


@register.filter
def kind_label(value: str) -> str:
    return _KINDS.get(value, value)


@register.filter
def organisation_status_label(value: str) -> str:
    return _STATUSES.get(value, value)


@register.filter
def hours_label(value) -> str:
    """35.0 → "35", 17.5 → "17,5" (French decimal comma)."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
