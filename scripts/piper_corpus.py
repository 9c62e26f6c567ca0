#!/usr/bin/env python3
"""Builds the Piper conformance corpus: sentences as articast would send them to a voice.

Real chunks come from `articast script --json` on the repository's articles and pages
(already normalized: numbers, dates and symbols spelled out); generated sentences add
the punctuation, quotes, abbreviations and hyphenation that articles use. Writes one
text per line to tests/fixtures/piper/sentences-{en,fr}.txt. Run from the repository
root with a built articast: `python3 scripts/piper_corpus.py target/release/articast`.
"""

import json
import random
import subprocess
import sys
from pathlib import Path

SOURCES = {
    "fr": ["examples/la-ville-lente.txt", "tests/fixtures/pages/fr-article.html",
           "../shared/seeds/guerre-froide-ia.txt"],
    "en": ["examples/open-source-sound.md", "tests/fixtures/pages/en-article.html",
           "README.md", "docs/design.md"],
}

FR = {
    "subj": ["Le maire", "Mme Lefèvre", "M. Durand", "La présidente de l'association", "Un riverain",
             "L'urbaniste", "Le docteur Martin", "Une élève de quatrième", "Le Conseil d'État",
             "Jean-Baptiste", "La SNCF", "L'ONU", "Notre correspondante à Bruxelles", "Chloé"],
    "verb": ["a déclaré", "affirme", "a rappelé", "estime", "répète", "a reconnu", "souligne",
             "s'est demandé", "a expliqué", "reconnaît"],
    "obj": ["que la ville doit changer", "qu'il faut ralentir", "que les écoles ouvriront en septembre",
            "que le budget a augmenté de douze pour cent", "qu'on ne reviendra pas en arrière",
            "que les pistes cyclables sont trop étroites", "qu'aujourd'hui tout va plus vite",
            "que le dix-neuvième siècle a inventé la rue moderne", "que l'été sera chaud",
            "qu'elle n'a jamais vu ça"],
    "tail": ["", " hier soir", " ce matin", " devant la presse", " lors du conseil municipal",
             " le quatorze juillet deux mille vingt-quatre", " à vingt heures trente"],
    "q": ["Pourquoi ?", "Est-ce vraiment nécessaire ?", "Qui paiera la facture ?", "Et après ?",
          "Que faire, alors ?", "Peut-on y croire ?", "N'est-ce pas étrange ?"],
    "ex": ["Quelle histoire !", "Enfin !", "C'est incroyable !", "Attention !", "Bravo !"],
}

EN = {
    "subj": ["The mayor", "Dr. Smith", "Mrs. Patel", "A local resident", "The committee", "Mr. O'Brien",
             "Our correspondent in Brussels", "The U.N.", "NASA", "Professor Li", "The team", "Anna-Maria"],
    "verb": ["said", "argued", "insisted", "recalled", "admitted", "explained", "warned", "wondered"],
    "obj": ["that the city must change", "that we'll need to slow down", "that schools reopen in September",
            "that the budget grew by twelve percent", "that there's no going back", "that it isn't enough",
            "that the nineteenth century invented the modern street", "that summer will be hot",
            "that nobody had seen anything like it", "that the well-known rule doesn't apply"],
    "tail": ["", " last night", " this morning", " at the press conference", " on July fourteenth, twenty twenty-four",
             " at eight thirty p.m."],
    "q": ["Why?", "Is it really necessary?", "Who will pay the bill?", "And then?", "What now, then?",
          "Can we believe it?", "Isn't that strange?"],
    "ex": ["What a story!", "At last!", "That's incredible!", "Watch out!", "Well done!"],
}

QUOTES = {"fr": ("« ", " »"), "en": ("“", "”")}


def generated(lang, words, count, rng):
    lq, rq = QUOTES[lang]
    out = []
    for i in range(count):
        s, v, o, t = (rng.choice(words[k]) for k in ("subj", "verb", "obj", "tail"))
        shape = i % 10
        if shape == 0:
            out.append(f"{s} {v} {o}{t}.")
        elif shape == 1:
            out.append(f"{s} {v}{t} : {lq}{o[0].upper() + o[1:]}.{rq}" if lang == "fr"
                       else f"{s} {v}{t}: {lq}{o[0].upper() + o[1:]}.{rq}")
        elif shape == 2:
            out.append(f"{s} {v} {o} ; {rng.choice(words['q'])}" if lang == "fr"
                       else f"{s} {v} {o}; {rng.choice(words['q'])}")
        elif shape == 3:
            out.append(f"{rng.choice(words['ex'])} {s} {v} {o}…")
        elif shape == 4:
            out.append(f"{s} ({rng.choice(words['subj']).lower()}) {v} {o}, {t.strip() or 'encore'}." if lang == "fr"
                       else f"{s} ({rng.choice(words['subj'])}) {v} {o}, {t.strip() or 'again'}.")
        elif shape == 5:
            out.append(f"{s} {v} {o} — {rng.choice(words['obj'])}.")
        elif shape == 6:
            out.append(f"{rng.choice(words['q'])} {s} {v} {o}... {rng.choice(words['ex'])}")
        elif shape == 7:
            out.append(f"{s}, {rng.choice(words['subj']).lower()}, {v} {o}{t} !" if lang == "fr"
                       else f"{s}, {rng.choice(words['subj'])}, {v} {o}{t}!")
        elif shape == 8:
            out.append(f"{lq}{rng.choice(words['ex'])}{rq} {v} {s.lower() if lang == 'fr' else s}.")
        else:
            out.append(f"{s} {v} {o}{t} ? Non : {rng.choice(words['obj'])}." if lang == "fr"
                       else f"{s} {v} {o}{t}? No: {rng.choice(words['obj'])}.")
    return out


def real_chunks(articast, lang):
    texts = []
    for source in SOURCES[lang]:
        if not Path(source).exists():
            continue
        out = subprocess.run([articast, "script", "--json", source], capture_output=True, check=True)
        for chunk in json.loads(out.stdout)["chunks"]:
            texts.append(chunk["spoken"])
    return texts


def main():
    articast = sys.argv[1] if len(sys.argv) > 1 else "target/release/articast"
    rng = random.Random(2026)
    for lang, words in (("fr", FR), ("en", EN)):
        texts = real_chunks(articast, lang)
        texts += generated(lang, words, max(150, 330 - len(texts)), rng)
        seen, unique = set(), []
        for t in texts:
            t = " ".join(t.split())
            if t and t not in seen:
                seen.add(t)
                unique.append(t)
        Path(f"tests/fixtures/piper/sentences-{lang}.txt").write_text("\n".join(unique) + "\n", encoding="utf-8")
        print(f"{lang}: {len(unique)} sentences")


if __name__ == "__main__":
    main()
