package dev.tether.ws.conformance;

import java.time.Instant;
import java.util.Map;

/**
 * The outcome of one case for one agent: the verdict, the duration (ms, from the end of the
 * opening handshake to the end of the connection, as Autobahn measures it) and the details
 * that go into the case's report file. Holds summaries, never payloads.
 */
public record CaseResult(String id, String agent, String description, String expectation, Verdict verdict,
                         long durationMillis, Instant started, Integer remoteCloseCode,
                         Map<String, Object> details) {

    public Behavior behavior() {
        return verdict.behavior();
    }

    public CloseBehavior closeBehavior() {
        return verdict.closeBehavior();
    }
}
