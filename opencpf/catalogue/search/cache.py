"""Where something rendered from the catalogue may be cached."""

import datetime
import hashlib

from django.utils import timezone

from opencpf.catalogue import search_index as idx


def catalogue_cache_key(name: str, *parts: object, today: datetime.date | None = None) -> str:
    """Where something rendered from the catalogue (a page of results, an offer's page) may be cached: the key names
    the search index's version, which changes with every commit or rebuild of the index, i.e. every change of an
    offer, its sessions or its organisation through the services (so nothing is shown stale once search shows the
    change), and the day (sessions still open, Qualiopi expiries). Never for anything that depends on the user."""
    today = today or timezone.localdate()
    text = "\n".join(str(part) for part in (idx.handle().version(), today, *parts))
    return f"catalogue:{name}:{hashlib.sha256(text.encode()).hexdigest()}"
