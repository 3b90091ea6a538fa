"""zlib's size at a real window, for SmallWindowDeflateTest.ZLIB_SIZES.

Reads the test corpus as length-prefixed messages (4-byte big-endian length, then the bytes),
one file per window: corpus9.bin ... corpus15.bin, written from SmallWindowDeflateTest.messages(bits * 31, 400).
Compresses it the way the test sends it: context takeover, a sync flush after each part (every
7th message in three parts, cut at len/3 and 2*len/3), the 4-byte tail 00 00 FF FF removed.

    python3 zlib-window-sizes.py DIR
"""
import struct
import sys
import zlib


def messages(path):
    data = open(path, 'rb').read()
    out, i = [], 0
    while i < len(data):
        n = struct.unpack('>I', data[i:i + 4])[0]
        out.append(data[i + 4:i + 4 + n])
        i += 4 + n
    return out


for bits in range(9, 16):
    c = zlib.compressobj(6, zlib.DEFLATED, -bits, 8)
    total = 0
    for n, m in enumerate(messages('%s/corpus%d.bin' % (sys.argv[1], bits))):
        parts = [m[:len(m) // 3], m[len(m) // 3:2 * len(m) // 3], m[2 * len(m) // 3:]] if n % 7 == 3 else [m]
        wire = b''.join(c.compress(p) + c.flush(zlib.Z_SYNC_FLUSH) for p in parts)
        total += len(wire) - 4
    print(bits, total, zlib.ZLIB_RUNTIME_VERSION)
