"""Services: what the command line, the window and the exports ask of a project.

They sit between the core (``app.core``: dataclasses, comparison, import, text
helpers) and the interfaces (``app.cli``, ``app.gui``, ``app.export``). They use
the project through the small interface :class:`app.core.ports.Repository`;
only :mod:`app.services.projects` knows which storage implements it.
"""
