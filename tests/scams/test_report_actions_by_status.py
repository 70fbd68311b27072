"""In every status of a report, the pages offer an action exactly when the review service accepts it: the rule is
the report's (`is_open`, `can_start_review`), read by both, so the two cannot drift apart. Each service is tried
inside a savepoint rolled back, on the very report the page was rendered for."""

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from opencpf.scams.enums import ReportStatus
from opencpf.scams.models import Report
from opencpf.scams.services import review
from opencpf.scams.services.reports import ReportError, report_file
from tests.accounts.factories import HolderFactory
from tests.scams.helpers import agent_sign_in, make_agent

pytestmark = pytest.mark.django_db

DECIDED = {ReportStatus.CONFIRMED, ReportStatus.REJECTED}


class _Undo(Exception):
    pass


def accepted(call, *, moved_to: ReportStatus | None = None, report_id: int) -> bool:
    """Did the service accept (and, for `moved_to`, make that move)? Nothing it wrote is kept."""
    before = Report.objects.get(pk=report_id).status
    try:
        with transaction.atomic():
            call()
            after = Report.objects.get(pk=report_id).status
            raise _Undo(moved_to is None or before != after == moved_to)
    except _Undo as undo:
        return undo.args[0]
    except ReportError as refused:
        assert refused.status == 409 and refused.code == "already_decided"
        return False


@pytest.fixture
def holder():
    return HolderFactory()


def report_in(status: ReportStatus, holder, agent) -> Report:
    report = report_file(user=holder.user, situation="identity_shared", description="Un appel douteux.").report
    decided = {"decided_at": timezone.now(), "decided_by": agent} if status in DECIDED else {}
    # A note in every status: the reporter's page shows it for a rejection only.
    Report.objects.filter(pk=report.pk).update(status=status, decision_note="Note of the decision.", **decided)
    return Report.objects.get(pk=report.pk)


@pytest.mark.parametrize("status", list(ReportStatus))
def test_the_agents_page_offers_what_the_review_services_accept(client, english, holder, status):
    agent = make_agent()
    agent_sign_in(client, agent)
    report = report_in(status, holder, agent)
    page = client.get(f"/gestion/signalements/{report.pk}/").content.decode()
    decide = {
        "ask": f'action="/gestion/signalements/{report.pk}/question/"' in page,
        "confirm": f'action="/gestion/signalements/{report.pk}/confirmer/"' in page,
        "reject": f'action="/gestion/signalements/{report.pk}/rejeter/"' in page,
    }
    start_review = f'action="/gestion/signalements/{report.pk}/examiner/"' in page

    assert decide == {
        "ask": accepted(
            lambda: review.report_ask_info(report_id=report.pk, agent=agent, question="Quand ?"), report_id=report.pk
        ),
        "confirm": accepted(lambda: review.report_confirm(report_id=report.pk, agent=agent), report_id=report.pk),
        "reject": accepted(
            lambda: review.report_reject(report_id=report.pk, agent=agent, reason="Rien d'anormal."),
            report_id=report.pk,
        ),
    }
    assert start_review == accepted(
        lambda: review.report_review_start(report_id=report.pk, agent=agent),
        moved_to=ReportStatus.UNDER_REVIEW,
        report_id=report.pk,
    ) and (start_review == (status == ReportStatus.NEW))
    assert set(decide.values()) == {status not in DECIDED}  # the statuses the rule names, spelt out once here


@pytest.mark.parametrize("status", list(ReportStatus))
def test_the_reporters_page_offers_an_answer_when_the_service_takes_it(english, holder, status):
    report = report_in(status, holder, make_agent())
    reporter = Client()
    reporter.force_login(holder.user)
    page = reporter.get(f"/signalement/{report.reference}/").content.decode()
    answer_form = 'name="body"' in page

    assert answer_form == accepted(
        lambda: review.report_answer(report_id=report.pk, body="Voici la suite.", user=holder.user),
        report_id=report.pk,
    )
    assert answer_form == (status not in DECIDED)
    assert ("Note of the decision." in page) == (status == ReportStatus.REJECTED)
