"""Deadlines in France's working days, stored on the file and enforced by the periodic task across weekends and
public holidays (Christmas, New Year, Easter Monday, Ascension, 14 July); the task is safe to run twice."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from opencpf.dossiers import services
from opencpf.dossiers.deadlines import dossiers_lapse
from opencpf.dossiers.enums import Action, Actor, DossierState
from opencpf.dossiers.models import Dossier, DossierEvent
from tests.dossiers.factories import accept, day, make_world, paris, propose, register

pytestmark = pytest.mark.django_db
S = DossierState


def state(dossier):
    return Dossier.objects.get(pk=dossier.pk).state


def lapse(at: datetime.datetime):
    return dossiers_lapse(now=at, dry_run=False)


@pytest.mark.parametrize(
    ("submitted", "deadline", "why"),
    [
        ("2025-12-23", "2025-12-26", "Christmas Day is skipped"),
        ("2025-12-31", "2026-01-05", "New Year's Day and the weekend are skipped"),
        ("2026-04-03", "2026-04-08", "Easter Monday is skipped"),
        ("2026-05-13", "2026-05-18", "Ascension Thursday and the weekend are skipped"),
        ("2026-07-13", "2026-07-16", "14 July is skipped"),
        ("2026-02-06", "2026-02-10", "a Friday request: the weekend is skipped"),
        ("2026-02-07", "2026-02-10", "a Saturday request counts from Monday"),
    ],
)
def test_a_request_without_an_answer_lapses_after_two_business_days(submitted, deadline, why):
    world = make_world(start="2026-09-14", end="2026-09-18")
    dossier = register(world, at=submitted)
    assert dossier.respond_before == day(deadline), why
    assert lapse(paris(deadline, 23, 59)).lapsed["submitted"] == 0
    assert state(dossier) == S.SUBMITTED
    report = lapse(paris(deadline) + datetime.timedelta(days=1) - datetime.timedelta(hours=10))  # 00:00 Paris
    assert report.lapsed["submitted"] == 1
    assert state(dossier) == S.EXPIRED
    event = DossierEvent.objects.filter(dossier=dossier).latest("id")
    assert (event.from_state, event.to_state, event.action, event.actor_kind) == (
        S.SUBMITTED,
        S.EXPIRED,
        Action.LAPSE,
        Actor.SYSTEM,
    )
    assert event.actor is None and event.details == {"deadline": "respond_before"}


@pytest.mark.parametrize(
    ("proposed", "deadline"),
    [
        ("2025-12-30", "2026-01-06"),  # New Year's Day and a weekend
        ("2026-05-13", "2026-05-20"),  # Ascension and a weekend
        ("2026-04-02", "2026-04-09"),  # Easter Monday and a weekend
        ("2025-12-22", "2025-12-29"),  # Christmas and a weekend
    ],
)
def test_a_proposal_not_accepted_lapses_after_four_business_days(proposed, deadline):
    world = make_world(start="2026-09-14", end="2026-09-18")
    dossier = register(world, at=proposed)
    propose(world, dossier, at=proposed)
    assert Dossier.objects.get(pk=dossier.pk).accept_before == day(deadline)
    lapse(paris(deadline, 23, 59))
    assert state(dossier) == S.PROPOSED
    accept_too_late = paris(deadline) + datetime.timedelta(days=1)
    lapse(accept_too_late)
    assert state(dossier) == S.PROPOSAL_EXPIRED
    with pytest.raises(services.DossierError):
        accept(world, dossier, at=str(accept_too_late.date()))


def test_an_entry_not_declared_around_the_fourteenth_of_july(django_capture_on_commit_callbacks):
    world = make_world(start="2026-07-13", end="2026-07-17")
    dossier = register(world, at="2026-06-15")
    propose(world, dossier, at="2026-06-16")
    accept(world, dossier, at="2026-06-17")
    dossier.refresh_from_db()
    assert dossier.declare_entry_before == day("2026-07-17")  # 14 July (a Tuesday) skipped
    assert dossier.declare_exit_before == day("2026-07-22")
    assert dossier.free_cancellation_until == day("2026-07-01")
    lapse(paris("2026-07-17", 23))
    assert state(dossier) == S.CONFIRMED
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        lapse(paris("2026-07-18", 1))
    assert state(dossier) == S.CANCELLED_BY_OF
    assert {m.to[0] for m in mail.outbox} == {world.user.email, world.staff.email}


def test_the_task_is_safe_to_run_twice_and_a_dry_run_changes_nothing(django_capture_on_commit_callbacks):
    world = make_world(start="2026-09-14", end="2026-09-18")
    overdue = register(world, at="2026-02-02")
    other = make_world(start="2026-09-14", end="2026-09-18")
    proposed = register(other, at="2026-02-02")
    propose(other, proposed, at="2026-02-03")
    not_yet = register(make_world(start="2026-09-14", end="2026-09-18"), at="2026-02-09")
    mail.outbox = []

    dry = dossiers_lapse(now=paris("2026-02-10"), dry_run=True)
    assert dry.lapsed == {"submitted": 1, "proposed": 1, "confirmed": 0}
    assert state(overdue) == S.SUBMITTED and DossierEvent.objects.count() == 4

    with django_capture_on_commit_callbacks(execute=True):
        first = lapse(paris("2026-02-10"))
    assert first.lapsed == {"submitted": 1, "proposed": 1, "confirmed": 0}
    # The holder and the organisation of each lapsed file are told.
    assert {m.to[0] for m in mail.outbox} == {world.user.email, world.staff.email, other.user.email, other.staff.email}
    with django_capture_on_commit_callbacks(execute=True):
        second = lapse(paris("2026-02-10", 12))
    assert second.total == 0
    assert (state(overdue), state(proposed), state(not_yet)) == (S.EXPIRED, S.PROPOSAL_EXPIRED, S.SUBMITTED)
    assert DossierEvent.objects.filter(action=Action.LAPSE).count() == 2


def test_the_command_is_dry_by_default(capsys):
    world = make_world(start="2026-09-14", end="2026-09-18")
    dossier = register(world, at="2026-02-02")
    call_command("lapse_dossiers", "--at", "2026-02-10T08:00:00+01:00")
    assert "submitted: 1 file(s) would lapse" in capsys.readouterr().out
    assert state(dossier) == S.SUBMITTED
    call_command("lapse_dossiers", "--at", "2026-02-10T08:00:00+01:00", "--wet-run")
    assert "submitted: 1 file(s) lapsed" in capsys.readouterr().out
    assert state(dossier) == S.EXPIRED


def test_the_chunks_cover_every_overdue_file():
    worlds = [make_world(start="2026-09-14", end="2026-09-18") for _ in range(7)]
    dossiers = [register(world, at="2026-02-02") for world in worlds]
    report = dossiers_lapse(now=paris("2026-02-10"), dry_run=False, chunk=3)
    assert report.lapsed["submitted"] == 7
    assert {state(d) for d in dossiers} == {S.EXPIRED}
    assert DossierEvent.objects.filter(action=Action.LAPSE).count() == 7
