"""Demo catalogue of `make run`: the demo organisation (of@opencpf.test is a member) with offers in Paris, Lyon and
remote, a few thousand synthetic offers around it, and the search index. Idempotent; never run on a real instance."""

import datetime
import time
from decimal import Decimal

from django.utils import timezone

from opencpf.accounts.models import User
from opencpf.catalogue import generator, search_index
from opencpf.catalogue.enums import CertificationKind, Modality, OrganisationRole, OrganisationStatus
from opencpf.catalogue.models import Certification, Offer, Organisation, Session
from opencpf.catalogue.services.staff import member_add
from opencpf.places.selectors import place_for

DEMO_SIRET = "73282932000074"
DEMO_ORG_EMAIL = "of@opencpf.test"
SYNTHETIC_OFFERS = 3_000
SYNTHETIC_SESSIONS = 12_000

DEMO_OFFERS = [
    {
        "external_number": "DEMO-ANGLAIS",
        "title": "Anglais professionnel — préparation au TOEIC",
        "certification": ("RS5464", CertificationKind.RS, "Test TOEIC Listening and Reading", None),
        "summary": "Progressez en anglais pour le travail et passez le TOEIC dans nos locaux ou en ligne.",
        "objectives": "- Comprendre et participer à une réunion en anglais\n- Rédiger des courriels professionnels",
        "prerequisites": "Niveau A2 (test de positionnement offert).",
        "programme": "Module 1 — Se présenter\nModule 2 — Réunions et appels\nModule 3 — Entraînement au TOEIC",
        "price": Decimal("1290.00"),
        "hours": Decimal("40"),
        "modality": Modality.MIXED,
        "rating": (Decimal("4.60"), 37),
        "sessions": [("75011", "Paris", 25), ("69003", "Lyon", 40), (None, None, 18), ("75011", "Paris", 75)],
    },
    {
        "external_number": "DEMO-DEVWEB",
        "title": "Développeur web et web mobile",
        "certification": ("RNCP37674", CertificationKind.RNCP, "Développeur web et web mobile", 5),
        "summary": "Le titre professionnel de développeuse ou développeur web, en 6 mois avec un stage en entreprise.",
        "objectives": "- Développer l'interface d'une application web\n- Développer la partie serveur",
        "prerequisites": "Logique et goût pour le code ; entretien de motivation.",
        "programme": "HTML, CSS, JavaScript\nPHP et bases de données\nProjet en équipe\nStage de 2 mois",
        "price": Decimal("7490.00"),
        "hours": Decimal("840"),
        "modality": Modality.ON_SITE,
        "rating": (Decimal("4.30"), 12),
        "sessions": [("69003", "Lyon", 35), ("75011", "Paris", 60)],
    },
    {
        "external_number": "DEMO-EXCEL",
        "title": "Excel — perfectionnement et tableaux croisés dynamiques",
        "certification": ("RS5252", CertificationKind.RS, "TOSA Excel", None),
        "summary": "Gagnez du temps avec Excel : formules, tableaux croisés, graphiques. Certification TOSA incluse.",
        "objectives": "- Construire des tableaux croisés dynamiques\n- Automatiser des calculs",
        "prerequisites": "Connaître les bases d'Excel.",
        "programme": "Formules avancées\nTableaux croisés dynamiques\nGraphiques\nPassage du TOSA",
        "price": Decimal("690.00"),
        "hours": Decimal("14"),
        "modality": Modality.REMOTE,
        "rating": (None, 0),
        "sessions": [(None, None, 14), (None, None, 45)],
    },
    {
        "external_number": "DEMO-BILAN",
        "title": "Bilan de compétences",
        "certification": ("BILAN-COMPETENCES", CertificationKind.SKILLS_ASSESSMENT, "Bilan de compétences", None),
        "summary": "Faites le point sur vos compétences et construisez votre projet avec une consultante.",
        "objectives": "- Identifier vos compétences et motivations\n- Construire un plan d'action",
        "prerequisites": "Aucun prérequis.",
        "programme": "Phase préliminaire\nPhase d'investigation\nPhase de conclusion",
        "price": Decimal("1800.00"),
        "hours": Decimal("24"),
        "modality": Modality.MIXED,
        "rating": (Decimal("4.80"), 54),
        "sessions": [("75011", "Paris", 20), ("69003", "Lyon", 30)],
    },
]


