import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from opencpf.catalogue import search as search_module
from opencpf.catalogue import search_index, services
from opencpf.catalogue.enums import CertificationKind, Modality, OrganisationStatus
from opencpf.catalogue.search import SearchInputError
from opencpf.catalogue.search import engine as search_engine
from opencpf.places.selectors import haversine_km, postal_code_centre
from tests.catalogue.factories import (
    CertificationFactory,
    OfferFactory,
    OrganisationFactory,
    SessionFactory,
    in_days,
    titles,
)

pytestmark = pytest.mark.django_db


# French text ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "query"),
    [
        ("Anglais professionnel", "anglais"),
        ("Anglais professionnel", "ANGLAIS"),
        ("Développeuse web et web mobile", "developpeur"),
        ("Développeur web et web mobile", "développeuse"),
        ("Développeur web", "développeurs web"),
        ("Aide-soignant en EHPAD", "aide soignante"),
        ("Aide-soignant en EHPAD", "aides-soignants"),
        ("Électricien d'équipement du bâtiment", "electricienne"),
        ("Conducteur routier", "conductrice routière"),
        ("Comptabilité et gestion", "comptabilite"),
        ("Préparation au TOEIC", "toeic"),
    ],
)
def test_french_words_match_whatever_accents_gender_and_plural(reindex, search, title, query):
    OfferFactory(title=title)
    OfferFactory(title="Permis poids lourd")
    reindex()
    assert titles(search(q=query)) == [title]


def test_all_words_must_match_and_title_matches_come_first(reindex, search):
    OfferFactory(title="Excel perfectionnement", summary="Tableaux croisés.")
    OfferFactory(title="Bureautique", summary="Word et Excel pour débutants.")
    OfferFactory(title="Anglais", summary="Conversation.")
    reindex()
    assert titles(search(q="excel")) == ["Excel perfectionnement", "Bureautique"]
    assert titles(search(q="excel tableaux")) == ["Excel perfectionnement"]


def test_when_no_offer_has_all_the_words_offers_with_some_of_them_are_shown(reindex, search):
    OfferFactory(title="Espagnol débutant")
    OfferFactory(title="Italien débutant")
    reindex()
    result = search(q="espagnol italien")
    assert sorted(titles(result)) == ["Espagnol débutant", "Italien débutant"]
    assert result.notices


@pytest.mark.parametrize("query", ['anglais" (', "anglais: AND OR", "[anglais]", "anglais^2 ~", "title:anglais"])
def test_query_syntax_is_never_an_error(reindex, search, query):
    OfferFactory(title="Anglais professionnel")
    reindex()
    assert titles(search(q=query)) == ["Anglais professionnel"]


def test_words_too_common_to_search_are_explained(reindex, search):
    OfferFactory(title="Anglais")
    reindex()
    with pytest.raises(SearchInputError) as error:
        search(q="le la de")
    assert "q" in error.value.errors
    result = search(q="le la de", max_price="5000")
    assert result.count == 1 and result.notices


# Visibility ----------------------------------------------------------------------------------------------------


def test_only_approved_organisations_with_valid_qualiopi_and_published_offers_are_found(reindex, search):
    OfferFactory(title="Anglais A")
    OfferFactory(title="Anglais B", organisation=OrganisationFactory(pending=True))
    OfferFactory(title="Anglais C", organisation=OrganisationFactory(delisted=True))
    OfferFactory(title="Anglais D", organisation=OrganisationFactory(qualiopi_expired=True))
    OfferFactory(title="Anglais E", organisation=OrganisationFactory(qualiopi_expires_on=None))
    OfferFactory(title="Anglais F", is_active=False)
    reindex()
    assert titles(search(q="anglais")) == ["Anglais A"]


