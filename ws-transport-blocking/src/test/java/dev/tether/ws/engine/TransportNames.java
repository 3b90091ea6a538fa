package dev.tether.ws.engine;

/**
 * The transports every engine test runs on. One list, so a new transport joins every test by
 * being added here (each test class is a {@code @ParameterizedClass} over these names).
 */
final class TransportNames {
    static final String BLOCKING = "blocking";

    private TransportNames() {
    }
}
