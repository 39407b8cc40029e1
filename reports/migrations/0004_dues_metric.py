"""The dues figure (reports.metrics: dues.totals.year_summary) under 自律规范好, in both
wordings of the 四好 criteria."""

from django.db import migrations, models

TEXT = "按标准收缴会费，收支公开"
CODES = {"2017": "4.4", "current": "4.3"}


def add(apps, schema_editor):
    Heading = apps.get_model("reports", "Heading")
    Indicator = apps.get_model("reports", "Indicator")
    for heading in Heading.objects.filter(title="自律规范好", framework__code__in=CODES):
        if heading.indicators.filter(metric="dues").exists():
            continue
        last = heading.indicators.order_by("-order").first()
        Indicator.objects.create(
            heading=heading,
            code=CODES[heading.framework.code],
            text=TEXT,
            metric="dues",
            order=(last.order if last else 0) + 1,
        )


def remove(apps, schema_editor):
    apps.get_model("reports", "Indicator").objects.filter(metric="dues").delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_backoffice_full_marks")]

    operations = [
        migrations.AlterField(
            model_name="indicator",
            name="metric",
            field=models.CharField(
                choices=[
                    ("leadership_meetings", "Leadership meetings held"),
                    ("sharing_meetings", "Quarterly sharing meetings held"),
                    ("visits", "Visits done against required"),
                    ("problems", "Problems solved and on time"),
                    ("proposals", "Proposals and motions submitted"),
                    ("party_events", "Party-building classes and attendance"),
                    ("training_events", "Trainings and attendance"),
                    ("policy_events", "Policy briefings and attendance"),
                    ("all_events", "All events and attendance"),
                    ("new_members", "New member companies"),
                    ("development_group", "New members from the development group"),
                    ("charity", "Charity received"),
                    ("rules", "Rules published"),
                    ("honors", "Honors received"),
                    ("dues", "Membership dues collected against billed"),
                ],
                max_length=30,
                verbose_name="computed figure",
            ),
        ),
        migrations.RunPython(add, remove),
    ]
