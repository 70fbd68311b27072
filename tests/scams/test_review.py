"""The agents' decisions on a report: ask for information (the holder answers), reject (files released, deadlines
shifted by the business days frozen), and the audit of every look at a holder's data."""

import csv
import io
import re

import pytest
from django.core import mail

from opencpf.accounts.models import AuditEvent
from opencpf.dossiers import deadlines
from opencpf.dossiers.models import Dossier
from opencpf.dossiers.rules import paris_date
from opencpf.scams.enums import FreezeOutcome, ReportStatus
from opencpf.scams.models import Freeze, Report
from opencpf.scams.services import review
from opencpf.scams.services.reports import Identity, ReportError, report_file
from opencpf.utils.business_days import add_business_days, business_days_between
from tests.dossiers.factories import make_world, paris, register
from tests.scams.helpers import agent_sign_in, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_ask_info_then_the_holder_answers_from_the_emailed_link(client, world, django_capture_on_commit_callbacks):
    agent = make_agent()
    report = report_file(
        user=None,
        identity=Identity(nir=world.holder.nir, birth_date=world.holder.birth_date, email=world.user.email),
        situation="identity_shared",
        description="J'ai donné mon numéro.",
    ).report
    with django_capture_on_commit_callbacks(execute=True):
        review.report_ask_info(report_id=report.pk, agent=agent, question="Quel organisme vous a appelé ?")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.INFO_REQUESTED
    email = mail.outbox[-1]
    # The link is read from the email actually sent (its signature carries a timestamp).
    link = re.search(r"/signalement/suivi/[^/\s]+/", email.body).group(0)
    assert "Quel organisme" in email.body
    page = client.get(link)
    assert "Quel organisme" in page.content.decode()
    response = client.post(link, {"body": "Formations Douteuses, le 3 mars."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.UNDER_REVIEW
    assert report.messages.last().body == "Formations Douteuses, le 3 mars."
    assert client.get("/signalement/suivi/forged-token/").status_code == 404


def test_reject_releases_the_files_and_shifts_their_deadlines_by_the_time_frozen(
    world, django_capture_on_commit_callbacks
):
    agent = make_agent()
    dossier = register(world)  # submitted on 2026-02-02: the organisation answers by respond_before
    before = Dossier.objects.get(pk=dossier.pk)
    report = report_file(
        user=world.user, situation="registered_without_consent", description="x", dossier_ids=[dossier.pk]
    ).report
    frozen_at = paris("2026-02-03")
    Dossier.objects.filter(pk=dossier.pk).update(frozen_at=frozen_at)  # frozen the day after the registration
    Freeze.objects.filter(report=report).update(frozen_at=frozen_at)
    # While frozen the deadline task leaves the file alone, even long past its deadline.
    deadlines.dossiers_lapse(now=paris("2026-03-02"), dry_run=False)
    assert Dossier.objects.get(pk=dossier.pk).state == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        review.report_reject(report_id=report.pk, agent=agent, reason="Inscription bien faite par le titulaire.")
    after = Dossier.objects.get(pk=dossier.pk)
    assert after.frozen_at is None
    shift = business_days_between(paris_date(frozen_at), paris_date(Freeze.objects.get().lifted_at))
    assert shift > 0 and Freeze.objects.get().shifted_days == shift
    assert after.respond_before == add_business_days(before.respond_before, shift)
    assert Freeze.objects.get().outcome == FreezeOutcome.RELEASED
    assert mail.outbox[-1].to == [world.user.email] and report.reference in mail.outbox[-1].subject
    with pytest.raises(ReportError) as refused:
        review.report_confirm(report_id=report.pk, agent=agent, note="")
    assert refused.value.status == 409 and refused.value.code == "already_decided"


def test_every_look_at_a_holder_is_audited_and_the_audit_exports_as_csv(client, world):
    agent = make_agent()
    agent_sign_in(client, agent)
    client.get("/gestion/titulaires/", {"q": world.user.email})
    client.get(f"/gestion/titulaires/{world.holder.pk}/")
    looks = AuditEvent.objects.filter(actor=agent, action__in=["holders_searched", "holder_viewed"])
    assert {e.action for e in looks} == {"holders_searched", "holder_viewed"}
    response = client.post(f"/gestion/titulaires/{world.holder.pk}/verrouiller/", {"reason": "Compte piraté"})
    assert response.status_code == 302
    world.user.refresh_from_db()
    assert not world.user.is_active
    export = client.get("/gestion/audit.csv", {"holder": world.holder.pk})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert {"holder_viewed", "account_locked"} <= {row["action"] for row in rows}
    assert AuditEvent.objects.filter(actor=agent, action="audit_exported").exists()
    client.post(f"/gestion/titulaires/{world.holder.pk}/deverrouiller/", {"reason": "Vérifié par téléphone"})
    world.user.refresh_from_db()
    assert world.user.is_active
