package dev.tether.ws.engine;

/**
 * The transports every engine test runs on. One list, so a new transport joins every test by
 * being added here and to each class's {@code @ParameterizedClass} source.
 */
final class TransportNames {
    static final String BLOCKING = "blocking";
    static final String NIO = "nio";

    private TransportNames() {
    }
}
