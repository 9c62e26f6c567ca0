#!/usr/bin/env python3
"""Builds the article extraction evaluation set in benches/pages/ from two public
repositories (cloned or mirrored; only `git show` is used, no network):

- scrapinghub/article-extraction-benchmark (MIT): 181 real pages fetched by a
  headless browser, gzipped, with a human-annotated `articleBody` for each in
  ground-truth.json, and the `html-text` library's full-page text of each (scrapes.json),
  whose lines the annotated bodies mark as article or furniture. Copied byte for byte.
- mozilla/readability (Apache-2.0): the real pages among test/test-pages (source
  larger than 8 kB; the small ones are hand-made unit cases), each `source.html`
  gzipped, and the text of Readability.js's `expected.html` written to
  expected.json in the same shape as ground-truth.json, with the page's language;
  and, when the `html-text` library is installed (`pip install html-text`, the
  library ScrapingHub used), each page's full visible text in scrapes.json, the same
  shape as ScrapingHub's: real scrapes in French, German, Spanish and more, several
  from one site (nytimes-1 to -5), for the plain-text cleaner and the batch's
  recurring-line signal.

Usage: scripts/import_extraction_pages.py SCRAPINGHUB_GIT_DIR READABILITY_GIT_DIR
"""
import gzip
import html.parser
import json
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "benches" / "pages"
BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote",
    "pre", "table", "tr", "td", "th", "br", "figure", "figcaption", "section",
    "article", "dd", "dt", "dl", "hr",
}


def git(repo, *args):
    return subprocess.run(["git", "--git-dir", repo, *args], check=True,
                          capture_output=True).stdout


class Text(html.parser.HTMLParser):
    """The text of an HTML fragment, one line per block element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)

    def text(self):
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def scrapinghub(repo):
    out = OUT / "scrapinghub"
    (out / "html").mkdir(parents=True, exist_ok=True)
    rev = git(repo, "rev-parse", "HEAD").decode().strip()
    for name in git(repo, "ls-tree", "--name-only", "HEAD", "html/").decode().split():
        (out / name).write_bytes(git(repo, "show", f"HEAD:{name}"))
    (out / "ground-truth.json").write_bytes(git(repo, "show", "HEAD:ground-truth.json"))
    # The html-text library's output for the same pages: every visible line of each
    # page, as a copy-and-paste or a naive scraper gets it; scored against the
    # annotated article bodies, its lines are marked article or furniture.
    (out / "scrapes.json").write_bytes(git(repo, "show", "HEAD:output/html-text.json"))
    (out / "LICENSE").write_bytes(git(repo, "show", "HEAD:LICENSE"))
    return rev


def readability(repo):
    out = OUT / "readability"
    (out / "html").mkdir(parents=True, exist_ok=True)
    rev = git(repo, "rev-parse", "HEAD").decode().strip()
    expected = {}
    scrapes = {}
    try:
        import html_text
    except ImportError:
        html_text = None
        print("html-text is not installed: readability/scrapes.json is left as it is",
              file=sys.stderr)
    for d in git(repo, "ls-tree", "--name-only", "HEAD", "test/test-pages/").decode().split():
        name = d.rsplit("/", 1)[1]
        size = int(git(repo, "cat-file", "-s", f"HEAD:{d}/source.html"))
        if size <= 8000:
            continue
        source = git(repo, "show", f"HEAD:{d}/source.html")
        # mtime=0: the same input always gives the same bytes.
        (out / "html" / f"{name}.html.gz").write_bytes(gzip.compress(source, 9, mtime=0))
        parser = Text()
        parser.feed(git(repo, "show", f"HEAD:{d}/expected.html").decode("utf-8"))
        meta = json.loads(git(repo, "show", f"HEAD:{d}/expected-metadata.json"))
        expected[name] = {"articleBody": parser.text(), "lang": meta.get("lang")}
        if html_text is not None:
            page = source.decode("utf-8", errors="replace")
            scrapes[name] = {"articleBody": html_text.extract_text(page)}
    (out / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    if html_text is not None:
        (out / "scrapes.json").write_text(json.dumps(
            {"output": scrapes}, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    (out / "LICENSE").write_bytes(git(repo, "show", "HEAD:LICENSE.md"))
    return rev


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a = scrapinghub(sys.argv[1])
    b = readability(sys.argv[2])
    print(f"scrapinghub/article-extraction-benchmark {a}\nmozilla/readability {b}")