def _organisation(today: datetime.date) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        siret=DEMO_SIRET,
        defaults={
            "name": "Formations Demo",
            "activity_declaration_number": "11755555575",
            "qualiopi_certificate": "QUALIOPI-DEMO-2026",
            "status": OrganisationStatus.APPROVED,
            "description": "Organisme de démonstration d'OpenCPF : langues, numérique et accompagnement.",
            "address": "12 rue de la Roquette",
            "postal_code": "75011",
            "city": "Paris 11e Arrondissement",
            "website": "https://formations-demo.example.fr",
            "email": DEMO_ORG_EMAIL,
        },
    )
    # Keep it approved with a valid certificate whenever the demo is loaded again.
    organisation.status = OrganisationStatus.APPROVED
    organisation.qualiopi_expires_on = max(
        organisation.qualiopi_expires_on or today, today + datetime.timedelta(days=700)
    )
    organisation.save()
    return organisation


def _offer(organisation: Organisation, data: dict, today: datetime.date) -> Offer:
    code, kind, title, level = data["certification"]
    certification, _created = Certification.objects.get_or_create(
        code=code, defaults={"kind": kind, "title": title, "level": level}
    )
    average, count = data["rating"]
    offer, _created = Offer.objects.update_or_create(
        organisation=organisation,
        external_number=data["external_number"],
        defaults={
            "certification": certification,
            "title": data["title"],
            "summary": data["summary"],
            "objectives": data["objectives"],
            "prerequisites": data["prerequisites"],
            "programme": data["programme"],
            "price": data["price"],
            "hours": data["hours"],
            "modality": data["modality"],
            "rating_average": average,
            "rating_count": count,
            "rating_details": {"welcome": "4.70", "content": "4.50", "trainers": "4.80", "resources": "4.40"}
            if count
            else {},
            "is_active": True,
        },
    )
    for postal_code, city, days in data["sessions"]:
        start = today + datetime.timedelta(days=days)
        upcoming = Session.objects.filter(offer=offer, start_date__gte=today, is_active=True)
        if postal_code is None:
            if (
                upcoming.filter(is_remote=True, start_date=start).exists()
                or upcoming.filter(is_remote=True).count() >= 2
            ):
                continue
            Session.objects.create(
                offer=offer, start_date=start, end_date=start + datetime.timedelta(days=10), is_remote=True
            )
            continue
        place = place_for(postal_code, city)
        if upcoming.filter(insee_code=place.insee).exists():
            continue
        Session.objects.create(
            offer=offer,
            start_date=start,
            end_date=start + datetime.timedelta(days=10),
            postal_code=place.postal_code,
            city=place.name,
            insee_code=place.insee,
            latitude=place.latitude,
            longitude=place.longitude,
            seats=12,
        )
    return offer


def load(stdout) -> list[str]:
    today = timezone.localdate()
    organisation = _organisation(today)
    staff = User.objects.filter(email=DEMO_ORG_EMAIL).first()
    if staff is not None:
        # The demo's staff is the access manager with every role (DESIGN §4).
        member_add(organisation=organisation, user=staff, roles=OrganisationRole.values)
    for data in DEMO_OFFERS:
        _offer(organisation, data, today)

    started = time.monotonic()
    others = Offer.objects.exclude(organisation=organisation).count()
    if others < SYNTHETIC_OFFERS:
        missing = SYNTHETIC_OFFERS - others
        generator.generate(
            offers=missing, sessions=missing * SYNTHETIC_SESSIONS // SYNTHETIC_OFFERS, seed=2026 + others
        )
    report = search_index.rebuild()
    stdout.write(
        f"Catalogue: {Offer.objects.count()} offers, ready and indexed in {time.monotonic() - started:.1f} s "
        f"({report.documents} searchable offers)."
    )
    return [f"catalogue     {organisation.name} (SIRET {organisation.siret}), staff {DEMO_ORG_EMAIL}"]
