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


@register.simple_tag
def session_row(session, file_id: int | None, registration: bool) -> str:
    """One row of an offer's table of sessions. Built in Python and memoised, as the result cards: an offer may
    list dozens of sessions, and through the template engine their rows were most of the offer page's CPU.
    `registration`: the column to register (or to see one's file) is shown, to holders and visitors."""
    return _session_row(
        get_language(),
        session.pk,
        session.start_date,
        session.end_date,
        session.is_remote,
        session.city,
        session.postal_code,
        session.seats,
        file_id,
        registration,
    )


@functools.lru_cache(maxsize=4096)
def _session_row(language, session_id, start_date, end_date, remote, city, postal_code, seats, file_id, registration):
    start = long_date(start_date)
    cells = [
        format_html(
            '<td class="opencpf-stack__title">{}</td>',
            _("From %(start)s to %(end)s") % {"start": start, "end": long_date(end_date)},
        ),
        format_html(
            '<td data-label="{}">{}</td>',
            _("Place"),
            _("Remote") if remote else format_html("{} ({})", city, postal_code),
        ),
        format_html('<td data-label="{}">{}</td>', _("Seats"), _("No limit") if seats is None else seats),
    ]
    if registration and file_id:
        cells.append(
            format_html(
                '<td><p class="fr-badge fr-badge--success fr-badge--sm">{}</p><br><a href="{}">{}'
                '<span class="fr-sr-only"> — {}</span></a></td>',
                _("You are registered"),
                reverse("dossiers:detail", args=[file_id]),
                _("See my file no. %(number)s") % {"number": file_id},
                start,
            )
        )
    elif registration:
        cells.append(
            format_html(
                '<td><a class="fr-btn fr-btn--sm" href="{}">{}<span class="fr-sr-only"> — {}</span></a></td>',
                reverse("dossiers:register", args=[session_id]),
                _("Register"),
                start,
            )
        )
    return format_html("<tr>{}</tr>", mark_safe("".join(cells)))  # each cell escaped by format_html above
