"""Compile the translation catalogs (locale/*/LC_MESSAGES/*.po) to the .mo files Django reads.

Django's own `compilemessages` needs GNU gettext's msgfmt, which a fresh machine with only
Python lacks; polib compiles the same files in pure Python, so the run and test commands
(and the image) always serve the Korean pages.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po file to its .mo (pure Python, polib)."

    def handle(self, *args, **options):
        compiled = 0
        for root in settings.LOCALE_PATHS:
            for po in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
                try:
                    catalog = polib.pofile(str(po))
                except (OSError, ValueError) as error:
                    raise CommandError(f"{po}: {error}") from error
                catalog.save_as_mofile(str(po.with_suffix(".mo")))
                compiled += 1
        if options["verbosity"] > 0:
            self.stdout.write(f"compiled {compiled} catalog(s)")
