"""Filing a scam report on the web (DESIGN §2.6): signed in or with NIR + birth date + email, evidence sniffed from
its content, the reporter's own files only, receipt by email, no way to learn whether an account exists."""

import pytest
from django.core import mail

from opencpf.accounts.models import ApiToken, AuditEvent
from opencpf.accounts.services import api_token_create
from opencpf.dossiers.models import Dossier
from opencpf.scams.enums import FreezeOutcome
from opencpf.scams.models import Evidence, Freeze, Report
from opencpf.scams.services import reports as report_services
from tests.accounts.factories import DEFAULT_PASSWORD, HolderFactory
from tests.dossiers.factories import make_world, register
from tests.scams.conftest import ELF, PDF, PNG, stored_files, upload

pytestmark = pytest.mark.django_db

URL = "/signalement/"


def _form(**overrides):
    data = {
        "situation": "registered_without_consent",
        "description": "Une inscription que je n'ai jamais demandée.",
        "organisation": "",
        "caller_phone": "",
    }
    data.update(overrides)
    return data


def _anonymous(holder, **overrides):
    identity = {"nir": holder.nir, "birth_date": holder.birth_date.isoformat(), "email": holder.user.email}
    return _form(**{**identity, **overrides})


@pytest.fixture
def world():
    return make_world()


def test_a_signed_in_holder_reports_their_file_which_is_frozen_with_evidence_stored_outside_the_web_root(
    client, world, evidence_dir, settings, django_capture_on_commit_callbacks
):
    dossier = register(world)
    client.force_login(world.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            _form(
                dossiers=[str(dossier.pk)],
                evidence=[upload("contrat.pdf", PDF), upload("sms.png", PNG, "image/png")],
            ),
        )
    assert response.status_code == 302 and response.url == "/signalement/envoye/"
    report = Report.objects.get()
    assert report.holder == world.holder and report.organisation == world.organisation
    dossier.refresh_from_db()
    assert dossier.frozen_at is not None
    assert Freeze.objects.get().outcome == FreezeOutcome.ACTIVE
    names = stored_files(evidence_dir)
    assert len(names) == 2 and sorted(e.content_type for e in Evidence.objects.all()) == [
        "application/pdf",
        "image/png",
    ]
    assert not str(evidence_dir).startswith(str(settings.STATIC_ROOT))
    assert all("contrat" not in name for name in names)  # never the name the user chose
    receipt = client.get(response.url)
    assert report.reference in receipt.content.decode()
    assert "0 805 805 817" in receipt.content.decode()
    assert [m.to for m in mail.outbox] == [[world.user.email]]
    assert report.reference in mail.outbox[0].subject


