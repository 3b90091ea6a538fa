package dev.tether.ws.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The case scripts against the published catalogue: same ids, same payloads where it shows them. */
class CaseBookTest {
    private static final CaseCatalog CATALOG = CaseCatalog.load();
    private static final CaseBook BOOK = CaseBook.standard();

    @Test
    void everyCatalogueCaseHasAScriptAndNoMore() {
        assertThat(CATALOG.count()).isEqualTo(517);
        assertThat(BOOK.ids()).containsExactlyInAnyOrderElementsOf(
                CATALOG.entries().stream().map(CaseCatalog.Entry::id).toList());
    }

    @Test
    void categoriesHaveThePublishedSizes() {
        Map<String, Integer> counts = new TreeMap<>();
        BOOK.ids().forEach(id -> counts.merge(id.substring(0, id.indexOf('.')), 1, Integer::sum));
        assertThat(counts).isEqualTo(new TreeMap<>(Map.ofEntries(
                Map.entry("1", 16), Map.entry("2", 11), Map.entry("3", 7), Map.entry("4", 10), Map.entry("5", 20),
                Map.entry("6", 145), Map.entry("7", 37), Map.entry("9", 54), Map.entry("10", 1),
                Map.entry("12", 90), Map.entry("13", 126))));
    }

    /** 6.5 onwards: the description ends in "Payload: 0x..." and says whether it is valid. */
    @Test
    void utf8SamplesMatchTheCatalogue() {
        Pattern payload = Pattern.compile("Payload: 0x([0-9a-f]*)");
        int checked = 0;
        for (CaseCatalog.Entry e : CATALOG.entries()) {
            Matcher m = payload.matcher(e.description());
            if (!e.id().startsWith("6.") || !m.find()) {
                continue;
            }
            CaseScript script = BOOK.script(e.id());
            Step.SendMessage sent = (Step.SendMessage) script.steps().get(0);
            assertThat(sent.payload().toHex()).as(e.id()).isEqualTo(m.group(1));
            boolean valid = e.description().contains("which is valid UTF-8");
            assertThat(script.expect().close().closedByMe()).as(e.id() + " valid").isEqualTo(valid);
            checked++;
        }
        assertThat(checked).isEqualTo(132);
    }

    @Test
    void invalidTextCasesShowTheirBytes() {
        Step.SendMessage sent = (Step.SendMessage) BOOK.script("6.3.1").steps().get(0);
        assertThat(CATALOG.byId("6.3.1").description()).contains(sent.payload().toHex());
        assertThat(CATALOG.byId("6.4.1").description())
                .contains("PART1 = cebae1bdb9cf83cebcceb5").contains("PART2 = f4908080").contains("PART3 = 656469746564");
    }

    @Test
    void caseNumbersFollowTheCatalogueOrder() {
        assertThat(CATALOG.byIndex(1).id()).isEqualTo("1.1.1");
        assertThat(CATALOG.numberOf("1.1.1")).isEqualTo(1);
        assertThat(CATALOG.byIndex(CATALOG.count()).id()).startsWith("13.");
    }

    @Test
    void everyCaseIsBounded() {
        for (String id : BOOK.ids()) {
            assertThat(BOOK.script(id).bound().toSeconds()).as(id).isBetween(3L, 30L);
        }
    }

    @Test
    void largeCasesUseTheSuiteSizes() {
        Step.SendFrame f = (Step.SendFrame) BOOK.script("9.1.6").steps().get(0);
        assertThat(f.payload().length()).isEqualTo(16 * 1024 * 1024);
        Step.SendMessage m = (Step.SendMessage) BOOK.script("9.3.1").steps().get(0);
        assertThat(m.payload().length()).isEqualTo(4 * 1024 * 1024);
        assertThat(m.fragmentSize()).isEqualTo(64);
        assertThat(List.of(BOOK.script("9.7.6").steps().get(1))).first()
                .isEqualTo(new Step.EchoRounds(false, Payloads.repeat("*", 4096), 1000));
    }
}
