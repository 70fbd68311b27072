"""One bucket enum for the whole project (`rights.enums.Bucket`): the funding lines stored on accepted files said
"topup" for a top-up, they now say "top_up" like the rights ledger."""

from django.db import migrations


def rename_kind(apps, schema_editor, old="topup", new="top_up"):
    Dossier = apps.get_model("dossiers", "Dossier")
    for dossier in Dossier.objects.exclude(funding=[]).only("pk", "funding").iterator():
        lines = dossier.funding or []
        if any(line.get("kind") == old for line in lines):
            for line in lines:
                if line.get("kind") == old:
                    line["kind"] = new
            Dossier.objects.filter(pk=dossier.pk).update(funding=lines)


def rename_back(apps, schema_editor):
    rename_kind(apps, schema_editor, old="top_up", new="topup")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0003_payment_rolled_back")]

    operations = [migrations.RunPython(rename_kind, rename_back)]
