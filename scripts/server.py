#!/usr/bin/env python3
"""A small static file server for the notebook: serves the built site, dist/ (scripts/build.sh
writes it), with the MIME types browsers insist on (application/wasm for streaming compilation,
text/javascript for ES modules) and no caching, so a rebuilt site is picked up on reload.

    python3 scripts/server.py [--port 8080] [--host 127.0.0.1] [--root DIR]

Any static server serves dist/ as well (python3 -m http.server, a school's web server): this one
pins the MIME types rather than trusting the system's table, and adds the no-cache header and
quiet logs the tests want.

--port 0 picks a free port. The first line on stdout is always "serving http://HOST:PORT/",
which the browser tests read to find the port.
"""
import argparse
import functools
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".css": "text/css",
        ".html": "text/html; charset=utf-8",
        ".svg": "image/svg+xml",
        # Fashion-MNIST's IDX files are gzipped: they must arrive as the bytes on disk, never with
        # a Content-Encoding header that would have the browser inflate them (the core does).
        ".gz": "application/octet-stream",
    }

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, fmt, *args):
        if not self.server.quiet:
            super().log_message(fmt, *args)


class Server(http.server.ThreadingHTTPServer):
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A browser that leaves mid-download (a closed tab, a test's page closing while the
        # digits load) is normal; only report real faults.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8080)))
    ap.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dist"))
    ap.add_argument("--quiet", action="store_true", help="do not log each request")
    args = ap.parse_args()

    handler = functools.partial(Handler, directory=os.path.abspath(args.root))
    server = Server((args.host, args.port), handler)
    server.quiet = args.quiet
    host, port = server.server_address[:2]
    shown = "localhost" if host == "127.0.0.1" else host
    print(f"serving http://{shown}:{port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
