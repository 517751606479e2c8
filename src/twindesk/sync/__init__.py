"""Sync: change sets exchanged through a hub, merged field by field.

Every copy works on its own SQLite file; `twindesk sync` pulls the change
sets this copy has not applied, merges them (merge.py), and pushes its own.
A hub is a folder (folder_hub.py) or a PostgreSQL database (pg_hub.py);
both hold immutable change sets with global ids (replica, counter). What the
merge cannot settle alone waits in the conflict queue (conflicts.py).
"""
