"""Render every page of the built documentation in headless Chromium and
report what does not fit.

Usage (after ``python -m sphinx -W -b html doc doc/_build/html``)::

    python doc/check_rendering.py [--width 1280] [--out doc/_build/screenshots]

It serves ``doc/_build/html`` on localhost, opens each page at the given
width in Chromium (``apt-get install chromium``), saves a full-page
screenshot to ``--out`` and measures, inside the rendered page:

- code blocks and tables wider than their box (content clipped or hidden
  behind a scroll bar),
- anything wider than the window (the page scrolls sideways),
- sidebars titled "Section Navigation" that hold no link.

It prints one line per problem and exits with 1 if there is any. It takes
about a minute for the ~40 pages; CI does not run it (it needs Chromium).
Look at the screenshots too: a measure cannot tell that a page reads well.
"""

from __future__ import annotations

import argparse
import functools
import html
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
#: Pages that are generated lists, not content.
SKIPPED = {"search.html", "genindex.html", "py-modindex.html"}
#: The longest screenshot taken, in pixels (Chromium's limit is 16384).
MAX_HEIGHT = 16000

#: Loads a page in an iframe of the given width, measures it, and writes the
#: findings as JSON into its own body (read back with --dump-dom).
PROBE = """<!DOCTYPE html>
<html><body style="margin:0">
<iframe id="page" src="{src}" style="border:0;width:{width}px;height:900px"></iframe>
<pre id="out">pending</pre>
<script>
const frame = document.getElementById("page");
frame.addEventListener("load", () => {{
  const doc = frame.contentDocument;
  const win = frame.contentWindow;
  const problems = [];
  const where = (el) => {{
    const heading = el.closest("section")?.querySelector("h1, h2, h3");
    const text = (heading ? heading.textContent : "").replace(/[#¶\\s]+$/, "");
    return text.trim().slice(0, 60);
  }};
  for (const el of doc.querySelectorAll("pre, table")) {{
    if (el.closest(".linenodiv")) continue;
    const wrapper = el.closest(".pst-scrollable-table-container, .table-wrapper");
    const box = el.tagName === "TABLE" ? (wrapper || el.parentElement) : el;
    const over = box.scrollWidth - box.clientWidth;
    if (over > 1) {{
      const start = el.textContent.trim().split("\\n")[0].slice(0, 50);
      const tag = el.tagName.toLowerCase();
      problems.push(
        `${{tag}} in "${{where(el)}}" is ${{over}} px wider than its box: ${{start}}`
      );
    }}
  }}
  const page = doc.documentElement.scrollWidth - win.innerWidth;
  if (page > 1) problems.push(`the page is ${{page}} px wider than the window`);
  for (const nav of doc.querySelectorAll("nav")) {{
    const label = nav.getAttribute("aria-label") || "";
    const named = /section navigation/i.test(label + nav.textContent.slice(0, 40));
    const shown = nav.offsetParent !== null;
    if (named && shown && !nav.querySelector("a[href]")) {{
      problems.push("an empty Section Navigation sidebar is shown");
    }}
  }}
  document.getElementById("out").textContent = JSON.stringify({{
    height: doc.documentElement.scrollHeight, problems
  }});
}});
</script></body></html>
"""


def serve(root: Path, probe_dir: Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``root``, and the probe pages from ``probe_dir`` under /_probe/."""

    class Handler(SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            if path.startswith("/_probe/"):
                return str(probe_dir / path.split("/")[-1].split("?")[0])
            return super().translate_path(path)

        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Handler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def chromium(binary: str, profile: Path, *args: str) -> str:
    done = subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout


def measure(binary: str, profile: Path, url: str) -> dict:
    dom = chromium(binary, profile, "--virtual-time-budget=10000", "--dump-dom", url)
    start, end = dom.find('<pre id="out">'), dom.find("</pre>", dom.find('id="out"'))
    found = html.unescape(dom[start + len('<pre id="out">') : end])
    try:
        return json.loads(found)
    except json.JSONDecodeError:
        return {"height": 2000, "problems": [f"the probe did not finish: {found!r}"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=HERE / "_build" / "html")
    parser.add_argument("--out", type=Path, default=HERE / "_build" / "screenshots")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("pages", nargs="*", help="pages to check (default: all)")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").exists():
        sys.exit(f"No built documentation in {args.html}: build it first.")
    if shutil.which(args.chromium) is None:
        sys.exit(f"{args.chromium} not found: apt-get install chromium")
    pages = args.pages or sorted(
        str(p.relative_to(args.html))
        for p in args.html.rglob("*.html")
        if not p.relative_to(args.html).parts[0].startswith("_")
        and p.name not in SKIPPED
    )
    args.out.mkdir(parents=True, exist_ok=True)
    n_problems = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        server, base = serve(args.html, tmp_path)
        try:
            for i, page in enumerate(pages):
                probe = tmp_path / f"probe{i}.html"
                probe.write_text(PROBE.format(src=f"/{page}", width=args.width))
                # A fresh profile per run of Chromium: nothing carries over.
                profile = Path(tempfile.mkdtemp(dir=tmp))
                found = measure(args.chromium, profile, f"{base}/_probe/{probe.name}")
                height = min(int(found["height"]) + 20, MAX_HEIGHT)
                name = page.replace("/", "__").removesuffix(".html")
                shot = args.out / f"{name}.png"
                chromium(
                    args.chromium,
                    Path(tempfile.mkdtemp(dir=tmp)),
                    f"--screenshot={shot}",
                    f"--window-size={args.width},{height}",
                    f"{base}/{page}",
                )
                status = "ok" if not found["problems"] else "PROBLEMS"
                print(f"{page}: {status} ({args.width}x{height}, {shot.name})")
                for problem in found["problems"]:
                    print(f"    {problem}")
                n_problems += len(found["problems"])
        finally:
            server.shutdown()
    print(f"{len(pages)} pages, {n_problems} problems; screenshots in {args.out}")
    return 1 if n_problems else 0


if __name__ == "__main__":
    sys.exit(main())
