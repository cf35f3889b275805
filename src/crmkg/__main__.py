"""``python -m crmkg``."""

from crmkg.cli import entry_point

entry_point()
