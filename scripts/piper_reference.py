#!/usr/bin/env python3
"""Phoneme-id sequences from the reference Piper (`pip install piper-tts`).

For every line of tests/fixtures/piper/sentences-{en,fr}.txt, writes what piper-tts
feeds its model: one id sequence per sentence, built with the reference's own eSpeak NG
(bundled in the wheel) and the default phoneme map that published voices use
(en_US-joe-medium's map is that default). Output: tests/fixtures/piper/reference.jsonl,
one JSON object per line: {"voice", "text", "phonemes", "ids"}.

    python3 scripts/piper_reference.py [OUT]
"""

import json
import sys
from pathlib import Path

from piper.config import PhonemeType, PiperConfig
from piper.phoneme_ids import DEFAULT_PHONEME_ID_MAP
from piper.voice import PiperVoice

VOICES = {"en": "en-us", "fr": "fr"}


def voice_for(espeak_voice):
    config = PiperConfig(
        num_symbols=256, num_speakers=1, sample_rate=22050, espeak_voice=espeak_voice,
        phoneme_id_map=DEFAULT_PHONEME_ID_MAP, phoneme_type=PhonemeType.ESPEAK,
    )
    return PiperVoice(session=None, config=config)


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/piper/reference.jsonl")
    lines = []
    for lang, espeak_voice in VOICES.items():
        voice = voice_for(espeak_voice)
        for text in Path(f"tests/fixtures/piper/sentences-{lang}.txt").read_text(encoding="utf-8").splitlines():
            if not text.strip():
                continue
            sentences = voice.phonemize(text)
            lines.append(json.dumps({
                "voice": espeak_voice,
                "text": text,
                "phonemes": ["".join(s) for s in sentences if s],
                "ids": [voice.phonemes_to_ids(s) for s in sentences if s],
            }, ensure_ascii=False))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    id_map = out.with_name("phoneme_id_map.json")
    id_map.write_text(json.dumps(DEFAULT_PHONEME_ID_MAP, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(lines)} texts -> {out}")


if __name__ == "__main__":
    main()
