package dev.tether.ws.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes reports in the layout of the suite's {@code reports/clients}: {@code index.json}
 * ({@code {agent: {caseId: {behavior, behaviorClose, duration, remoteCloseCode, reportfile}}}}),
 * one JSON file per agent and case with the details, and an {@code index.html} summary.
 */
public final class ReportWriter {
    private ReportWriter() {
    }

    public static void write(Path dir, CaseCatalog catalog, ResultStore results) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> index = new LinkedHashMap<>();
        for (String agent : results.agents()) {
            Map<String, Object> cases = new LinkedHashMap<>();
            for (CaseCatalog.Entry entry : catalog.entries()) {
                Optional<CaseResult> r = results.result(agent, entry.id());
                if (r.isEmpty()) {
                    continue;
                }
                String file = reportFile(agent, entry.id());
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("behavior", r.get().behavior().label());
                c.put("behaviorClose", r.get().closeBehavior().label());
                c.put("duration", r.get().durationMillis());
                c.put("remoteCloseCode", r.get().remoteCloseCode());
                c.put("reportfile", file);
                cases.put(entry.id(), c);
                Files.writeString(dir.resolve(file), Json.write(caseReport(r.get())), StandardCharsets.UTF_8);
            }
            index.put(agent, cases);
        }
        Files.writeString(dir.resolve("index.json"), Json.write(index), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("index.html"), html(catalog, results), StandardCharsets.UTF_8);
    }

    /** The suite's file naming: agent lower-cased, anything but [a-z0-9] turned into '_'. */
    static String reportFile(String agent, String caseId) {
        String cleaned = agent.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip().replace(' ', '_');
        return cleaned + "_case_" + caseId.replace('.', '_') + ".json";
    }

    private static Map<String, Object> caseReport(CaseResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent", r.agent());
        m.put("id", r.id());
        m.put("description", r.description());
        m.put("expectation", r.expectation());
        m.put("started", r.started().toString());
        m.put("duration", r.durationMillis());
        m.put("behavior", r.behavior().label());
        m.put("behaviorClose", r.closeBehavior().label());
        m.putAll(r.details());
        return m;
    }

    private static String html(CaseCatalog catalog, ResultStore results) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Tether conformance</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}")
                .append("td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;vertical-align:top}")
                .append(".OK{background:#cfc}.NON-STRICT{background:#ffc}.INFORMATIONAL{background:#cdf}")
                .append(".UNIMPLEMENTED{background:#eee}.FAILED,.UNCLEAN{background:#fcc}.WRONG{background:#fdb}")
                .append("</style></head><body>\n<h1>Tether conformance: Autobahn client cases</h1>\n");
        for (String agent : results.agents()) {
            Map<Behavior, Integer> counts = new EnumMap<>(Behavior.class);
            Map<CloseBehavior, Integer> closeCounts = new EnumMap<>(CloseBehavior.class);
            int missing = 0;
            for (CaseCatalog.Entry e : catalog.entries()) {
                Optional<CaseResult> r = results.result(agent, e.id());
                if (r.isEmpty()) {
                    missing++;
                } else {
                    counts.merge(r.get().behavior(), 1, Integer::sum);
                    closeCounts.merge(r.get().closeBehavior(), 1, Integer::sum);
                }
            }
            b.append("<h2>").append(escape(agent)).append("</h2>\n<p>");
            counts.forEach((k, v) -> b.append(k.label()).append(": ").append(v).append(" &nbsp; "));
            b.append("missing: ").append(missing).append("<br>close: ");
            closeCounts.forEach((k, v) -> b.append(k.label()).append(": ").append(v).append(" &nbsp; "));
            b.append("</p>\n<table><tr><th>Case</th><th>Description</th><th>Behavior</th><th>Close</th>")
                    .append("<th>ms</th><th>Remote close</th></tr>\n");
            for (CaseCatalog.Entry e : catalog.entries()) {
                Optional<CaseResult> r = results.result(agent, e.id());
                b.append("<tr><td>").append(e.id()).append("</td><td>").append(escape(plain(e.description()))).append("</td>");
                if (r.isEmpty()) {
                    b.append("<td class=\"FAILED\" colspan=\"4\">Missing</td></tr>\n");
                    continue;
                }
                CaseResult c = r.get();
                String file = reportFile(agent, e.id());
                b.append("<td class=\"").append(c.behavior().label()).append("\"><a href=\"").append(file).append("\">")
                        .append(c.behavior().label()).append("</a></td>")
                        .append("<td class=\"").append(c.closeBehavior().label().split(" ")[0]).append("\">")
                        .append(c.closeBehavior().label()).append("</td>")
                        .append("<td>").append(c.durationMillis()).append("</td>")
                        .append("<td>").append(c.remoteCloseCode() == null ? "" : c.remoteCloseCode()).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    /** The catalogue's descriptions carry a little HTML (bold, line breaks): keep the words. */
    private static String plain(String s) {
        return s.replace("<br>", " ").replaceAll("</?b>", "").replaceAll("\\s+", " ").strip();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
