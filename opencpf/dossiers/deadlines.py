"""The periodic work on deadlines (DESIGN §2.3): lapse what is overdue, pay the organisations what is due.

Safe to run twice or concurrently:
- requests without an answer (`submitted` → `expired`) and proposals not accepted (`proposed` →
  `proposal_expired`) move no money, so they lapse set-based: per chunk, one statement picks overdue files
  (`FOR UPDATE SKIP LOCKED` on PostgreSQL: a concurrent run takes other rows, a holder accepting at that very
  moment keeps the row), moves them with a guarded `UPDATE … WHERE state = <from> AND <deadline> < today` and
  inserts their events from the `RETURNING` rows — the same statement, so no move without its event;
- confirmed files whose entry was never declared engaged money: each is settled by `dossier_lapse_unentered`
  (everything restored), in its own transaction, re-checking its state under lock;
- payments due are marked paid set-based (`status = 'due'` guard), and the completed files they pay move to
  `paid` with their events.
Deadlines are Paris dates: a file is overdue when its deadline is before today in Paris.
Emails are sent by background tasks, one per chunk of moves.
"""

import dataclasses
import datetime
import json
import logging
import queue
import threading
import time

from django.db import connection, transaction
from django.utils import timezone

from opencpf.dossiers import rules
from opencpf.dossiers.enums import DEADLINES, TERMINAL_STATES, Action, Actor, DossierState, transition
from opencpf.dossiers.models import Dossier, DossierEvent, OrganisationPayment, OrganisationPaymentStatus
from opencpf.dossiers.notifications import dossiers_notify_task
from opencpf.dossiers.selectors import payments_payable

logger = logging.getLogger(__name__)
S = DossierState
# Moves without money, lapsed set-based (the table says where each goes).
SET_BASED = (S.SUBMITTED, S.PROPOSED)
CHUNK = 50_000
NOTIFY_CHUNK = 1_000


@dataclasses.dataclass
class LapseReport:
    today: datetime.date
    dry_run: bool
    lapsed: dict[str, int] = dataclasses.field(default_factory=dict)  # by state left
    paid: int = 0
    seconds: dict[str, float] = dataclasses.field(default_factory=dict)  # by phase

    @property
    def total(self) -> int:
        return sum(self.lapsed.values())


def _enqueue_notifications(event_ids: list[int]) -> None:
    for start in range(0, len(event_ids), NOTIFY_CHUNK):
        chunk = event_ids[start : start + NOTIFY_CHUNK]
        transaction.on_commit(lambda chunk=chunk: dossiers_notify_task.enqueue(event_ids=chunk))


def _lapse_chunk_postgresql(source, target, field, today, now, limit) -> list[int]:
    table, events = Dossier._meta.db_table, DossierEvent._meta.db_table
    closed = "closed_at = %(now)s," if target in TERMINAL_STATES else ""
    sql = f"""
        WITH picked AS (
            SELECT id FROM {table}
            WHERE state = %(source)s AND {field} < %(today)s AND frozen_at IS NULL
            LIMIT %(limit)s
            FOR UPDATE SKIP LOCKED
        ), moved AS (
            UPDATE {table} AS d SET state = %(target)s, {closed} updated_at = %(now)s
            FROM picked
            WHERE d.id = picked.id AND d.state = %(source)s AND d.{field} < %(today)s AND d.frozen_at IS NULL
            RETURNING d.id
        )
        INSERT INTO {events} (dossier_id, from_state, to_state, action, actor_kind, actor_id, at, ip_address,
                              reason, details)
        SELECT id, %(source)s, %(target)s, %(action)s, %(actor)s, NULL, %(now)s, NULL, '', %(details)s::jsonb
        FROM moved
        RETURNING id
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "source": source,
                "target": target,
                "today": today,
                "now": now,
                "limit": limit,
                "action": Action.LAPSE.value,
                "actor": Actor.SYSTEM.value,
                "details": json.dumps({"deadline": field}),
            },
        )
        return [row[0] for row in cursor.fetchall()]


def _lapse_chunk_generic(source, target, field, today, now, limit) -> list[int]:
    table = Dossier._meta.db_table
    closed = "closed_at = %s," if target in TERMINAL_STATES else ""
    params = [target, *([now] if closed else []), now, source, today, limit, source, today]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET state = %s, {closed} updated_at = %s
            WHERE id IN (SELECT id FROM {table} WHERE state = %s AND {field} < %s AND frozen_at IS NULL LIMIT %s)
              AND state = %s AND {field} < %s AND frozen_at IS NULL
            RETURNING id
            """,
            params,
        )
        ids = [row[0] for row in cursor.fetchall()]
    events = DossierEvent.objects.bulk_create(
        DossierEvent(
            dossier_id=dossier_id,
            from_state=source,
            to_state=target,
            action=Action.LAPSE,
            actor_kind=Actor.SYSTEM,
            at=now,
            details={"deadline": field},
        )
        for dossier_id in ids
    )
    return [event.pk for event in events]


def lapse_state(source: DossierState, *, today: datetime.date, now: datetime.datetime, chunk: int = CHUNK) -> int:
    """Lapse every file in `source` whose deadline is before `today`, set-based, chunk by chunk."""
    move = transition(source, Action.LAPSE, Actor.SYSTEM)
    field = DEADLINES[source]
    run = _lapse_chunk_postgresql if connection.vendor == "postgresql" else _lapse_chunk_generic
    total = 0
    while True:
        with transaction.atomic():
            event_ids = run(source.value, move.target.value, field, today, now, chunk)
            _enqueue_notifications(event_ids)
        total += len(event_ids)
        if not event_ids:
            return total


