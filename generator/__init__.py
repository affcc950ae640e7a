"""sitegen: a static site generator for the reports and notices of public bodies."""

__version__ = "0.1.0"
