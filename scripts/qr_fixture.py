#!/usr/bin/env python3
"""Prints the fixtures of Tests/FloodgateCoreTests/QRCodeTests.swift from segno, an independent QR code encoder.

    python3 -m venv /tmp/qrvenv && /tmp/qrvenv/bin/pip install segno==1.6.6
    /tmp/qrvenv/bin/python scripts/qr_fixture.py > /tmp/qr_fixtures.swift

Paste its output over the test's fixtures. Each symbol is in byte mode, at the smallest version, with the mask that
segno's own penalty scoring (encoder.mask_scores) gives the lowest score on the complete symbol, as ISO/IEC
18004:2015 7.8.3.1 asks. segno's automatic choice scores the symbol before the format and version information are
drawn, so it often picks another mask; it is printed in a comment for reference.

Rows are hex, left to right, four modules a digit, the last digit filled out with light modules.
"""

import segno
from segno import consts, encoder

assert segno.__version__ == "1.6.6", "the padding fix below is for segno 1.6.6"


def _padding_bits(buff, version, length):
    # segno 1.6.6 adds 8 zero bits when the bit stream already ends on a codeword boundary (its issue #148), which
    # in byte mode is whenever the terminator fits: ISO/IEC 18004:2015 7.4.10 adds none then.
    if version not in (consts.VERSION_M1, consts.VERSION_M3):
        buff.extend([0] * (-length % 8))


encoder.write_padding_bits = _padding_bits

OTPAUTH = (
    "otpauth://totp/Floodgate:anna%40shop.example?secret=JBSWY3DPEHPK3PXP&issuer=Floodgate"
    "&algorithm=SHA1&digits=6&period=30"
)

# name, bytes, level; the test builds the same bytes.
INPUTS = [
    ("hello", b"HELLO", "M"),
    ("otpauth", OTPAUTH.encode(), "M"),
    ("text100", ("The quick brown fox jumps over the lazy dog. " * 2 + "0123456789").encode(), "Q"),
    ("bytes300", bytes((i * 37 + 11) % 256 for i in range(300)), "L"),
    ("cyrillic", "Привет, мир! Вход в Floodgate".encode(), "H"),
]
# Only a fingerprint (FNV-1a, 64 bits, of the rows joined by newlines) of this one: 177 rows.
LARGE = ("largest", bytes((i * 131 + 7) % 256 for i in range(2953)), "L")
LEVELS = {"L": ".low", "M": ".medium", "Q": ".quartile", "H": ".high"}


def make(data, level, mask=None):
    return segno.make_qr(data, error=level, mode="byte", mask=mask, boost_error=False)


def best_mask(data, level):
    scores = []
    for mask in range(8):
        matrix = make(data, level, mask).matrix
        scores.append(sum(encoder.mask_scores(matrix, len(matrix), len(matrix))))
    return scores.index(min(scores))


def hex_rows(qr):
    rows = []
    for row in qr.matrix:
        bits = "".join(str(bit) for bit in row)
        bits += "0" * (-len(bits) % 4)
        rows.append("".join("%x" % int(bits[i : i + 4], 2) for i in range(0, len(bits), 4)))
    return rows


def fnv1a(text):
    value = 0xCBF29CE484222325
    for byte in text.encode():
        value = ((value ^ byte) * 0x100000001B3) % (1 << 64)
    return value


def literal(rows, indent):
    per_line = max(1, 108 // (len(rows[0]) + 1))
    lines = [" ".join(rows[i : i + per_line]) for i in range(0, len(rows), per_line)]
    pad = " " * indent
    return '"""\n' + "".join(pad + line + "\n" for line in lines) + pad + '"""'


print("    static let symbols: [String: Symbol] = [")
for name, data, level in INPUTS:
    mask = best_mask(data, level)
    qr = make(data, level, mask)
    print(f"        // segno's own choice of mask: {make(data, level).mask}")
    print(f'        "{name}": Symbol(')
    print(f"            version: {qr.version}, mask: {mask},")
    print(f"            rows: {literal(hex_rows(qr), 16)}),")
print("    ]")
print()
name, data, level = LARGE
mask = best_mask(data, level)
qr = make(data, level, mask)
rows = "\n".join("".join(str(bit) for bit in row) for row in qr.matrix)
print(f"    // segno's own choice of mask: {make(data, level).mask}")
print(f"    static let largest = (version: {qr.version}, mask: {mask}, fnv1a: 0x{fnv1a(rows):016x} as UInt64)")
print()
print('    /// "HELLO" at level M under each mask, in order.')
print("    static let helloMasks: [String] = [")
for mask in range(8):
    print(f"        {literal(hex_rows(make(b'HELLO', 'M', mask)), 8)},")
print("    ]")
