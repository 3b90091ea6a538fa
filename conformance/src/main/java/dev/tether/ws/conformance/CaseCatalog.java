package dev.tether.ws.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Autobahn|Testsuite client-case catalogue ({@code autobahn-cases.json}, a copy of
 * {@code shared/conformance/}): ids, descriptions and expectations in the suite's order. A
 * client asks for case N, 1-based, in this order, exactly as it does of the real suite.
 */
public final class CaseCatalog {
    private static final String RESOURCE = "autobahn-cases.json";

    /** One case as the suite publishes it. */
    public record Entry(String id, String category, String subcategory, String description, String expectation) {
    }

    private final List<Entry> entries;
    private final Map<String, Entry> byId = new LinkedHashMap<>();

    private CaseCatalog(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        for (Entry e : entries) {
            byId.put(e.id(), e);
        }
    }

    public static CaseCatalog load() {
        try (InputStream in = CaseCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing next to " + CaseCatalog.class.getName());
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static CaseCatalog parse(String json) {
        Map<String, Object> root = (Map<String, Object>) Json.parse(json);
        List<Entry> entries = new ArrayList<>();
        for (Object o : (List<Object>) root.get("cases")) {
            Map<String, Object> c = (Map<String, Object>) o;
            entries.add(new Entry((String) c.get("id"), (String) c.get("category"), (String) c.get("subcategory"),
                    (String) c.get("description"), (String) c.get("expectation")));
        }
        Object count = root.get("count");
        if (count instanceof Number n && n.intValue() != entries.size()) {
            throw new IllegalStateException("catalogue says " + n + " cases but lists " + entries.size());
        }
        return new CaseCatalog(entries);
    }

    public int count() {
        return entries.size();
    }

    /** Case {@code n}, 1-based. */
    public Entry byIndex(int n) {
        return entries.get(n - 1);
    }

    public Entry byId(String id) {
        return byId.get(id);
    }

    /** The 1-based number a client asks for to run case {@code id}; -1 if there is none. */
    public int numberOf(String id) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).id().equals(id)) {
                return i + 1;
            }
        }
        return -1;
    }

    public List<Entry> entries() {
        return entries;
    }
}
