"""The version of crmkg: one place, read by the package, the CLI, the API and the build."""

__version__ = "0.1.0"