def test_a_delisted_organisation_disappears_at_once(search, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    certification = CertificationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_create(
            organisation=organisation,
            certification=certification,
            title="Anglais des affaires",
            price=Decimal("900"),
            hours=Decimal("30"),
        )
    assert titles(search(q="anglais")) == ["Anglais des affaires"]
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_status_set(organisation=organisation, status=OrganisationStatus.DELISTED)
    assert search(q="anglais").count == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_status_set(organisation=organisation, status=OrganisationStatus.APPROVED)
    assert search(q="anglais").count == 1


def test_a_qualiopi_certificate_expiring_hides_the_offers_without_reindexing(reindex, search):
    organisation = OrganisationFactory(qualiopi_expires_on=in_days(10))
    OfferFactory(title="Anglais", organisation=organisation)
    reindex()
    assert search(q="anglais").count == 1
    later = timezone.localdate() + datetime.timedelta(days=11)
    assert search_module.search_offers(search_module.parse_search_params({"q": "anglais"}), today=later).count == 0


def test_every_change_follows_into_the_index(search, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        offer = services.offer_create(
            organisation=organisation,
            certification=CertificationFactory(),
            title="Italien",
            price=Decimal("500"),
            hours=Decimal("20"),
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_update(offer=offer, title="Portugais", price=Decimal("450"))
    assert titles(search(q="portugais")) == ["Portugais"] and search(q="italien").count == 0
    assert search(q="portugais").hits[0].price == Decimal("450.00")

    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_create(
            offer=offer, start_date=in_days(20), end_date=in_days(25), postal_code="69003", city="Lyon"
        )
    assert search(q="portugais", postal_code="69001", radius_km="10").count == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, postal_code="13001", city="Marseille")
    assert search(q="portugais", postal_code="69001", radius_km="10").count == 0
    assert search(q="portugais", postal_code="13002", radius_km="10").count == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.offer_rating_update(offer=offer, average=Decimal("4.6"), count=12)
    assert search(q="portugais", min_rating="4.5").hits[0].rating == Decimal("4.60")

    with django_capture_on_commit_callbacks(execute=True):
        services.offer_update(offer=offer, is_active=False)
    assert search(q="portugais").count == 0


# Place and dates -----------------------------------------------------------------------------------------------


def test_place_and_dates_must_hold_for_the_same_session(reindex, search):
    offer = OfferFactory(title="Cariste")
    SessionFactory(offer=offer, where=("75011", ""), days_from_now=30)  # Paris in a month
    SessionFactory(offer=offer, where=("69003", "Lyon"), days_from_now=120)  # Lyon in four months
    reindex()

    def found(postal_code, first, last):
        return search(
            q="cariste",
            postal_code=postal_code,
            radius_km="20",
            start_after=in_days(first),
            start_before=in_days(last),
        ).count

    assert found("69001", 20, 40) == 0  # Lyon, but the session of that month is in Paris
    assert found("75001", 100, 140) == 0  # Paris, but the session of those months is in Lyon
    assert found("69001", 100, 140) == 1
    assert found("75001", 20, 40) == 1
    assert search(q="cariste", postal_code="69001", radius_km="20").count == 1
    assert search(q="cariste", start_after=in_days(100)).count == 1
    assert search(q="cariste", start_after=in_days(121)).count == 0


def test_radius_is_measured_from_the_postal_code(reindex, search):
    OfferFactory(title="Lyon")
    SessionFactory(offer__title="Villeurbanne", where=("69100", "Villeurbanne"))
    SessionFactory(offer__title="Grenoble", where=("38000", "Grenoble"))
    SessionFactory(offer__title="Distance", is_remote=True)
    reindex()
    lyon = postal_code_centre("69001")
    grenoble = postal_code_centre("38000")
    distance = haversine_km(lyon.latitude, lyon.longitude, grenoble.latitude, grenoble.longitude)
    assert titles(search(postal_code="69001", radius_km="10")) == ["Villeurbanne"]
    assert titles(search(postal_code="69001", radius_km=str(int(distance) + 1), sort="distance")) == [
        "Villeurbanne",
        "Grenoble",
    ]
    hits = search(postal_code="69001", radius_km="200", sort="distance").hits
    assert hits[1].distance_km == pytest.approx(distance, abs=0.1)
    assert hits[1].next_session.city == "Grenoble"


def test_remote_only_keeps_remote_and_mixed_offers(reindex, search):
    OfferFactory(title="Anglais sur place")
    OfferFactory(title="Anglais à distance", remote=True)
    OfferFactory(title="Anglais mixte", mixed=True)
    reindex()
    assert sorted(titles(search(q="anglais", remote="true"))) == ["Anglais mixte", "Anglais à distance"]
    assert search(q="anglais", remote="false").count == 3


def test_sessions_already_started_do_not_count(reindex, search):
    SessionFactory(offer__title="Passée", days_from_now=-3)
    SessionFactory(offer__title="Future", days_from_now=3)
    reindex()
    assert titles(search(start_after=in_days(-10).isoformat())) == ["Future"]


# Filters -------------------------------------------------------------------------------------------------------


def test_filters_price_duration_certification_and_rating(reindex, search):
    driving = CertificationFactory(driving_licence=True)
    rs = CertificationFactory(rs=True)
    OfferFactory(title="Cheap", price=Decimal("300"), hours=Decimal("10"), certification=driving)
    OfferFactory(title="Dear", price=Decimal("5000"), hours=Decimal("400"), certification=rs)
    OfferFactory(
        title="Rated", price=Decimal("1000"), hours=Decimal("35"), rating_average=Decimal("4.8"), rating_count=3
    )
    reindex()
    assert titles(search(max_price="1000", sort="price")) == ["Cheap", "Rated"]
    assert titles(search(max_price="999,99")) == ["Cheap"]
    assert titles(search(max_hours="35", sort="price")) == ["Cheap", "Rated"]
    assert titles(search(certification="driving_licence")) == ["Cheap"]
    assert titles(search(certification=rs.code.lower())) == ["Dear"]
    assert titles(search(certification=f"{rs.code[:2]} {rs.code[2:]}")) == ["Dear"]
    assert titles(search(min_rating="4.5")) == ["Rated"]


# Sorts and pages -----------------------------------------------------------------------------------------------


def test_each_sort(reindex, search):
    a = OfferFactory(title="Anglais A", price=Decimal("900"), rating_average=Decimal("3.5"), rating_count=2)
    b = OfferFactory(title="Anglais B", price=Decimal("300"), rating_average=Decimal("4.9"), rating_count=9)
    c = OfferFactory(title="Anglais C anglais anglais", price=Decimal("600"))
    SessionFactory(offer=a, where=("69003", "Lyon"), days_from_now=40)
    SessionFactory(offer=b, where=("13001", "Marseille"), days_from_now=10)
    SessionFactory(offer=c, where=("69100", "Villeurbanne"), days_from_now=70)
    SessionFactory(offer=c, where=("75011", ""), days_from_now=20)
    reindex()
    assert titles(search(q="anglais", sort="price")) == ["Anglais B", "Anglais C anglais anglais", "Anglais A"]
    assert titles(search(q="anglais", sort="rating")) == ["Anglais B", "Anglais A", "Anglais C anglais anglais"]
    assert titles(search(q="anglais", sort="start_date")) == ["Anglais B", "Anglais C anglais anglais", "Anglais A"]
    assert titles(search(q="anglais", sort="relevance"))[0] == "Anglais C anglais anglais"
    by_distance = search(q="anglais", postal_code="69001", radius_km="50", sort="distance")
    assert titles(by_distance) == ["Anglais A", "Anglais C anglais anglais"]
    assert by_distance.hits[1].next_session.city == "Villeurbanne"
    # With a period, start date means the first session in that period.
    assert titles(search(q="anglais", sort="start_date", start_after=in_days(30))) == [
        "Anglais A",
        "Anglais C anglais anglais",
    ]


def test_pages_and_total_count(reindex, search):
    for number in range(25):
        OfferFactory(title=f"Anglais {number:02d}", price=Decimal(100 + number))
    reindex()
    first = search(q="anglais", sort="price")
    second = search(q="anglais", sort="price", page="2")
    assert first.count == second.count == 25
    assert len(first.hits) == 20 and len(second.hits) == 5
    assert titles(first) + titles(second) == [f"Anglais {number:02d}" for number in range(25)]
    with pytest.raises(SearchInputError) as error:
        search(q="anglais", page="3")
    assert "page" in error.value.errors


@pytest.mark.parametrize("dated", [True, False])
@pytest.mark.parametrize("sort", ["distance", "start_date"])
def test_session_sorts_on_many_hits_agree_with_the_obvious_order(reindex, search, monkeypatch, sort, dated):
    """With the "read everything" shortcut disabled, growing sets of communes or days give the exact order."""
    monkeypatch.setattr(search_engine, "_FETCH_ALL", 0)
    monkeypatch.setattr(search_engine, "_READ_MARGIN", 3)
    rng = random.Random(7)
    towns = [("69001", ""), ("69003", "Lyon"), ("69100", "Villeurbanne"), ("69500", "Bron"), ("38000", "Grenoble")]
    for number in range(45):
        offer = OfferFactory(title=f"Soudure {number}")
        for _ in range(rng.randint(0, 3)):
            SessionFactory(offer=offer, where=rng.choice(towns), days_from_now=rng.randint(1, 60))
    reindex()
    params = {"q": "soudure", "postal_code": "69001", "radius_km": "120", "sort": sort}
    first_day, last_day = (in_days(5), in_days(50)) if dated else (in_days(0), in_days(1000))
    if dated:
        params |= {"start_after": first_day.isoformat(), "start_before": last_day.isoformat()}
    centre = postal_code_centre("69001")

    expected = []
    from opencpf.catalogue.models import Offer

    for offer in Offer.objects.prefetch_related("sessions"):
        keys = [
            round(haversine_km(centre.latitude, centre.longitude, s.latitude, s.longitude), 6)
            if sort == "distance"
            else s.start_date
            for s in offer.sessions.all()
            if first_day <= s.start_date <= last_day
        ]
        if keys:
            expected.append((min(keys), offer.title))
    first = search(**params)
    assert first.count == len(expected)
    got = [(hit.distance_km if sort == "distance" else hit.next_session.start_date) for hit in first.hits]
    want = [key for key, _title in sorted(expected, key=lambda item: item[0])][:20]
    if sort == "distance":
        assert got == [round(key, 1) for key in want]
    else:
        assert got == want
    everything = []
    for page in range(1, first.num_pages + 1):
        everything += search(**params, page=str(page)).hits
    assert [hit.id for hit in everything[:20]] == [hit.id for hit in first.hits]
    assert len({hit.id for hit in everything}) == len(expected) == len(everything)
    if sort == "distance":
        assert [hit.distance_km for hit in everything] == [round(key, 1) for key, _t in sorted(expected)]
    else:
        assert [hit.next_session.start_date for hit in everything] == [key for key, _t in sorted(expected)]


# Bad input -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "anglais", "postal_code": "99999"}, "postal_code"),
        ({"q": "anglais", "postal_code": "Lyon"}, "postal_code"),
        ({"q": "anglais", "postal_code": "69001", "radius_km": "0"}, "radius_km"),
        ({"q": "anglais", "postal_code": "69001", "radius_km": "-5"}, "radius_km"),
        ({"q": "anglais", "postal_code": "69001", "radius_km": "20000"}, "radius_km"),
        ({"q": "anglais", "postal_code": "69001", "radius_km": "2.5"}, "radius_km"),
        ({"q": "anglais", "start_after": "2030-02-01", "start_before": "2030-01-01"}, "start_before"),
        ({"q": "anglais", "start_after": "demain"}, "start_after"),
        ({"q": "anglais", "max_price": "-1"}, "max_price"),
        ({"q": "anglais", "max_price": "beaucoup"}, "max_price"),
        ({"q": "anglais", "max_hours": "0"}, "max_hours"),
        ({"q": "anglais", "min_rating": "6"}, "min_rating"),
        ({"q": "anglais", "certification": "XYZ"}, "certification"),
        ({"q": "anglais", "sort": "popularity"}, "sort"),
        ({"q": "anglais", "sort": "distance"}, "sort"),
        ({"q": "anglais", "page": "0"}, "page"),
        ({"q": "anglais", "page": "deux"}, "page"),
        ({"q": "anglais", "page": "5000"}, "page"),
    ],
)
def test_bad_input_is_reported_per_field(search, params, field):
    with pytest.raises(SearchInputError) as error:
        search(**params)
    assert field in error.value.errors


