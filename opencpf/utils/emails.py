"""Emails rendered in the recipient's language from a pair of templates (subject, text body)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def render_email(template_prefix: str, context: dict, language: str) -> tuple[str, str]:
    # Every email can send its reader to the contact form ("contact the support" always links somewhere).
    context = {"contact_url": settings.OPENCPF_SITE_URL + reverse("support:contact"), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template_prefix}_subject.txt", context).strip().replace("\n", " ")
        body = render_to_string(f"{template_prefix}_body.txt", context)
    return subject, body


def send_email(*, to: str, template_prefix: str, context: dict, language: str = "fr") -> None:
    subject, body = render_email(template_prefix, context, language)
    EmailMessage(subject=subject, body=body, to=[to]).send()
