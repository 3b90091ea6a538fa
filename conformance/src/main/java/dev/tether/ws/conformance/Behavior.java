package dev.tether.ws.conformance;

/** Autobahn's verdicts on what a client did ({@code case.py}), with its spellings. */
public enum Behavior {
    OK("OK"),
    /** Passed, but not the way the spec prefers (e.g. failed before echoing a valid message). */
    NON_STRICT("NON-STRICT"),
    /** Behaviour the spec leaves open (7.1.6, 7.13.x): reported, never judged. */
    INFORMATIONAL("INFORMATIONAL"),
    /** The feature under test was not negotiated (12.x/13.x without permessage-deflate). */
    UNIMPLEMENTED("UNIMPLEMENTED"),
    FAILED("FAILED");

    private final String label;

    Behavior(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Behavior ofLabel(String label) {
        for (Behavior b : values()) {
            if (b.label.equals(label)) {
                return b;
            }
        }
        throw new IllegalArgumentException("no behavior " + label);
    }
}
