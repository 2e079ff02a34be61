"""The project file's schema: ``migrations.py``, shipped as the subpackage ``db`` of the Claimdesk package.

``db/fixtures`` (a project file of each released schema, for the tests) is not shipped.
"""