def overdue(source: DossierState, today: datetime.date):
    # A frozen file waits for the agent's decision; its deadlines are shifted if the report is rejected.
    return Dossier.objects.filter(state=source, frozen_at__isnull=True, **{f"{DEADLINES[source]}__lt": today})


def pay_due(*, today: datetime.date, now: datetime.datetime, chunk: int = CHUNK) -> int:
    """Pay, set-based, the payments due to organisations in good standing: on their due date at the latest,
    earlier once the holder confirmed the training took place. Held payments wait for an agent; what is not payable
    (a file frozen by a scam report, an organisation under a payment sanction) is left out by `payments_payable`."""
    payments = OrganisationPayment._meta.db_table
    concat = "CONCAT(%s, id)" if connection.vendor == "postgresql" else "(%s || id)"
    total = 0
    while True:
        with transaction.atomic():
            # The dry run counts this very selection (`payments_payable`).
            selection, selection_params = payments_payable(today).values("id")[:chunk].query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"""
                    UPDATE {payments} SET status = %s, paid_at = %s, reference = {concat}
                    WHERE status = %s AND id IN (SELECT id FROM ({selection}) AS payable)
                    RETURNING dossier_id
                    """,
                    [
                        OrganisationPaymentStatus.PAID,
                        now,
                        f"OPENCPF-{now:%Y%m%d}-",
                        OrganisationPaymentStatus.DUE,
                        *selection_params,
                    ],
                )
                dossier_ids = [row[0] for row in cursor.fetchall()]
            if not dossier_ids:
                return total
            total += len(dossier_ids)
            move = transition(S.COMPLETED, Action.PAY, Actor.SYSTEM)
            completed = list(
                Dossier.objects.select_for_update()
                .filter(pk__in=dossier_ids, state=move.source)
                .values_list("pk", flat=True)
            )
            Dossier.objects.filter(pk__in=completed, state=move.source).update(
                state=move.target, updated_at=now, closed_at=now
            )
            events = DossierEvent.objects.bulk_create(
                DossierEvent(
                    dossier_id=dossier_id,
                    from_state=move.source,
                    to_state=move.target,
                    action=move.action,
                    actor_kind=Actor.SYSTEM,
                    at=now,
                )
                for dossier_id in completed
            )
            _enqueue_notifications([event.pk for event in events])


def _lapse_set_based(*, today, now, chunk: int, workers: int) -> dict[str, int]:
    """The moneyless lapses, by `workers` connections in parallel (PostgreSQL): each pulls chunks of each state
    with SKIP LOCKED until none is left, so they never take the same file."""
    if workers <= 1 or connection.vendor != "postgresql":
        return {source.value: lapse_state(source, today=today, now=now, chunk=chunk) for source in SET_BASED}
    counts = {source.value: 0 for source in SET_BASED}
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work():
        try:
            for source in SET_BASED:
                done = lapse_state(source, today=today, now=now, chunk=chunk)
                with lock:
                    counts[source.value] += done
        except BaseException as error:  # re-raised in the caller's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, name=f"lapse-{n}") for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return counts


def _lapse_engaged(ids: list[int], *, now, workers: int) -> int:
    """Confirmed files never entered: each settled in its own transaction (money moves), spread over workers."""
    from opencpf.dossiers.services.endings import dossier_lapse_unentered

    pending = queue.SimpleQueue()
    for dossier_id in ids:
        pending.put(dossier_id)
    done = [0]
    event_ids: list[int] = []
    lock = threading.Lock()

    def work(close: bool):
        try:
            while True:
                try:
                    dossier_id = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    lapsed = dossier_lapse_unentered(dossier_id=dossier_id, now=now, notify=False)
                    if lapsed is not None:
                        with lock:
                            done[0] += 1
                            event_ids.append(lapsed.event_id)
                except Exception:  # one file's failure must not stop the others; retried on the next run
                    logger.exception("training file %s: lapse of the undeclared entry failed", dossier_id)
        finally:
            if close:
                connection.close()

    if workers <= 1 or connection.vendor != "postgresql" or len(ids) < 2:
        work(close=False)
    else:
        threads = [threading.Thread(target=work, args=(True,)) for _n in range(min(workers, len(ids)))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    with transaction.atomic():  # committed files: the emails go out now, from one task per chunk
        _enqueue_notifications(sorted(event_ids))
    return done[0]


def dossiers_lapse(
    *, now: datetime.datetime | None = None, dry_run: bool = True, chunk: int = CHUNK, workers: int = 1
) -> LapseReport:
    """Everything overdue today (Paris), and the payments due. `dry_run` only counts. `workers` > 1 spreads the
    work over that many database connections in parallel (PostgreSQL)."""

    now = now or timezone.now()
    today = rules.paris_date(now)
    report = LapseReport(today=today, dry_run=dry_run)
    if dry_run:
        for source in (*SET_BASED, S.CONFIRMED):
            report.lapsed[source.value] = overdue(source, today).count()
        report.paid = payments_payable(today).count()
        return report
    started = time.perf_counter()
    report.lapsed.update(_lapse_set_based(today=today, now=now, chunk=chunk, workers=workers))
    report.seconds["requests and proposals"] = time.perf_counter() - started
    started = time.perf_counter()
    ids = list(overdue(S.CONFIRMED, today).values_list("pk", flat=True))
    report.lapsed[S.CONFIRMED.value] = _lapse_engaged(ids, now=now, workers=workers)
    report.seconds[S.CONFIRMED.value] = time.perf_counter() - started
    started = time.perf_counter()
    report.paid = pay_due(today=today, now=now, chunk=chunk)
    report.seconds["payments"] = time.perf_counter() - started
    return report
