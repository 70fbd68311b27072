"""Who is on the other end of a request: address, country (offline GeoIP) and a readable device label."""

import functools
import ipaddress
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest


@functools.cache
def _geoip():
    from geoip2fast import GeoIP2Fast  # ships its own data: no network, microsecond look-ups

    return GeoIP2Fast()


def country_of_ip(ip: str | None) -> str:
    """ISO 3166 alpha-2 code of an address, or "" when private, unknown or malformed."""
    if not ip:
        return ""
    try:
        result = _geoip().lookup(ip)
    except Exception:  # a malformed address is simply of unknown country
        return ""
    code = getattr(result, "country_code", "") or ""
    return code if len(code) == 2 and code.isalpha() else ""


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """ "Firefox on Windows", from the User-Agent header; falls back to the raw header's start."""
    user_agent = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    if browser and system:
        return f"{browser} / {system}"
    return re.sub(r"\s+", " ", user_agent)[:80] or "?"


@dataclass(frozen=True)
class ClientInfo:
    ip: str | None
    country: str
    device: str


def is_trusted_proxy(ip: str | None) -> bool:
    """Is this peer one of OPENCPF_TRUSTED_PROXIES (whose X-Forwarded-* headers are believed)?"""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return False
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the peer's, or, when the peer is a trusted proxy, the last address of
    X-Forwarded-For that is not itself a trusted proxy (what a client writes at the left end is not believed)."""
    peer = request.META.get("REMOTE_ADDR") or None
    if not is_trusted_proxy(peer):
        return peer
    forwarded = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    for candidate in reversed(forwarded):
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            return peer
        if not is_trusted_proxy(candidate):
            return candidate
    return peer


def client_info(request: HttpRequest) -> ClientInfo:
    ip = client_ip(request)
    return ClientInfo(ip=ip, country=country_of_ip(ip), device=device_label(request.META.get("HTTP_USER_AGENT", "")))
