"""Background tasks of the catalogue (run by `manage.py db_worker`, or at once with the immediate backend)."""

from django.tasks import task

from opencpf.catalogue import search_index


@task()
def search_index_update_task(*, offer_ids: list[int], organisation_ids: list[int]) -> int:
    """Bring these offers' search entries in line with the database (added, replaced or removed)."""
    return search_index.update(offer_ids=offer_ids, organisation_ids=organisation_ids)
