package dev.tether.ws.codec;

/** One repeated mask key, to reproduce the RFC's masked examples byte for byte. */
final class FixedKeys {
    private FixedKeys() {
    }

    static MaskKeys of(int key) {
        return () -> key;
    }
}
