"""manage.py bench_credit [--holders 1000000] [--year 2025] [--workers 2]

Generates holders with their declarations of one year in PostgreSQL (COPY), then times `credit_rights`
for that year twice: the first run credits everyone, the second must change nothing. Prints holders/s.
Meant for a throwaway database (`make bench-credit` starts one when DATABASE_URL is not set).

The population: ~10 % priority holders (priority amount and cap), 70 % with an account already holding rights
(some at or near the cap), 1 % closed accounts, employees full-time or part-time with absences (counted or
not), 12 % with two employers (some with different reference durations), 6 % self-employed.
"""

import datetime
import random
import time
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from opencpf.accounts.enums import ClosureReason, HolderStatus, Role
from opencpf.accounts.generated import generated_email, refuse_real_holders
from opencpf.accounts.models import Holder, User
from opencpf.accounts.nir import nir_key
from opencpf.rights import rules
from opencpf.rights.enums import AbsenceKind, MovementKind
from opencpf.rights.models import (
    EmploymentDeclaration,
    LedgerEntry,
    RightsAccount,
    SelfEmployedDeclaration,
)
from opencpf.utils.bulk_copy import CopyTable

BATCH = 100_000
SUBDOMAIN = "bench"


class Command(BaseCommand):
    help = "Benchmark the yearly crediting on PostgreSQL (generates data, then times credit_rights twice)."

    def add_arguments(self, parser):
        parser.add_argument("--holders", type=int, default=1_000_000)
        parser.add_argument("--year", type=int, default=timezone.localdate().year - 1)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--chunk-size", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        refuse_real_holders("bench_credit")
        if connection.vendor != "postgresql":
            raise CommandError("This benchmark needs PostgreSQL (set DATABASE_URL, or run `make bench-credit`).")
        count, year = options["holders"], options["year"]
        existing = User.objects.filter(email__iendswith=generated_email("", SUBDOMAIN)).count()
        if existing and existing != count:
            raise CommandError(f"The database already holds {existing} bench holders: use a fresh database.")
        if LedgerEntry.objects.filter(kind=MovementKind.YEARLY_CREDIT, year=year).exists():
            raise CommandError(f"Year {year} is already credited in this database: use a fresh database.")
        if not existing:
            started = time.perf_counter()
            self.generate(count, year, random.Random(options["seed"]))
            self.stdout.write(f"Generated {count:,} holders in {time.perf_counter() - started:.1f} s.")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {EmploymentDeclaration._meta.db_table} WHERE year = %s", [year])
            employments = cursor.fetchone()[0]
            cursor.execute(f"SELECT count(*) FROM {SelfEmployedDeclaration._meta.db_table} WHERE year = %s", [year])
            self_employed = cursor.fetchone()[0]
        self.stdout.write(
            f"{count:,} holders, {employments:,} employment and {self_employed:,} self-employed declarations "
            f"for {year}; {options['workers']} worker(s), chunks of {options['chunk_size']:,} ids."
        )

        arguments = ["--wet-run", "--year", str(year), "--workers", str(options["workers"]), "--chunk-size"]
        arguments.append(str(options["chunk_size"]))
        started = time.perf_counter()
        call_command("credit_rights", *arguments, verbosity=0, stdout=self.stdout)
        first = time.perf_counter() - started
        credited = LedgerEntry.objects.filter(kind=MovementKind.YEARLY_CREDIT, year=year).count()
        started = time.perf_counter()
        call_command("credit_rights", *arguments, verbosity=0, stdout=self.stdout)
        second = time.perf_counter() - started
        again = LedgerEntry.objects.filter(kind=MovementKind.YEARLY_CREDIT, year=year).count()
        self.check_invariants()
        self.check_sample(year, random.Random(options["seed"] + 1))
        self.stdout.write(
            self.style.SUCCESS(
                f"bench-credit: {count:,} holders, {credited:,} credited in {first:.1f} s "
                f"= {count / first:,.0f} holders/s; re-run {second:.1f} s, {again - credited} new entries "
                f"(target: 1,000,000 holders in <= 30 s)."
            )
        )

    def check_invariants(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {RightsAccount._meta.db_table} WHERE acquired > cap OR acquired < 0")
            broken = cursor.fetchone()[0]
        if broken:
            raise CommandError(f"{broken} accounts break an invariant.")

    def check_sample(self, year: int, generator: random.Random, size: int = 300) -> None:
        """A sample of batch credits recomputed one by one with the explained rule (`rules.yearly_credit`)."""
        from opencpf.rights.services.yearly_credit import declarations_for

        entries = list(
            LedgerEntry.objects.filter(kind=MovementKind.YEARLY_CREDIT, year=year)
            .order_by("?")
            .select_related("holder", "holder__rights_account")[:size]
        )
        for entry in entries:
            # Bench accounts start with an opening balance outside the ledger: the balance before the credit is
            # what the account holds now minus the credit.
            employments, activity = declarations_for(entry.holder_id, year)
            expected = rules.yearly_credit(
                year=year,
                employments=employments,
                self_employment=activity,
                low_qualified=entry.details["low_qualified"],
                disabled_worker=entry.details["disabled_worker"],
                balance=entry.holder.rights_account.acquired - entry.amount,
            ).credit
            if expected != entry.amount:
                raise CommandError(
                    f"holder {entry.holder_id}: batch credited {entry.amount}, the rule says {expected}"
                )
        self.stdout.write(f"{len(entries)} random credits recomputed with the explained rule: all equal.")

    # --- data generation ---------------------------------------------------------------------------------------

    def generate(self, count: int, year: int, generator: random.Random) -> None:
        users, holders = User._meta.db_table, Holder._meta.db_table
        now = timezone.now().isoformat()
        law = rules.YearParameters.for_year(year)  # amounts, caps and full time of the year generated
        accounts, employments = RightsAccount._meta.db_table, EmploymentDeclaration._meta.db_table
        self_employed = SelfEmployedDeclaration._meta.db_table
        user_table = CopyTable(
            User,
            ["id", "password", "email", "role", "language", "email_verified_at", "is_active", "date_joined"],
        )
        holder_table = CopyTable(
            Holder,
            [
                "id", "user_id", "nir", "last_name", "first_names", "birth_date", "phone", "address_line1",
                "postal_code", "city", "country", "status", "low_qualified", "disabled_worker", "closed_on",
                "closure_reason", "created_at", "updated_at",
            ],
        )  # fmt: skip
        account_table = CopyTable(RightsAccount, ["holder_id", "acquired", "top_ups", "cap", "updated_at"])
        absences = [f"{kind}_hours" for kind in AbsenceKind.values]
        employment_table = CopyTable(
            EmploymentDeclaration,
            ["holder_id", "employer_siret", "year", "hours_worked", "reference_hours", *absences, "source"],
        )
        self_table = CopyTable(SelfEmployedDeclaration, ["holder_id", "year", "months", "contribution_paid", "source"])
        tables = (user_table, holder_table, account_table, employment_table, self_table)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {users}")
            first_user = cursor.fetchone()[0] + 1
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {holders}")
            first_holder = cursor.fetchone()[0] + 1
            for start in range(0, count, BATCH):
                stop = min(count, start + BATCH)
                for n in range(start, stop):
                    user_id, holder_id = first_user + n, first_holder + n
                    born = datetime.date(1960 + n % 45, 1 + n % 12, 1 + n % 28)
                    body = f"{1 + n % 2}{born.year % 100:02d}{born.month:02d}75{(n // 1000) % 1000:03d}{n % 1000:03d}"
                    user_table.add(
                        (user_id, "!", generated_email(f"bench{n}", SUBDOMAIN), Role.HOLDER, "fr", now, "t", now)
                    )
                    roll = generator.random()
                    low, disabled = roll < 0.08, 0.08 <= roll < 0.1
                    closed = generator.random() < 0.01
                    holder_table.add(
                        (
                            holder_id, user_id, body + nir_key(body), "Bench", "Camille", born.isoformat(),
                            "+33600000000", "1 rue du Test", "75001", "Paris", "FR", HolderStatus.EMPLOYEE,
                            "t" if low else "f", "t" if disabled else "f", "2025-06-30" if closed else None,
                            ClosureReason.RETIREMENT if closed else "", now, now,
                        )
                    )  # fmt: skip
                    if generator.random() < 0.7:
                        cap = int(law.cap_for(low or disabled))
                        shape = generator.random()
                        if shape < 0.05:
                            acquired = Decimal(cap)
                        elif shape < 0.15:
                            acquired = Decimal(cap) - Decimal(generator.randint(1, 50_000)) / 100
                        else:
                            acquired = Decimal(generator.randint(0, cap * 100)) / 100
                        account_table.add((holder_id, acquired, 0, cap, now))
                    kind = generator.random()
                    if kind < 0.06:
                        paid = "t" if generator.random() < 0.9 else "f"
                        self_table.add((holder_id, year, generator.randint(1, 12), paid, "bench"))
                        if kind > 0.04:
                            continue
                    employers = 2 if generator.random() < 0.12 else 1
                    for index in range(employers):
                        if generator.random() < 0.65 and employers == 1:
                            hours = law.reference_hours
                        else:
                            hours = Decimal(generator.randint(0, int(law.reference_hours * 100))) / 100
                        reference = law.reference_hours if generator.random() < 0.9 else 1500
                        values = [0] * len(absences)
                        if generator.random() < 0.08:
                            values[generator.randrange(len(absences))] = generator.randint(1, 800)
                        siret = f"{(n * 7 + index) % 10**14:014d}"
                        employment_table.add((holder_id, siret, year, hours, reference, *values, "bench"))
                for table in tables:
                    table.flush(cursor)
                self.stdout.write(f"  generated {stop:,} holders")
            for table in (users, holders):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )
        with connection.cursor() as cursor:
            for table in (users, holders, accounts, employments, self_employed, LedgerEntry._meta.db_table):
                cursor.execute(f"ANALYZE {table}")
