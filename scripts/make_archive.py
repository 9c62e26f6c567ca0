#!/usr/bin/env python3
"""Writes a generated archive of articles for trying and checking `articast batch`.

    scripts/make_archive.py DIR [COUNT]

COUNT articles (default 100) of varied lengths, two in three French and one in three
English, as Markdown with front matter, plain text and HTML pages, made of the sentences
of the example articles and the seed article. The same arguments always give the same
files. Standard library only.
"""

import pathlib
import random
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = {
    "fr": [ROOT / "examples/la-ville-lente.txt", ROOT.parent / "shared/seeds/guerre-froide-ia.txt"],
    "en": [ROOT / "examples/open-source-sound.md"],
}


def sentences(paths):
    found = []
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip().lstrip("#>-* ").strip()
            # Headings and lead-ins are not sentences to reuse.
            if len(line.split()) < 6 or line.endswith(":"):
                continue
            found += [s for s in re.split(r"(?<=[.!?])\s+", line) if len(s.split()) >= 4]
    return found


def main():
    out = pathlib.Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    pools = {lang: sentences(paths) for lang, paths in SOURCES.items()}
    rng = random.Random(20261201)
    out.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        lang = "en" if i % 3 == 2 else "fr"
        pool = pools[lang]
        n = rng.choice([2, 3, 5, 8, 12, 20, 30])
        start = rng.randrange(len(pool))
        body = [pool[(start + k) % len(pool)] for k in range(n)]
        paragraphs = [" ".join(body[k : k + 4]) for k in range(0, n, 4)]
        title = ("Article" if lang == "en" else "Article n°") + f" {i + 1}"
        day = 1 + i % 28
        kind = i % 4
        if kind == 0:
            html_body = "".join(f"<p>{p}</p>" for p in paragraphs)
            text = (
                f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
                f'<meta property="article:published_time" content="2026-10-{day:02}T08:00:00Z"></head>'
                f'<body><nav><a href="/">Accueil</a></nav><article><h1>{title}</h1>{html_body}'
                f"</article><footer>© 2026</footer></body></html>"
            )
            name = f"{i + 1:03}.html"
        elif kind == 1:
            text = f"---\ntitle: \"{title}\"\ndate: 2026-10-{day:02}\nlang: {lang}\n---\n\n" + "\n\n".join(paragraphs)
            name = f"{i + 1:03}.md"
        elif kind == 2:
            text = f"{title}\n\n" + "\n\n".join(paragraphs)
            name = f"{i + 1:03}.txt"
        else:
            text = f"# {title}\n\n" + "\n\n".join(paragraphs)
            name = f"{i + 1:03}.md"
        (out / name).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
