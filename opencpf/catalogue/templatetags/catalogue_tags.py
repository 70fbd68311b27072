import functools
import re

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from opencpf.catalogue.enums import CertificationKind, Modality
from opencpf.utils.formatting import long_date

register = template.Library()

_MODALITIES = dict(Modality.choices)
_KINDS = dict(CertificationKind.choices)


@register.filter
def modality_label(value: str) -> str:
    return _MODALITIES.get(value, value)


@register.filter
def kind_label(value: str) -> str:
    return _KINDS.get(value, value)


@register.filter
def hours_label(value) -> str:
    """35.0 → "35", 17.5 → "17,5" (French decimal comma)."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@register.simple_tag
def result_card(hit) -> str:
    """One search result as a DSFR card. Built in Python and memoised on everything it shows: twenty cards
    through the template engine cost the search page more than the search itself (see `make bench-pages`)."""
    session = hit.next_session
    return _result_card(
        get_language(),
        hit.id,
        hit.title,
        hit.summary,
        hit.certification_code,
        hit.modality,
        hit.rating,
        hit.rating_count,
        hit.price,
        hit.hours,
        (session.start_date, session.remote, session.city) if session else None,
        hit.session_count,
        hit.distance_km,
        hit.organisation_name,
    )


@functools.lru_cache(maxsize=4096)
def _result_card(
    language,
    offer_id,
    title,
    summary,
    certification_code,
    modality,
    rating,
    rating_count,
    price,
    hours,
    session,
    session_count,
    distance_km,
    organisation_name,
) -> str:
    tags = [format_html('<li><p class="fr-tag fr-tag--sm">{}</p></li>', certification_code)]
    tags.append(format_html('<li><p class="fr-tag fr-tag--sm">{}</p></li>', modality_label(modality)))
    if rating:
        tags.append(
            format_html(
                '<li><p class="fr-tag fr-tag--sm">★ {} / 5 ({})</p></li>', floatformat(rating, 1), rating_count
            )
        )
    details = [
        format_html('<strong class="opencpf-amount">{} €</strong>', floatformat(price, "2g")),
        _("%(hours)s h") % {"hours": hours_label(hours)},
    ]
    if session:
        start_date, remote, city = session
        start = long_date(start_date)
        if remote:
            details.append(_("next session on %(date)s, remote") % {"date": start})
        else:
            details.append(_("next session on %(date)s in %(city)s") % {"date": start, "city": city})
    elif session_count == 0:
        details.append(_("sessions on request"))
    if distance_km is not None:
        details.append(_("%(km)s km") % {"km": floatformat(distance_km, 1)})
    return format_html(
        '<li class="fr-card fr-enlarge-link fr-mb-2w"><div class="fr-card__body"><div class="fr-card__content">'
        '<h3 class="fr-card__title"><a href="{}">{}</a></h3>'
        '<p class="fr-card__desc">{}</p>'
        '<div class="fr-card__start"><ul class="fr-tags-group">{}</ul>'
        '<p class="fr-card__detail fr-icon-building-line">{}</p></div>'
        '<div class="fr-card__end"><p class="fr-card__detail">{}</p></div>'
        "</div></div></li>",
        reverse("catalogue:offer", args=[offer_id]),
        title,
        Truncator(summary).chars(180),
        mark_safe("".join(tags)),  # each part escaped by format_html above
        organisation_name,
        mark_safe(" · ".join(conditional_escape(part) for part in details)),
    )


_BULLET = re.compile(r"^\s*(?:[-–—•*·▪]|\d+[.)])\s+")


@register.filter
def as_list(text: str) -> str:
    """An organisation's multi-line text (objectives, programme…) as a list, each line an item ("- ", "• ", "1. "
    dropped), an introduction line before the first bullet kept as a paragraph; one line stays a paragraph."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) <= 1:
        return format_html("<p>{}</p>", lines[0] if lines else "")
    first_bullet = next((index for index, line in enumerate(lines) if _BULLET.match(line)), 0)
    intro, items = lines[:first_bullet], lines[first_bullet:]
    return format_html(
        "{}<ul>{}</ul>",
        mark_safe("".join(format_html("<p class='fr-mb-1w'>{}</p>", line) for line in intro)),  # escaped above
        mark_safe("".join(format_html("<li>{}</li>", _BULLET.sub("", line)) for line in items)),
    )
