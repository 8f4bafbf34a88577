"""accounts takes over the access log's model from core (issue 19, ADR 21), keeping its table
`core_accessrecord`, its index and everything the database holds on it. State only."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_mfa_enrolment_codes_recovery_codes_break_glass_review"),
        ("children", "0002_initial"),
        ("core", "0006_access_record_moves_to_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AccessRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ("role", models.CharField(max_length=40)),
                        ("action", models.CharField(help_text="e.g. view-child, list-children", max_length=40)),
                        ("path", models.CharField(max_length=500)),
                        ("detail", models.CharField(blank=True, max_length=500)),
                        ("child", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                                    related_name="+", to="children.child")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                   to=settings.AUTH_USER_MODEL)),
                        ("local_area", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                                         related_name="+", to="core.localarea")),
                    ],
                    options={
                        "db_table": "core_accessrecord",
                        "ordering": ["-at"],
                        "indexes": [models.Index(fields=["child", "at"], name="core_access_child_i_fae0c9_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
