"""Uploaded files are kept only up to UPLOAD_MAX_BYTES, however much the client sends."""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Django's handler of uploads too large to keep in memory, which stops storing a file
    once it passes the limit, and deletes what it stored.

    An upload over the limit arrives as an empty file that knows the size that was sent, so the
    form can say how large it was; the data past the limit is read off the connection and
    dropped. (A proxy in front should cap request bodies too: Django reads the whole request.)
    """

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.over_limit = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            if not self.over_limit:
                self.file.close()  # a temporary file: closing deletes it
            self.over_limit = True
            return None
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> UploadedFile:
        if not self.over_limit:
            return super().file_complete(file_size)
        return UploadedFile(
            BytesIO(), name=self.file_name, content_type=self.content_type, size=file_size
        )
