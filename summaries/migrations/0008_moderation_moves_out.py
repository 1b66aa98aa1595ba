"""Cases, flags and the moderation log move to the moderation app. They leave the
summaries app's state only: their tables stay, and moderation's migration 0001 takes
them over, renaming them and their content types."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("summaries", "0007_public_listing_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Flag"),
                migrations.DeleteModel(name="ModerationLog"),
                migrations.DeleteModel(name="Case"),
            ],
        ),
    ]
