"""The postguard REST service: a thin FastAPI layer over the library (``postguard serve``).

Imported lazily: ``postguard.cli`` loads ``postguard.api.cli`` on every run, and that must not
pull in FastAPI or the models.
"""


def create_app(*args, **kwargs):  # noqa: ANN002, ANN003 - forwards to the factory
    from postguard.api.app import create_app as factory

    return factory(*args, **kwargs)


__all__ = ["create_app"]
