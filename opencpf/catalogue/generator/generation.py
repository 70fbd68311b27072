"""The generation itself: organisations, certifications, offers and sessions, written in batches."""

import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from opencpf.catalogue.enums import Modality, OrganisationStatus
from opencpf.catalogue.generator.fields import FIELDS, _weighted_fields
from opencpf.catalogue.generator.texts import (
    ORGANISATION_DOMAINS,
    ORGANISATION_PREFIXES,
    _certification_code,
    _objectives,
    _prerequisites,
    _programme,
    _summary,
    _title_and_certification,
    make_siret,
)
from opencpf.catalogue.generator.writer import _next_id, _Writer
from opencpf.catalogue.models import Certification, Offer, Organisation, Session
from opencpf.places.selectors import places


@dataclass
class GenerationReport:
    organisations: int
    certifications: int
    offers: int
    sessions: int


def generate(
    *,
    offers: int,
    sessions: int,
    organisations: int | None = None,
    seed: int = 2026,
    today: datetime.date | None = None,
    batch_size: int = 10_000,
    progress=None,
) -> GenerationReport:
    """Add `offers` offers and `sessions` sessions (spread unevenly over the offers) from approved organisations."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    now = timezone.now()
    # Marked as changed a while ago: the index rebuild that follows need not catch up on these offers twice.
    changed_at = now - datetime.timedelta(hours=1)
    organisations = organisations or max(1, offers // 13)
    writer = _Writer()
    choices, weights = _weighted_fields()

    towns = [p for p in {p.key: p for p in places().all}.values() if p.population >= 3000]
    town_weights = [p.population**0.85 for p in towns]

    # Certifications: reuse existing codes, create the others with fresh synthetic numbers.
    certification_ids: dict[tuple[str, str], int] = {}
    existing = {(c.kind, c.title): c.id for c in Certification.objects.all()}
    used_codes = set(Certification.objects.values_list("code", flat=True))
    new_certifications = []
    next_certification = _next_id(Certification)
    code_rng = random.Random(seed + 1)
    for field in FIELDS:
        for kind, title, level in field.certifications:
            if (kind, title) in existing:
                certification_ids[(kind, title)] = existing[(kind, title)]
                continue
            if (kind, title) in certification_ids:
                continue
            code = _certification_code(kind, title, code_rng, used_codes)
            certification_ids[(kind, title)] = next_certification
            new_certifications.append((next_certification, code, kind, title, level, True))
            next_certification += 1

    with transaction.atomic():
        writer.write(Certification, ["id", "code", "kind", "title", "level", "is_active"], new_certifications)

        # Organisations: each has a main field and a home town.
        used_sirets = set(Organisation.objects.values_list("siret", flat=True))
        first_organisation = _next_id(Organisation)
        organisation_rows = []
        organisation_info = []
        for number in range(organisations):
            field, language = rng.choices(choices, weights)[0]
            town = rng.choices(towns, town_weights)[0]
            domain = rng.choice(ORGANISATION_DOMAINS[field.name])
            name = f"{rng.choice(ORGANISATION_PREFIXES)} {domain} {town.name.split(' ')[0]}"
            if rng.random() < 0.3:
                name += f" {rng.choice(('Formation', 'Pro', 'Conseil', 'Sud', 'Nord', 'Atlantique', 'Plus'))}"
            organisation_id = first_organisation + number
            organisation_rows.append(
                (
                    organisation_id,
                    name,
                    make_siret(rng, used_sirets),
                    f"{rng.randrange(11, 94):02d}{rng.randrange(0, 10)}{rng.randrange(10_000_000, 99_999_999):08d}",
                    f"QUALIOPI-{rng.randrange(100_000, 999_999)}",
                    today + datetime.timedelta(days=rng.randrange(90, 1000)),
                    OrganisationStatus.APPROVED,
                    now,
                    "",
                    "",
                    town.postal_code,
                    town.name,
                    "",
                    "",
                    "",
                    now,
                    now,
                )
            )
            organisation_info.append((organisation_id, field, language, town))
        writer.write(
            Organisation,
            [
                "id",
                "name",
                "siret",
                "activity_declaration_number",
                "qualiopi_certificate",
                "qualiopi_expires_on",
                "status",
                "status_changed_at",
                "description",
                "address",
                "postal_code",
                "city",
                "website",
                "email",
                "phone",
                "created_at",
                "updated_at",
            ],
            organisation_rows,
        )

        # Sessions per offer: uneven (some offers have none, some many), adding up to `sessions`.
        popularity = [rng.lognormvariate(0, 1) for _ in range(offers)]
        per_offer = [0] * offers
        for index in rng.choices(range(offers), popularity, k=sessions):
            per_offer[index] += 1

        first_offer = _next_id(Offer)
        next_session = _next_id(Session)
        offer_columns = [
            "id",
            "organisation_id",
            "certification_id",
            "external_number",
            "title",
            "summary",
            "objectives",
            "prerequisites",
            "programme",
            "price",
            "hours",
            "modality",
            "is_active",
            "rating_average",
            "rating_count",
            "rating_details",
            "created_at",
            "updated_at",
            "search_changed_at",
        ]
        session_columns = [
            "id",
            "offer_id",
            "start_date",
            "end_date",
            "is_remote",
            "postal_code",
            "city",
            "insee_code",
            "latitude",
            "longitude",
            "seats",
            "is_active",
            "created_at",
        ]
        written_sessions = 0
        for batch_start in range(0, offers, batch_size):
            offer_rows = []
            session_rows = []
            for number in range(batch_start, min(offers, batch_start + batch_size)):
                offer_id = first_offer + number
                # Most offers come from an organisation of their field.
                organisation_id, field, language, town = organisation_info[rng.randrange(organisations)]
                if rng.random() < 0.25:
                    field, language = rng.choices(choices, weights)[0]
                title, certification = _title_and_certification(rng, field, language)
                price_low, price_high = field.price
                price = Decimal(round(rng.triangular(price_low, price_high, price_low + (price_high - price_low) / 4)))
                if rng.random() < 0.3:
                    price -= Decimal("0.01")
                hours_low, hours_high = field.hours
                hours = Decimal(round(rng.triangular(hours_low, hours_high, hours_low + (hours_high - hours_low) / 5)))
                draw = rng.random()
                modality = (
                    Modality.REMOTE
                    if draw < field.remote_share * 0.6
                    else Modality.MIXED
                    if draw < field.remote_share
                    else Modality.ON_SITE
                )
                rated = rng.random() < 0.55
                rating = Decimal(str(round(min(5.0, max(1.0, rng.gauss(4.3, 0.45))), 2))) if rated else None
                offer_rows.append(
                    (
                        offer_id,
                        organisation_id,
                        certification_ids[certification[:2]],
                        f"GEN-{offer_id}",
                        title,
                        _summary(rng, field, language),
                        _objectives(rng, field, title),
                        _prerequisites(rng, field),
                        _programme(rng, field, hours),
                        price,
                        hours,
                        modality,
                        True,
                        rating,
                        int(rng.lognormvariate(2.5, 1.2)) + 1 if rated else 0,
                        "{}",
                        now,
                        now,
                        changed_at,
                    )
                )
                for _ in range(per_offer[number]):
                    start = today + datetime.timedelta(days=rng.randrange(3, 366))
                    days = max(0, min(365, math.ceil(float(hours) / 7 * 1.4)))
                    end = start + datetime.timedelta(days=days)
                    remote = modality == Modality.REMOTE or (modality == Modality.MIXED and rng.random() < 0.5)
                    if remote:
                        place_values = (True, "", "", "", None, None)
                    else:
                        where = town if rng.random() < 0.7 else rng.choices(towns, town_weights)[0]
                        place_values = (
                            False,
                            where.postal_code,
                            where.name,
                            where.insee,
                            where.latitude,
                            where.longitude,
                        )
                    session_rows.append(
                        (
                            next_session,
                            offer_id,
                            start,
                            end,
                            *place_values,
                            rng.choice((None, 8, 10, 12, 15, 20)),
                            True,
                            now,
                        )
                    )
                    next_session += 1
            writer.write(Offer, offer_columns, offer_rows)
            writer.write(Session, session_columns, session_rows)
            written_sessions += len(session_rows)
            if progress:
                progress(min(offers, batch_start + batch_size), written_sessions)
        writer.reset_sequences([Certification, Organisation, Offer, Session])
    writer.analyze([Certification, Organisation, Offer, Session])
    return GenerationReport(
        organisations=organisations,
        certifications=len(new_certifications),
        offers=offers,
        sessions=written_sessions,
    )
