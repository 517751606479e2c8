"""Packaged as twindesk.seeddata so that seed.toml ships inside the wheel."""
