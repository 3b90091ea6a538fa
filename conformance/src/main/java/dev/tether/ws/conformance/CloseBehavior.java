package dev.tether.ws.conformance;

/**
 * Autobahn's verdicts on how the connection ended ({@code behaviorClose} in {@code case.py}).
 * "FAILED BY CLIENT" does not appear: it only judges servers.
 */
public enum CloseBehavior {
    OK("OK"),
    /** Closed by the wrong endpoint, or the handshake never completed. */
    FAILED("FAILED"),
    /** The client sent a close code outside the acceptable ones. */
    WRONG_CODE("WRONG CODE"),
    /** The spec wanted a closing handshake before TCP went, and there was none. */
    UNCLEAN("UNCLEAN"),
    INFORMATIONAL("INFORMATIONAL");

    private final String label;

    CloseBehavior(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static CloseBehavior ofLabel(String label) {
        for (CloseBehavior b : values()) {
            if (b.label.equals(label)) {
                return b;
            }
        }
        throw new IllegalArgumentException("no close behavior " + label);
    }
}
