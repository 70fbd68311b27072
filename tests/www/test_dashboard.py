import pytest

from opencpf.accounts import demo as accounts_demo
from opencpf.accounts.demo import DEMO_HOLDER_EMAIL
from opencpf.accounts.models import User
from opencpf.rights import demo as rights_demo
from tests.accounts.factories import UserFactory


@pytest.mark.django_db
def test_demo_holder_dashboard_shows_3000_euros_of_rights(client):
    accounts_demo.load(None)
    rights_demo.load(None)
    client.force_login(User.objects.get(email=DEMO_HOLDER_EMAIL))
    page = client.get("/mon-compte/").content.decode()
    assert "3\xa0000,00&nbsp;€" in page
    assert 'href="/droits/"' in page
    assert 'href="/catalogue/"' in page


@pytest.mark.django_db
def test_organisation_staff_dashboard_has_no_holder_tiles(client):
    client.force_login(UserFactory(organisation_staff=True))
    page = client.get("/mon-compte/").content.decode()
    assert 'href="/droits/"' not in page
    assert 'href="/catalogue/"' in page


def test_dashboard_requires_sign_in(client):
    response = client.get("/mon-compte/")
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]


@pytest.mark.django_db
def test_a_holder_at_zero_is_told_why_and_when_rights_arrive(client, english):
    from django.utils import timezone

    from opencpf.utils.legal import legal_value
    from tests.accounts.factories import HolderFactory

    holder = HolderFactory()
    client.force_login(holder.user)
    page = client.get("/mon-compte/").content.decode().replace("\xa0", " ")
    outlook = page.split('data-testid="empty-account"')[1].split("</div>")[0]
    assert "No rights have reached your account yet" in outlook
    credited_by = next_credited_year_and_day(timezone.localdate())
    assert f"Your rights will be credited by {credited_by} at the latest, for your work in" in outlook
    assert "during" not in outlook
    assert legal_value("rights/annual_amount").replace("\xa0", " ") in outlook and "L6323-11" in outlook
    assert "F10705" in outlook  # the operator's calendar the day comes from


def next_credited_year_and_day(today):
    """The day written from the parameter: the year after the work, or the year after that once it has passed."""
    import datetime

    from opencpf.parameters import value

    month, day = (int(part) for part in value("rights/crediting_day", datetime.date(today.year, 1, 1)).split("-"))
    this_year = datetime.date(today.year, month, day)
    arrives = this_year if today <= this_year else this_year.replace(year=today.year + 1)
    return f"{arrives.day} {arrives:%B %Y}"


@pytest.mark.parametrize(
    ("today", "last_year_credited", "expected"),
    [
        ("2027-03-01", False, "2027-06-15"),  # last year's work arrives this year
        ("2027-03-01", True, "2028-06-15"),  # already in: next is this year's work
        ("2027-07-01", False, "2028-06-15"),  # the day has passed without a credit: no hours for 2026
    ],
)
def test_the_day_rights_arrive_comes_from_the_crediting_calendar(today, last_year_credited, expected):
    import datetime

    from opencpf.rights.calendar import credited_by, next_credited_year

    year = next_credited_year(today=datetime.date.fromisoformat(today), last_year_credited=last_year_credited)
    assert credited_by(year) == datetime.date.fromisoformat(expected)


@pytest.mark.django_db
def test_a_file_waiting_for_the_holder_is_at_the_top(client, english):
    import datetime

    from django.utils import timezone

    from opencpf.dossiers import services
    from tests.dossiers.factories import make_world

    start = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    end = (timezone.localdate() + datetime.timedelta(days=64)).isoformat()
    world = make_world(price="1200.00", start=start, end=end, acquired="3000.00")
    client.force_login(world.user)
    assert 'data-testid="to-do"' not in client.get("/mon-compte/").content.decode()  # a request waits for the OF
    dossier = services.dossier_register(user=world.user, session_id=world.session.pk)
    services.dossier_propose(dossier_id=dossier.pk, user=world.staff, price="1200.00")
    page = client.get("/mon-compte/").content.decode()
    to_do = page.split('data-testid="to-do"')[1].split("</section>")[0]
    assert "1 file waits for you" in to_do and f"/dossiers/{dossier.pk}/" in to_do and "Accept the proposal" in to_do
    assert page.index('data-testid="to-do"') < page.index('data-testid="dashboard-total"')
    assert 'data-testid="empty-account"' not in page  # 3 000 € of rights: nothing to explain
