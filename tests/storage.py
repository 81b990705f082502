"""A storage for uploads that is not a file system: files live in a dict, there is no local path (Storage.path
raises) and no public address (url raises), like a private S3 bucket. Tests that run the upload and download
flows on it prove that OS2hub reaches uploads through Django's storage API only, so any backend works."""

from django.core.files.base import ContentFile
from django.core.files.storage import Storage


class MemoryStorage(Storage):
    def __init__(self):
        self.files: dict[str, bytes] = {}

    def _save(self, name, content):
        self.files[name] = b"".join(content.chunks())
        return name

    def _open(self, name, mode="rb"):
        if name not in self.files:
            raise FileNotFoundError(name)
        return ContentFile(self.files[name], name=name)

    def exists(self, name):
        return name in self.files

    def delete(self, name):
        self.files.pop(name, None)

    def size(self, name):
        return len(self.files[name])

    def url(self, name):
        # Uploads are private: OS2hub serves them through its own views, which check who may see them.
        raise NotImplementedError("uploads have no public address; serve them through a view")
