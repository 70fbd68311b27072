"""Roles per organisation (SIRET): the access manager invites by email and revokes; least privilege is enforced by
the services; every action names who did it."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from opencpf.accounts.enums import Role
from opencpf.accounts.models import AuditEvent, User
from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.models import OrganisationMember
from opencpf.catalogue.selectors import organisation_roles
from opencpf.catalogue.services import staff
from opencpf.dossiers import services as dossiers
from opencpf.dossiers.enums import DossierState
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.dossiers.factories import make_world, paris, register

pytestmark = pytest.mark.django_db
R = OrganisationRole
NEW_PASSWORD = "Un-mot-de-passe-solide-2026"


def invite(organisation, actor, email, roles, capture):
    with capture(execute=True):
        staff.invitation_create(organisation=organisation, email=email, roles=roles, actor=actor)
    return re.search(r"/organisme/invitation/([^/\s]+)/", mail.outbox[-1].body).group(1)


def fresh(user):
    return User.objects.get(pk=user.pk)  # roles are cached per request on the user object


def test_invited_person_opens_a_staff_account_through_the_link(client, django_capture_on_commit_callbacks, english):
    world = make_world()
    token = invite(
        world.organisation, world.staff, "Nouvelle@Example.org", [R.FILES_MANAGER], django_capture_on_commit_callbacks
    )
    assert mail.outbox[-1].to == ["nouvelle@example.org"]
    assert world.organisation.name in mail.outbox[-1].subject

    page = client.get(f"/organisme/invitation/{token}/")
    assert page.status_code == 200 and b"Files manager" in page.content
    response = client.post(f"/organisme/invitation/{token}/", {"display_name": "Nora", "password": NEW_PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@example.org")
    assert user.role == Role.ORGANISATION_STAFF and user.email_verified_at is not None
    assert organisation_roles(user, world.organisation.pk) == {R.FILES_MANAGER}
    event = AuditEvent.objects.get(action="organisation_invitation_accepted")
    assert event.actor == user and event.details["invited_by"] == world.staff.pk
    sent = AuditEvent.objects.get(action="organisation_invitation_sent")
    assert sent.actor == world.staff and sent.details["email"] == "nouvelle@example.org"
    # The link works once.
    assert client.get(f"/organisme/invitation/{token}/").status_code == 404


def test_existing_staff_account_signs_in_then_joins(client, django_capture_on_commit_callbacks):
    world = make_world()
    other = UserFactory(organisation_staff=True, email="deja@example.org")
    token = invite(world.organisation, world.staff, "deja@example.org", [R.READER], django_capture_on_commit_callbacks)
    anonymous = client.post(f"/organisme/invitation/{token}/", {"display_name": "X", "password": NEW_PASSWORD})
    assert anonymous.status_code in (200, 400)
    assert not OrganisationMember.objects.filter(user=other).exists()
    assert fresh(other).check_password(DEFAULT_PASSWORD)  # nobody took over the account
    client.force_login(other)
    assert client.post(f"/organisme/invitation/{token}/").status_code == 302
    assert organisation_roles(fresh(other), world.organisation.pk) == {R.READER}


def test_a_holder_account_cannot_join_and_another_address_cannot_use_the_link(django_capture_on_commit_callbacks):
    world = make_world()
    token = invite(world.organisation, world.staff, world.user.email, [R.READER], django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        staff.invitation_accept(token=token, user=world.user)
    stranger = UserFactory(organisation_staff=True)
    with pytest.raises(PermissionDenied):
        staff.invitation_accept(token=token, user=stranger)
    assert not OrganisationMember.objects.filter(user__in=[world.user, stranger]).exists()


def test_only_the_access_manager_invites_and_revokes(django_capture_on_commit_callbacks):
    world = make_world()
    reader = UserFactory(organisation_staff=True)
    staff.member_add(
        organisation=world.organisation, user=reader, roles=[R.READER, R.FILES_MANAGER, R.FINANCE_MANAGER]
    )
    with pytest.raises(PermissionDenied):
        staff.invitation_create(organisation=world.organisation, email="x@example.org", roles=[R.READER], actor=reader)
    with pytest.raises(PermissionDenied):
        staff.member_revoke(organisation=world.organisation, user_id=world.staff.pk, actor=reader)
    assert not mail.outbox

    staff.member_revoke(organisation=world.organisation, user_id=reader.pk, actor=world.staff)
    assert organisation_roles(fresh(reader), world.organisation.pk) == frozenset()
    event = AuditEvent.objects.get(action="organisation_member_revoked")
    assert event.actor == world.staff and event.details["member"] == reader.pk


def test_the_last_access_manager_cannot_be_removed(django_capture_on_commit_callbacks):
    world = make_world()
    with pytest.raises(ValidationError):
        staff.member_roles_set(
            organisation=world.organisation, user_id=world.staff.pk, roles=[R.READER], actor=world.staff
        )
    with pytest.raises(ValidationError):
        staff.member_revoke(organisation=world.organisation, user_id=world.staff.pk, actor=world.staff)
    assert R.ACCESS_MANAGER in organisation_roles(fresh(world.staff), world.organisation.pk)


def test_a_reader_cannot_move_files_the_files_manager_can(english):
    world = make_world()
    dossier = register(world)
    reader = UserFactory(organisation_staff=True)
    staff.member_add(organisation=world.organisation, user=reader, roles=[R.READER, R.FINANCE_MANAGER])
    with pytest.raises(PermissionDenied):
        dossiers.dossier_propose(
            dossier_id=dossier.pk, user=reader, price=str(world.offer.price),
            start=world.session.start_date, end=world.session.end_date, now=paris("2026-02-03"),
        )  # fmt: skip
    staff.member_roles_set(
        organisation=world.organisation, user_id=reader.pk, roles=[R.FILES_MANAGER], actor=world.staff
    )
    proposed = dossiers.dossier_propose(
        dossier_id=dossier.pk, user=fresh(reader), price=str(world.offer.price),
        start=world.session.start_date, end=world.session.end_date, now=paris("2026-02-03"),
    )  # fmt: skip
    assert proposed.state == DossierState.PROPOSED


def test_revoked_invitation_link_stops_working(client, django_capture_on_commit_callbacks):
    world = make_world()
    token = invite(world.organisation, world.staff, "a@example.org", [R.READER], django_capture_on_commit_callbacks)
    invitation = world.organisation.invitations.get()
    staff.invitation_revoke(invitation_id=invitation.pk, organisation=world.organisation, actor=world.staff)
    assert client.get(f"/organisme/invitation/{token}/").status_code == 404
    with pytest.raises(ValidationError):
        staff.invitation_accept(token=token, password=NEW_PASSWORD, display_name="A")


def test_team_page_invites_and_hides_management_from_readers(client, django_capture_on_commit_callbacks, english):
    world = make_world()
    client.force_login(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/organisme/equipe/",
            {"organisation": world.organisation.pk, "email": "b@example.org", "roles": [R.READER]},
        )
    assert response.status_code == 302 and mail.outbox[-1].to == ["b@example.org"]
    page = client.get("/organisme/equipe/")
    assert b"b@example.org" in page.content and b"Send the invitation" in page.content

    reader = UserFactory(organisation_staff=True)
    staff.member_add(organisation=world.organisation, user=reader, roles=[R.READER])
    client.force_login(reader)
    page = client.get("/organisme/equipe/")
    assert page.status_code == 200 and b"Send the invitation" not in page.content
    refused = client.post("/organisme/equipe/", {"email": "c@example.org", "roles": [R.READER]})
    assert refused.status_code == 403 and len(mail.outbox) == 1
    holder = world.user
    client.force_login(holder)
    assert client.get("/organisme/equipe/").status_code == 403
