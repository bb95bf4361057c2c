"""Package discovery (everything else is in pyproject.toml).

Every folder under ``calais_guide/`` ships, Python or not (``render``,
``editions``, ``data``, ``locale/*/LC_MESSAGES``...), and the database,
layouts and fonts, which live at the top of the repository where volunteers
edit them, are mapped into the package with their sub-folders: an installed
calais-guide works anywhere. Found, not listed: a new folder cannot be
forgotten (tests/test_package.py builds the wheel and checks).
"""

from setuptools import find_namespace_packages, setup

MAPPED = {"entries": "entries", "layouts": "layouts", "fonts": "fonts"}
"""Package folder name under ``calais_guide`` -> folder at the top of the repository."""

EXCLUDE = ["*__pycache__*"]

packages = find_namespace_packages(include=["calais_guide", "calais_guide.*"], exclude=EXCLUDE)
package_dir = {"calais_guide": "calais_guide"}
for name, folder in MAPPED.items():
    package_dir[f"calais_guide.{name}"] = folder
    packages.append(f"calais_guide.{name}")
    packages += [
        f"calais_guide.{name}.{sub}" for sub in find_namespace_packages(folder, exclude=EXCLUDE)
    ]

setup(packages=packages, package_dir=package_dir)
