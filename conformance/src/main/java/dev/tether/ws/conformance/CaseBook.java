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

    /** Every case, 12.x/13.x with {@link CompressionCases#messages()} messages each. */
    public static CaseBook standard() {
        return standard(CompressionCases.messages());
    }

    /** Every case, 12.x/13.x with {@code deflateMessages} messages each (the suite sends 1000). */
    public static CaseBook standard(int deflateMessages) {
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
        all.addAll(CompressionCases.all(deflateMessages));
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
