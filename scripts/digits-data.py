#!/usr/bin/env python3
"""Writes src/core/data/digits-data.ts, the built-in "digits" pictures, and
test/fixtures/data/digits.json, the numbers its loader's test compares with.

The pictures are UCI's "Optical Recognition of Handwritten Digits" (E. Alpaydin and C. Kaynak,
UCI Machine Learning Repository, CC BY 4.0), as scikit-learn ships them in
sklearn.datasets.load_digits: 1,797 pictures of 8 x 8 pixels, each pixel an integer 0..16 (the
count of lit pixels in a 4 x 4 block of the original 32 x 32 bitmap), labels 0..9.

Each picture is stored as its 64 pixels, row-major, in 5 bits each (40 bytes a picture), the
pictures in scikit-learn's order, all of it in base64; the labels as a string of digits.

Re-run after changing it:  /usr/bin/python3 scripts/digits-data.py
Needs numpy and scikit-learn (Debian's python3-sklearn); the build and the tests only read what
it writes.
"""
import base64
import json
import os

import numpy as np
from sklearn.datasets import load_digits

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

HEADER = """/**
 * UCI's "Optical Recognition of Handwritten Digits" (E. Alpaydin and C. Kaynak, UCI Machine
 * Learning Repository, licensed CC BY 4.0), as scikit-learn's load_digits ships it: 1,797 pictures
 * of 8 × 8 pixels, each pixel an integer 0..16, labels 0..9. Written by scripts/digits-data.py;
 * do not edit. PIXELS: each picture's 64 pixels row-major, 5 bits each, most significant bit
 * first (40 bytes a picture), in base64. LABELS: one digit per picture. The pixels are divided by
 * DIVIDE_BY to feed a network.
 */
"""


def pack(pixels):
    """Integers 0..31 as a bit string of 5 bits each, most significant first, into bytes."""
    bits = "".join(format(int(v), "05b") for v in pixels)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


def main():
    digits = load_digits()
    images = digits.images.astype(np.int64)  # (1797, 8, 8), 0..16
    labels = digits.target.astype(np.int64)
    assert images.min() >= 0 and images.max() <= 16
    packed = b"".join(pack(img.ravel()) for img in images)
    assert len(packed) == 40 * len(images)
    b64 = base64.b64encode(packed).decode("ascii")
    lines = [b64[i:i + 100] for i in range(0, len(b64), 100)]
    with open(os.path.join(ROOT, "src/core/data/digits-data.ts"), "w") as f:
        f.write(HEADER)
        f.write(f"export const COUNT = {len(images)};\n")
        f.write("export const DIVIDE_BY = 16;\n")
        f.write("export const LABELS =\n  '" + "".join(str(int(v)) for v in labels) + "';\n")
        # An array joined once, not a chain of "+": a chain this long overflows parsers' recursion.
        f.write("export const PIXELS = [\n" + "".join(f"  '{l}',\n" for l in lines) + "].join('');\n")

    # What the loader's test checks: a few whole pictures, every class's count, and the sum of
    # every picture's pixels (numpy's, as integers).
    fixture = {
        "count": int(len(images)),
        "pictures": {str(i): {"label": int(labels[i]), "pixels": images[i].ravel().tolist()} for i in (0, 1, 1000, 1796)},
        "classCounts": np.bincount(labels, minlength=10).tolist(),
        "pixelSums": images.reshape(len(images), -1).sum(axis=1).tolist(),
    }
    with open(os.path.join(ROOT, "test/fixtures/data/digits.json"), "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