def test_a_file_of_another_holder_is_not_found_and_nothing_is_written(client, world, evidence_dir):
    other = make_world()
    theirs = register(other)
    client.force_login(world.user)
    response = client.post(URL, _form(dossiers=[str(theirs.pk)], evidence=[upload("a.pdf", PDF)]))
    # The form offers only the holder's own files: a forged choice is refused before the service is reached.
    assert response.status_code in (400, 404)
    assert not Report.objects.exists() and not Freeze.objects.exists()
    theirs.refresh_from_db()
    assert theirs.frozen_at is None
    assert stored_files(evidence_dir) == []
    with pytest.raises(report_services.ReportError) as refused:
        report_services.report_file(
            user=world.user, situation="registered_without_consent", description="x", dossier_ids=[theirs.pk]
        )
    assert refused.value.status == 404
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "files, message",
    [
        ([("contrat.pdf", ELF)], "is not a PDF, JPEG or PNG"),
        ([("gros.pdf", PDF + b"0" * (5 * 1024 * 1024))], "larger than 5 MB"),
        ([(f"p{i}.pdf", PDF) for i in range(6)], "at most 5 files"),
    ],
    ids=["executable renamed .pdf", "over 5 MB", "six files"],
)
def test_bad_evidence_is_refused_with_a_clear_message_and_nothing_is_kept(
    client, world, evidence_dir, english, files, message
):
    dossier = register(world)
    client.force_login(world.user)
    client.cookies["opencpf_language"] = "en"
    response = client.post(
        URL, _form(dossiers=[str(dossier.pk)], evidence=[upload(name, content) for name, content in files])
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists() and stored_files(evidence_dir) == []
    dossier.refresh_from_db()
    assert dossier.frozen_at is None


def test_an_anonymous_report_answers_the_same_whether_or_not_the_identity_matches(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        matched = client.post(URL, _anonymous(world.holder))
    stranger = HolderFactory.build(birth_date=world.holder.birth_date)
    other_client = type(client)()
    with django_capture_on_commit_callbacks(execute=True):
        unmatched = other_client.post(
            URL,
            _form(nir=stranger.nir, birth_date=stranger.birth_date.isoformat(), email="nobody@example.fr"),
        )
    assert matched.status_code == unmatched.status_code == 302
    assert matched.url == unmatched.url
    first, second = Report.objects.order_by("pk")
    assert first.holder == world.holder and second.holder is None
    page_1 = client.get(matched.url).content.decode().replace(first.reference, "REF")
    page_2 = other_client.get(unmatched.url).content.decode().replace(second.reference, "REF")
    strip = lambda page: page.split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(page_1) == strip(page_2)
    # Both typed addresses get the same kind of receipt.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.user.email, "nobody@example.fr"])


def test_an_anonymous_report_with_a_wrong_email_freezes_nothing(client, world):
    dossier = register(world)
    report_services.report_file(
        user=None,
        identity=report_services.Identity(
            nir=world.holder.nir, birth_date=world.holder.birth_date, email="attacker@example.fr"
        ),
        situation="account_hacked",
        description="x",
        lock_account=True,
    )
    dossier.refresh_from_db()
    assert dossier.frozen_at is None
    assert Report.objects.get().holder is None
    world.user.refresh_from_db()
    assert world.user.check_password(DEFAULT_PASSWORD)  # nobody can lock an account they cannot identify


def test_filing_can_lock_the_account_at_once(client, world):
    client.force_login(world.user)
    _key, _token = api_token_create(user=world.user)
    response = client.post(URL, _form(situation="account_hacked", lock_account="on"))
    assert response.status_code == 302
    assert client.get("/mon-compte/").status_code == 302  # this session ended too
    world.user.refresh_from_db()
    assert not world.user.check_password(DEFAULT_PASSWORD)  # a password reset is needed
    assert not ApiToken.objects.filter(user=world.user, revoked_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="account_locked", target=f"user:{world.user.pk}").exists()
    # The receipt is still shown to the browser that filed.
    assert Report.objects.get().reference in client.get("/signalement/envoye/").content.decode()


def test_a_second_report_on_a_frozen_file_is_attached_to_the_first(world):
    dossier = register(world)
    first = report_services.report_file(
        user=world.user, situation="registered_without_consent", description="x", dossier_ids=[dossier.pk]
    ).report
    second = report_services.report_file(
        user=world.user, situation="cold_calling", description="y", dossier_ids=[dossier.pk]
    ).report
    assert second.attached_to == first
    assert Freeze.objects.filter(dossier=dossier).count() == 1
    assert Dossier.objects.get(pk=dossier.pk).frozen_at is not None


def test_reports_are_rate_limited_per_identity_and_per_address(world, english):
    for _i in range(report_services.PER_IDENTITY_PER_DAY):
        report_services.report_file(user=world.user, situation="cold_calling", description="x", ip="192.0.2.1")
    with pytest.raises(report_services.ReportError) as refused:
        report_services.report_file(user=world.user, situation="cold_calling", description="x", ip="192.0.2.2")
    assert refused.value.status == 429
    others = [HolderFactory() for _i in range(report_services.PER_ADDRESS_PER_HOUR + 1)]
    for holder in others[:-1]:
        report_services.report_file(user=holder.user, situation="cold_calling", description="x", ip="192.0.2.9")
    with pytest.raises(report_services.ReportError) as refused:
        report_services.report_file(user=others[-1].user, situation="cold_calling", description="x", ip="192.0.2.9")
    assert refused.value.status == 429
    assert Report.objects.filter(ip_address="192.0.2.9").count() == report_services.PER_ADDRESS_PER_HOUR


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"description": "\x00\x00"}, "description"),
        ({"birth_date": "9999-12-31"}, None),
        ({"nir": "1 90 03 75 056 0Ο1 00"}, "nir"),  # a Greek capital omicron in place of a zero
        ({"description": "x" * 100_000}, "description"),
    ],
    ids=["NUL bytes", "year 9999", "look-alike character", "huge body"],
)
def test_bad_input_gets_a_message_never_a_500(client, world, overrides, field):
    response = client.post(URL, _anonymous(world.holder, **overrides))
    assert response.status_code in (302, 400)
    if field:
        assert response.status_code == 400
    assert not Freeze.objects.exists()


def test_the_precautions_page_gives_the_info_fraud_number(client):
    page = client.get("/signalement/precautions/").content.decode()
    assert "0 805 805 817" in page


def test_the_report_form_is_reachable_from_home_sign_in_and_file_pages(client, world):
    assert 'href="/signalement/"' in client.get("/").content.decode()
    assert 'href="/signalement/"' in client.get("/compte/connexion/").content.decode()
    dossier = register(world)
    client.force_login(world.user)
    page = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert f'href="/signalement/?dossier={dossier.pk}"' in page
