"""Imported by the batch pool's fork server only (`set_forkserver_preload`): the fork server
dies with the batch process that started it (objection/lifeline.py)."""

from objection.lifeline import die_with_parent

die_with_parent()
