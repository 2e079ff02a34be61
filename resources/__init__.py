"""Claimdesk's shipped data files (patterns, templates, samples, icons, the trained model).

Installed, this folder is the subpackage ``resources`` of the Claimdesk package, and the app finds
it with ``importlib.resources`` (see ``paths.py``), never by a path relative to a checkout.
"""
