package dev.tether.ws.conformance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every case this peer can play, by Autobahn id. Built once: the payloads of the large cases
 * are laid out here (about 40 MiB) and shared by every run.
 */
public final class CaseBook {
    private final Map<String, CaseScript> byId;

    private CaseBook(Map<String, CaseScript> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    public static CaseBook standard() {
        List<CaseScript> all = new ArrayList<>();
        all.addAll(FramingCases.all());
        all.addAll(PingPongCases.all());
        all.addAll(ReservedBitsCases.all());
        all.addAll(OpcodeCases.all());
        all.addAll(FragmentationCases.all());
        all.addAll(Utf8Cases.all());
        all.addAll(CloseCases.all());
        all.addAll(LimitsCases.all());
        all.addAll(AutoFragmentationCases.all());
        all.addAll(CompressionCases.all());
        Map<String, CaseScript> byId = new LinkedHashMap<>();
        for (CaseScript c : all) {
            if (byId.put(c.id(), c) != null) {
                throw new IllegalStateException("case " + c.id() + " defined twice");
            }
        }
        return new CaseBook(byId);
    }

    /** The script for {@code id}, or null when this peer has none. */
    public CaseScript script(String id) {
        return byId.get(id);
    }

    /** Ids in definition order. */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }
}
