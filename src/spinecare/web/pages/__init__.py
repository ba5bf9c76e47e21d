"""Server-rendered pages (Jinja2). One module per area, each exposing ``router``.

The app factory includes the ``router`` of every module here whose name does not
start with an underscore; the underscored modules are shared helpers.
"""
