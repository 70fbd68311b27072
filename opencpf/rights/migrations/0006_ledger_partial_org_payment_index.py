"""The ledger's link to an organisation payment is indexed only where set: the yearly credits (millions of rows,
none of them a payment) no longer fill a full index with NULLs on every insert."""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The same re-creation as after 0004's table rebuild.
sqlite_append_only_again = importlib.import_module(
    "opencpf.rights.migrations.0004_ledger_payments"
).sqlite_append_only_again


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_merge_20261127_1354"),
        ("dossiers", "0008_fraud_moves_and_freeze_trigger"),
        ("rights", "0005_topup_return_and_file"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="ledgerentry",
            name="organisation_payment",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ledger_entries",
                to="dossiers.organisationpayment",
                verbose_name="organisation payment",
            ),
        ),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(
                condition=models.Q(("organisation_payment__isnull", False)),
                fields=["organisation_payment"],
                name="ledger_org_payment_idx",
            ),
        ),
        # SQLite rebuilds the table to alter a column, and its triggers go with the old table.
        migrations.RunPython(sqlite_append_only_again, migrations.RunPython.noop),
    ]
