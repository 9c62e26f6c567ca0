#!/usr/bin/env python3
"""Runs the reference Piper command (`python -m piper ...`) with ONNX Runtime limited to
N intra-op threads, so that benchmarks compare it with articast at equal thread counts
(pinning with taskset is not enough: ONNX Runtime's pool sets its own CPU affinity).

    python3 scripts/piper_with_threads.py N -m model.onnx -i text.txt -f out.wav
"""

import sys

import onnxruntime

THREADS = int(sys.argv[1])
_SessionOptions = onnxruntime.SessionOptions


def _limited_options():
    options = _SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    return options


# piper.voice builds its session with onnxruntime.SessionOptions() at load time.
onnxruntime.SessionOptions = _limited_options
sys.argv = ["piper"] + sys.argv[2:]

from piper.__main__ import main  # noqa: E402

main()
