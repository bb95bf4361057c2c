"""calais-guide: the directory of associations helping exiled people in Calais,
as validated data, printed booklets, pocket cards and quick lookups, offline."""

__version__ = "0.1.0"
