"""manage.py bench_deadlines [--files 1000000] [--overdue 0.5] [--unentered 100]

Generates open training files in PostgreSQL (COPY), then times the periodic deadline task (`dossiers_lapse`) over
them, twice: the first run lapses every overdue file, the second must change nothing. Prints files/s.
Meant for a throwaway database (`make bench-deadlines` starts one when DATABASE_URL is not set).

The population: 200 000 holders with 5 open files each on 1 000 offers of one organisation; 40 % of the files
wait for the organisation's answer, 30 % for the holder's acceptance, 20 % are confirmed and 10 % in training.
A share (`--overdue`) of the requests and proposals is past its deadline, spread over the last days; confirmed
files are not (their entry deadline is ahead), except `--unentered` ones made through the real services with
rights engaged and a card payment, whose lapse settles the money file by file.
"""

import datetime
import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from opencpf.accounts.enums import HolderStatus, IdentityLevel, IdentitySource, Role
from opencpf.accounts.generated import generated_email, refuse_real_holders
from opencpf.accounts.models import Holder, User
from opencpf.accounts.nir import nir_key
from opencpf.catalogue.enums import CertificationKind, OrganisationRole, OrganisationStatus
from opencpf.catalogue.models import Certification, Offer, Organisation, Session
from opencpf.catalogue.services.staff import member_add
from opencpf.dossiers import rules, services
from opencpf.dossiers.deadlines import dossiers_lapse
from opencpf.dossiers.enums import Action, DossierState
from opencpf.dossiers.models import Dossier, DossierEvent
from opencpf.dossiers.params import dossier_parameters, flat_contribution
from opencpf.dossiers.payments import Card
from opencpf.places.selectors import place_for
from opencpf.rights.services.account import rights_correct
from opencpf.utils.bulk_copy import CopyTable

SUBDOMAIN = "bench-deadlines"
FILES_PER_HOLDER = 5
OFFERS = 1_000
BATCH = 100_000
OPEN_STATES = (DossierState.SUBMITTED, DossierState.PROPOSED, DossierState.CONFIRMED, DossierState.IN_TRAINING)
CARD = Card(number="4242424242424242", expiry_month=12, expiry_year=2099, cvc="123")


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=rules.PARIS)


