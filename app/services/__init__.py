"""Services: what the command line, the window and the exports ask of a project.

They sit between the core (``claimdesk.core``: dataclasses, comparison, import, text
helpers) and the interfaces (``claimdesk.cli``, ``claimdesk.gui``, ``claimdesk.export``). They use
the project through the small interface :class:`claimdesk.core.ports.Repository`;
only :mod:`claimdesk.services.projects` knows which storage implements it.
"""
