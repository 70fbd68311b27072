from django import template
from django.urls import reverse

from opencpf.identity.enums import FederationPurpose
from opencpf.identity.franceconnect.client import configured

register = template.Library()


@register.inclusion_tag("identity/_franceconnect_button.html")
def franceconnect_button(purpose: str = FederationPurpose.SIGN_IN) -> dict:
    """The DSFR FranceConnect button, as a link (the flow starts with a plain navigation); nothing when FranceConnect
    is not configured. "verify" asks FranceConnect+ (eidas2), "sign_in" FranceConnect (eidas1)."""
    if not configured():
        return {"url": None}
    verify = purpose == FederationPurpose.VERIFY
    url = reverse("identity:franceconnect_verify" if verify else "identity:franceconnect_sign_in")
    return {"url": url, "plus": verify}


@register.simple_tag
def franceconnect_available() -> bool:
    return configured()
