"""Serve a built site on 127.0.0.1 the way its real host would.

Like GitHub Pages: the site lives under the path of `site_url` (/deep-init/), a
missing path gets 404.html with status 404, a directory without its slash is
redirected, and (when ``compress`` is on) text is sent gzip- or
brotli-compressed to a browser that accepts it. Used by tests/browser/test_browser.py
(uncompressed) and benchmarks/pages.py (compressed, to count real bytes).
"""

from __future__ import annotations

import gzip
import json
import mimetypes
import shutil
import subprocess
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mkdocs.utils import yaml as mkdocs_yaml
from pages import PROJECT

TYPES = {".svg": "image/svg+xml", ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
         ".woff2": "font/woff2", ".ipynb": "application/x-ipynb+json", ".xml": "application/xml", ".gz": "application/gzip"}
COMPRESSIBLE = ("text/", "application/json", "application/xml", "image/svg+xml", "application/x-ipynb+json")


def site_url(project: Path = PROJECT) -> str:
    """site_url, read as MkDocs reads it (its !ENV tags take SITE_URL from this environment,
    the one the session's builds ran in)."""
    return mkdocs_yaml.yaml_load((project / "mkdocs.yml").read_text(encoding="utf-8")).get("site_url") or "/"


def site_prefix(project: Path = PROJECT) -> str:
    """The path part of site_url, e.g. "/deep-init/"."""
    path = urlsplit(site_url(project)).path or "/"
    return path if path.endswith("/") else path + "/"


def site_origin(project: Path = PROJECT) -> str:
    """Scheme, host and port of site_url, e.g. "http://127.0.0.1:8000"."""
    parts = urlsplit(site_url(project))
    return f"{parts.scheme}://{parts.netloc}"


def brotli_all(files: list[Path], node: str | None = None) -> dict[Path, bytes]:
    """Brotli-compress files with Node's zlib (Python's standard library has no brotli)."""
    node = node or shutil.which("node")
    if not node or not files:
        return {}
    script = (
        "const fs=require('fs'),z=require('zlib');"
        "const files=JSON.parse(fs.readFileSync(0,'utf8'));const out={};"
        "for(const f of files){out[f]=z.brotliCompressSync(fs.readFileSync(f),"
        "{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).toString('base64');}"
        "process.stdout.write(JSON.stringify(out));"
    )
    done = subprocess.run([node, "-e", script], input=json.dumps([str(f) for f in files]),
                          capture_output=True, text=True, check=True)
    import base64

    return {Path(k): base64.b64decode(v) for k, v in json.loads(done.stdout).items()}


class SiteServer:
    """``with SiteServer(root) as server: server.url`` is the site's home page."""

    def __init__(self, root: Path, prefix: str | None = None, compress: bool = False, port: int = 0):
        self.root = Path(root).resolve()
        self.prefix = prefix or site_prefix()
        self.compress = compress
        self.log: list[dict] = []  # one entry per request: path, status, encoding, bytes sent
        self._encoded: dict[tuple[Path, str], bytes] = {}
        if compress:
            texts = [p for p in self.root.rglob("*") if p.is_file() and self._compressible(self._type(p))]
            for path in texts:
                self._encoded[path, "gzip"] = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
            for path, data in brotli_all(texts).items():
                self._encoded[path, "br"] = data
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                server._serve(self, body=True)

            def do_HEAD(self):
                server._serve(self, body=False)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.url = self.origin + self.prefix
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @staticmethod
    def _type(path: Path) -> str:
        return TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"

    @staticmethod
    def _compressible(content_type: str) -> bool:
        return content_type.startswith(COMPRESSIBLE)

    def _resolve(self, url_path: str) -> tuple[int, Path | None, str | None]:
        path = unquote(urlsplit(url_path).path)
        if not path.startswith(self.prefix):
            if path + "/" == self.prefix:
                return HTTPStatus.MOVED_PERMANENTLY, None, self.prefix
            return HTTPStatus.NOT_FOUND, None, None
        rel = path[len(self.prefix):]
        target = (self.root / rel).resolve()
        if self.root not in target.parents and target != self.root:
            return HTTPStatus.NOT_FOUND, None, None
        if target.is_dir():
            if rel and not path.endswith("/"):
                return HTTPStatus.MOVED_PERMANENTLY, None, path + "/"
            target = target / "index.html"
        if target.is_file():
            return HTTPStatus.OK, target, None
        return HTTPStatus.NOT_FOUND, None, None

    def _serve(self, handler: BaseHTTPRequestHandler, body: bool) -> None:
        status, target, location = self._resolve(handler.path)
        if status == HTTPStatus.NOT_FOUND:
            target = self.root / "404.html"
        if location:
            handler.send_response(status)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            self.log.append({"path": handler.path, "status": int(status), "encoding": None, "bytes": 0})
            return
        content_type = self._type(target) if target.is_file() else "text/plain"
        data = target.read_bytes() if target.is_file() else b"not found"
        encoding = None
        if self.compress and self._compressible(content_type):
            accepted = {e.split(";")[0].strip() for e in handler.headers.get("Accept-Encoding", "").split(",")}
            for candidate in ("br", "gzip"):
                if candidate in accepted and (target, candidate) in self._encoded:
                    encoding, data = candidate, self._encoded[target, candidate]
                    break
        handler.send_response(status)
        handler.send_header("Content-Type", content_type + ("; charset=utf-8" if content_type.startswith("text/") else ""))
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        if encoding:
            handler.send_header("Content-Encoding", encoding)
        if self.compress:
            handler.send_header("Vary", "Accept-Encoding")
        handler.end_headers()
        if body:
            handler.wfile.write(data)
        self.log.append({"path": handler.path, "status": int(status), "encoding": encoding,
                         "bytes": len(data) if body else 0})