def test_a_period_in_the_past_is_an_explained_empty_result(reindex, search):
    SessionFactory(offer__title="Anglais")
    reindex()
    result = search(q="anglais", start_before=in_days(-1).isoformat())
    assert result.count == 0 and result.notices


def test_no_session_within_the_radius_is_an_explained_empty_result(reindex, search):
    SessionFactory(offer__title="Anglais", where=("13001", "Marseille"))
    reindex()
    result = search(q="anglais", postal_code="29200", radius_km="5")
    assert result.count == 0 and result.notices


# The index on disk ---------------------------------------------------------------------------------------------


def test_another_process_sees_updates_and_rebuilds(reindex, settings):
    OfferFactory(title="Anglais")
    reindex()
    other = search_index.IndexHandle(settings.SEARCH_INDEX_DIR)  # what another app server process holds
    assert other.searcher().num_docs == 1
    offer = OfferFactory(title="Allemand")
    search_index.update(offer_ids=[offer.pk])
    assert other.searcher().num_docs == 2
    OfferFactory(title="Espagnol")
    report = reindex()
    assert report.documents == 3 and other.searcher().num_docs == 3
    reindex()
    assert len(list(settings.SEARCH_INDEX_DIR.glob("gen-*"))) == 2  # the current one and the previous one


def test_sync_catches_up_with_the_database(reindex):
    offer = OfferFactory(title="Anglais")
    reindex()
    from opencpf.catalogue.models import Offer

    Offer.objects.filter(pk=offer.pk).update(title="Allemand", search_changed_at=timezone.now())
    assert search_index.sync() >= 1
    result = search_module.search_offers(search_module.parse_search_params({"q": "allemand"}))
    assert result.count == 1


def test_kinds_and_modalities_are_stored_for_display(reindex, search):
    SessionFactory(
        offer__title="Bilan",
        offer__certification=CertificationFactory(
            code="BILAN-COMPETENCES", kind=CertificationKind.SKILLS_ASSESSMENT, title="Bilan de compétences"
        ),
        offer__modality=Modality.MIXED,
    )
    reindex()
    hit = search(q="bilan").hits[0]
    assert hit.certification_kind == CertificationKind.SKILLS_ASSESSMENT
    assert hit.modality == Modality.MIXED
    assert hit.next_session.start_date == in_days(30)
