package dev.tether.ws.conformance;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Case results by agent and case id; a case run again replaces the earlier result. A client
 * sees its connection end a moment before the peer has judged it, so readers can wait for a
 * result to arrive.
 */
public final class ResultStore {
    /** Guarded by this. */
    private final Map<String, Map<String, CaseResult>> byAgent = new HashMap<>();

    synchronized void put(CaseResult r) {
        byAgent.computeIfAbsent(r.agent(), a -> new HashMap<>()).put(r.id(), r);
        notifyAll();
    }

    /** Agents in name order. */
    public synchronized List<String> agents() {
        return List.copyOf(new TreeMap<>(byAgent).keySet());
    }

    public synchronized Optional<CaseResult> result(String agent, String caseId) {
        return Optional.ofNullable(byAgent.getOrDefault(agent, Map.of()).get(caseId));
    }

    /** The result, waiting up to {@code timeout} for it to be recorded. */
    public synchronized Optional<CaseResult> await(String agent, String caseId, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<CaseResult> r;
        while ((r = result(agent, caseId)).isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return r;
    }

    public synchronized int size(String agent) {
        return byAgent.getOrDefault(agent, Map.of()).size();
    }
}
