"""Search follows the catalogue's writes: each write that changes what search shows marks the offers
(`search_changed_at`) and, once the transaction commits, enqueues the task that updates the search index."""

from django.db import transaction
from django.utils import timezone

from opencpf.catalogue.models import Offer


def search_index_follow(*, offer_ids=(), organisation_ids=(), at_once: bool = False) -> None:
    """Mark offers as changed for search and update the index once the current transaction commits: by a background
    task, or `at_once` in this process (a sanction: the offers leave this server's search before the answer; other
    servers catch up through `sync`)."""
    offer_ids = sorted({int(i) for i in offer_ids})
    organisation_ids = sorted({int(i) for i in organisation_ids})
    if not offer_ids and not organisation_ids:
        return
    now = timezone.now()
    if offer_ids:
        Offer.objects.filter(id__in=offer_ids).update(search_changed_at=now)
    if organisation_ids:
        Offer.objects.filter(organisation_id__in=organisation_ids).update(search_changed_at=now)

    def enqueue():
        from opencpf.catalogue.tasks import search_index_update_task

        search_index_update_task.enqueue(offer_ids=offer_ids, organisation_ids=organisation_ids)

    def now_here():
        from opencpf.catalogue import search_index

        search_index.update(offer_ids=offer_ids, organisation_ids=organisation_ids)

    transaction.on_commit(now_here if at_once else enqueue)
