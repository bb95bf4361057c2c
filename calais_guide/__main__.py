"""``python -m calais_guide``: the same as the ``calais-guide`` command."""

from .quick import main

main()
