package dev.tether.ws.cli.client;

/** What the client's main loop waits for: a line of input, the end of input, or the end of the connection. */
sealed interface Input {
    record Line(String text) implements Input {
    }

    record End() implements Input {
    }

    record Closed(int code, String reason) implements Input {
    }
}
