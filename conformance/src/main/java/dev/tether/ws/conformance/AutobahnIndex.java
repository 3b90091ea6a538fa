package dev.tether.ws.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A fuzzing server's {@code reports/clients/index.json} read back: the real suite's
 * ({@code wstest -m fuzzingserver}) or this module's, which share the layout
 * {@code {agent: {caseId: {behavior, behaviorClose, duration, remoteCloseCode, reportfile}}}}.
 * Verdicts stay strings, so a label this module does not know still shows up as written.
 */
public final class AutobahnIndex {
    /** One case's verdicts for one agent. */
    public record Entry(String caseId, String behavior, String behaviorClose, String reportFile) {
        /** FAILED in either column (the suite also writes "FAILED BY CLIENT" for servers). */
        public boolean failed() {
            return behavior.startsWith("FAILED") || behaviorClose.startsWith("FAILED");
        }

        @Override
        public String toString() {
            return "case " + caseId + ": behavior " + behavior + ", close " + behaviorClose
                    + (reportFile.isEmpty() ? "" : " (" + reportFile + ")");
        }
    }

    private final Map<String, List<Entry>> agents;

    private AutobahnIndex(Map<String, List<Entry>> agents) {
        this.agents = agents;
    }

    public static AutobahnIndex read(Path indexJson) throws IOException {
        return parse(Files.readString(indexJson, StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the text is not an index of that shape */
    public static AutobahnIndex parse(String json) {
        Map<String, List<Entry>> agents = new LinkedHashMap<>();
        for (Map.Entry<String, Object> agent : object(Json.parse(json), "the index").entrySet()) {
            List<Entry> cases = new ArrayList<>();
            for (Map.Entry<String, Object> c : object(agent.getValue(), "agent " + agent.getKey()).entrySet()) {
                Map<String, Object> fields = object(c.getValue(), "case " + c.getKey());
                cases.add(new Entry(c.getKey(), text(fields, "behavior"), text(fields, "behaviorClose"),
                        fields.get("reportfile") instanceof String f ? f : ""));
            }
            agents.put(agent.getKey(), List.copyOf(cases));
        }
        return new AutobahnIndex(agents);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String what) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(what + " is not a JSON object: " + v);
    }

    private static String text(Map<String, Object> fields, String name) {
        if (fields.get(name) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("no \"" + name + "\" in " + fields);
    }

    public Set<String> agents() {
        return agents.keySet();
    }

    /** The cases reported for {@code agent}, in the file's order; empty when it has none. */
    public List<Entry> cases(String agent) {
        return agents.getOrDefault(agent, List.of());
    }

    /** Every case of {@code agent} that FAILED in either column. */
    public List<Entry> failures(String agent) {
        return cases(agent).stream().filter(Entry::failed).toList();
    }

    /** How many cases had each verdict pair, e.g. {@code {"OK/OK": 300, "UNIMPLEMENTED/OK": 216}}. */
    public Map<String, Integer> summary(String agent) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Entry e : cases(agent)) {
            counts.merge(e.behavior() + "/" + e.behaviorClose(), 1, Integer::sum);
        }
        return counts;
    }
}
