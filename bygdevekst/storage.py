"""Static files in production: WhiteNoise's compressed files with hashed names."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Works out each static file's URL once per process.

    Every page asks for the same few URLs, and the manifest they come from does not change
    while the app runs; only collectstatic rewrites it, and then the memory is cleared.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool], str] = {}

    def url(self, name: str, force: bool = False) -> str:
        try:
            return self._urls[name, force]
        except KeyError:
            url = self._urls[name, force] = super().url(name, force)
            return url

    def post_process(self, *args, **kwargs):
        self._urls.clear()
        yield from super().post_process(*args, **kwargs)
        self._urls.clear()
