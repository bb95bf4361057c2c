"""Printed outputs: HTML from layouts (``html``), PDF with WeasyPrint (``pdf``),
saddle-stitch imposition (``impose``) and the booklet itself (``booklet``).

Nothing here is imported by lookups: WeasyPrint, Jinja2 and pikepdf are
imported inside the functions that render.
"""