class Command(BaseCommand):
    help = "Benchmark the deadline task on PostgreSQL (generates open files, then times the lapse task twice)."

    def add_arguments(self, parser):
        parser.add_argument("--files", type=int, default=1_000_000)
        parser.add_argument("--overdue", type=float, default=0.5, help="Share of requests and proposals overdue.")
        parser.add_argument("--unentered", type=int, default=100, help="Confirmed files with money, overdue.")
        parser.add_argument("--workers", type=int, default=2, help="Database connections lapsing in parallel.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        refuse_real_holders("bench_deadlines")
        if connection.vendor != "postgresql":
            raise CommandError("This benchmark needs PostgreSQL (set DATABASE_URL, or run `make bench-deadlines`).")
        if Dossier.objects.exists():
            raise CommandError("The database already holds training files: use a fresh database.")
        now = timezone.now()
        today = rules.paris_date(now)
        generator = random.Random(options["seed"])
        started = time.perf_counter()
        organisation, staff, sessions = self.catalogue(today)
        self.generate(options["files"], options["overdue"], organisation, sessions, today, now, generator)
        self.unentered(options["unentered"], organisation, staff, today)
        with connection.cursor() as cursor:
            for model in (Dossier, DossierEvent, Holder, User):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        self.stdout.write(f"Generated in {time.perf_counter() - started:.1f} s.")

        open_files = Dossier.objects.filter(state__in=OPEN_STATES).count()
        dry = dossiers_lapse(now=now, dry_run=True)
        self.stdout.write(f"{open_files:,} open files; overdue today ({today}): {dry.lapsed}")

        started = time.perf_counter()
        first = dossiers_lapse(now=now, dry_run=False, workers=options["workers"])
        elapsed = time.perf_counter() - started
        started = time.perf_counter()
        second = dossiers_lapse(now=now, dry_run=False, workers=options["workers"])
        again = time.perf_counter() - started
        self.verify(first, dry, now)
        phases = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in first.seconds.items())
        self.stdout.write(f"Phases of the first run: {phases}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"bench-deadlines: {open_files:,} open files, {first.total:,} lapsed ({first.lapsed}) in "
                f"{elapsed:.2f} s = {open_files / elapsed:,.0f} open files/s; re-run {again:.2f} s, "
                f"{second.total} lapsed; {options['workers']} worker(s) (target: 1,000,000 open files in <= 10 s)."
            )
        )

    def verify(self, report, dry, now) -> None:
        if report.lapsed != dry.lapsed:
            raise CommandError(f"lapsed {report.lapsed}, the dry run counted {dry.lapsed}")
        events = DossierEvent.objects.filter(action=Action.LAPSE, at=now).count()
        if events != report.total:
            raise CommandError(f"{events} lapse events for {report.total} lapsed files")
        left = dossiers_lapse(now=now, dry_run=True)
        if left.total:
            raise CommandError(f"still overdue after the run: {left.lapsed}")
        self.stdout.write(f"Checked: one event per lapsed file ({events:,}), nothing overdue left.")

    # --- data --------------------------------------------------------------------------------------------------

    def catalogue(self, today):
        organisation = Organisation.objects.create(
            name="Organisme du banc d'essai",
            siret="73282932000033",
            status=OrganisationStatus.APPROVED,
            qualiopi_certificate="QUALIOPI-BENCH",
            qualiopi_expires_on=today + datetime.timedelta(days=700),
        )
        staff = User.objects.create_user(
            email=generated_email("staff", SUBDOMAIN), password=None, role=Role.ORGANISATION_STAFF
        )
        member_add(organisation=organisation, user=staff, roles=OrganisationRole.values)
        certification = Certification.objects.create(code="RNCP99999", kind=CertificationKind.RNCP, title="Bench")
        place = place_for("75011", "")
        offers = Offer.objects.bulk_create(
            Offer(
                organisation=organisation,
                certification=certification,
                title=f"Formation {n}",
                price=Decimal("1000.00"),
                hours=Decimal("35"),
            )
            for n in range(OFFERS)
        )
        start = today + datetime.timedelta(days=60)
        sessions = Session.objects.bulk_create(
            Session(
                offer=offer,
                start_date=start,
                end_date=start + datetime.timedelta(days=4),
                postal_code=place.postal_code,
                city=place.name,
                insee_code=place.insee,
                latitude=place.latitude,
                longitude=place.longitude,
            )
            for offer in offers
        )
        return organisation, staff, sessions

    def generate(self, count, overdue, organisation, sessions, today, now, generator) -> None:
        users, holders = User._meta.db_table, Holder._meta.db_table
        stamp = now.isoformat()
        holders_count = -(-count // FILES_PER_HOLDER)
        start, end = sessions[0].start_date, sessions[0].end_date
        params = dossier_parameters(today)
        entry_before = rules.declare_entry_before(start, params)
        exit_before = rules.declare_exit_before(end, params)
        free_until = rules.free_cancellation_until(start, params)
        contribution = flat_contribution(today)  # paid by card; rights fund the rest of the 1 000.00 price
        funded = Decimal("1000.00") - contribution
        with transaction.atomic(), connection.cursor() as cursor:
            # Files are born `submitted` (a trigger says so): COPY them in their state with triggers off.
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {users}")
            first_user = cursor.fetchone()[0] + 1
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {holders}")
            first_holder = cursor.fetchone()[0] + 1
            columns = (
                "holder_id, organisation_id, offer_id, session_id, offer_title, offer_price, offer_hours, "
                "certification_code, state, submitted_at, respond_before, proposed_at, proposal_price, "
                "proposal_start, proposal_end, proposal_message, accept_before, confirmed_at, contribution, "
                "contribution_due, "
                "contribution_exemption, funded_amount, card_amount, shortfall, funding, free_cancellation_until, "
                "declare_entry_before, declare_exit_before, entered_at, force_majeure, ending, refusal_reason, "
                "cancel_reason, created_at, updated_at"
            )
            user_table = CopyTable(
                User, ["id", "password", "email", "role", "language", "email_verified_at", "is_active", "date_joined"]
            )
            holder_table = CopyTable(
                Holder,
                [
                    "id", "user_id", "nir", "last_name", "first_names", "birth_date", "phone", "address_line1",
                    "postal_code", "city", "country", "status", "created_at", "updated_at",
                ],
            )  # fmt: skip
            for chunk in range(0, holders_count, BATCH):
                for n in range(chunk, min(holders_count, chunk + BATCH)):
                    user_id, holder_id = first_user + n, first_holder + n
                    body = f"1{80 + n % 20:02d}{1 + n % 12:02d}75{(n // 1000) % 1000:03d}{n % 1000:03d}"
                    email = generated_email(f"bench{n}", SUBDOMAIN)
                    user_table.add((user_id, "!", email, Role.HOLDER, "fr", stamp, "t", stamp))
                    holder_table.add(
                        (
                            holder_id, user_id, body + nir_key(body), "Bench", "Camille", "1985-01-01",
                            "+33600000000", "1 rue du Test", "75001", "Paris", "FR", HolderStatus.EMPLOYEE, stamp,
                            stamp,
                        )
                    )  # fmt: skip
                user_table.flush(cursor)
                holder_table.flush(cursor)
            dossier_table = CopyTable(Dossier, [column.strip() for column in columns.split(",")])
            for chunk in range(0, count, BATCH):
                for n in range(chunk, min(count, chunk + BATCH)):
                    holder_id = first_holder + n // FILES_PER_HOLDER
                    session = sessions[n % len(sessions)]
                    roll = generator.random()
                    late = generator.random() < overdue
                    shift = datetime.timedelta(days=generator.randint(1, 5) if late else -generator.randint(0, 3))
                    deadline = today - shift
                    if roll < 0.4:
                        state, respond, accept = DossierState.SUBMITTED, deadline, None
                    else:
                        state, respond, accept = DossierState.PROPOSED, today - datetime.timedelta(days=8), deadline
                        if roll >= 0.7:
                            state = DossierState.CONFIRMED if roll < 0.9 else DossierState.IN_TRAINING
                            accept = today
                    proposed = state != DossierState.SUBMITTED
                    engaged = state in (DossierState.CONFIRMED, DossierState.IN_TRAINING)
                    proposal = (
                        [stamp, "1000.00", start.isoformat(), end.isoformat(), "", accept.isoformat()]
                        if proposed
                        else [None, None, None, None, "", None]
                    )
                    confirmed = (
                        [stamp, f"{contribution}", f"{contribution}", "", f"{funded}", f"{contribution}", "0.00", "[]"]
                        + [free_until.isoformat()]
                        + [entry_before.isoformat(), exit_before.isoformat()]
                        if engaged
                        else [None, None, None, "", None, None, None, "[]", None, None, None]
                    )
                    entered = [stamp if state == DossierState.IN_TRAINING else None]
                    dossier_table.add(
                        [
                            str(holder_id),
                            str(organisation.pk),
                            str(session.offer_id),
                            str(session.pk),
                            "Formation",
                            "1000.00",
                            "35.0",
                            "RNCP99999",
                            state,
                            stamp,
                            respond.isoformat(),
                            *proposal,
                            *confirmed,
                            *entered,
                            "f",
                            "",
                            "",
                            "",
                            stamp,
                            stamp,
                        ]
                    )
                dossier_table.flush(cursor)
                self.stdout.write(f"  generated {min(count, chunk + BATCH):,} files")
            for table in (users, holders):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )

    def unentered(self, count, organisation, staff, today) -> None:
        """Confirmed files made through the services, with rights engaged and a card payment, whose entry was
        never declared: the task settles each one (everything restored)."""
        if not count:
            return
        agent = User.objects.create_user(email=generated_email("agent", SUBDOMAIN), password=None, role=Role.AGENT)
        start, end = today - datetime.timedelta(days=10), today - datetime.timedelta(days=6)
        asked = _at(start - datetime.timedelta(days=25))
        offer = Offer.objects.filter(organisation=organisation).first()
        place = place_for("75011", "")
        session = Session.objects.create(
            offer=offer,
            start_date=start,
            end_date=end,
            postal_code=place.postal_code,
            city=place.name,
            insee_code=place.insee,
            latitude=place.latitude,
            longitude=place.longitude,
        )
        for n in range(count):
            body = f"2{70 + n % 20:02d}{1 + n % 12:02d}69{n // 1000:03d}{n % 1000:03d}"
            user = User.objects.create_user(
                email=generated_email(f"engaged{n}", SUBDOMAIN),
                password=None,
                role=Role.HOLDER,
                email_verified_at=timezone.now(),  # registering needs a confirmed email, accepting a verified identity
            )
            holder = Holder.objects.create(
                user=user,
                nir=body + nir_key(body),
                last_name="Bench",
                first_names="Dominique",
                birth_date=datetime.date(1975, 1, 1),
                phone="+33600000000",
                address_line1="1 rue du Test",
                postal_code="69001",
                city="Lyon",
                status="employee",
                identity_level=IdentityLevel.VERIFIED,
                identity_source=IdentitySource.DEMO,
                identity_verified_at=timezone.now(),
            )
            rights_correct(agent=agent, holder=holder, amount=Decimal("2000.00"), reason="bench")
            dossier = services.dossier_register(user=user, session_id=session.pk, now=asked)
            services.dossier_propose(
                dossier_id=dossier.pk, user=staff, price="1000.00", start=start, end=end, now=asked
            )
            services.dossier_accept(dossier_id=dossier.pk, user=user, card=CARD, now=asked)
        self.stdout.write(f"  {count} confirmed files with money engaged, entry never declared")
