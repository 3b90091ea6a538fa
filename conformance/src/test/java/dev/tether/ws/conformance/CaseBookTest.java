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
    /** At the in-tree message count, whatever -Dconformance.deflate.messages says. */
    private static final CaseBook BOOK = CaseBook.standard(CompressionCases.DEFAULT_MESSAGES);

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

    /**
     * 12.x/13.x against the catalogue: each case's payload size and fragment size as its
     * description says, its source of the kind and size its subcategory names, the accept
     * function its subcategory names; text messages are whole characters.
     */
    @Test
    void compressionCasesFollowTheCatalogue() {
        Pattern sizes = Pattern.compile("each of payload size (\\d+), auto-fragment to (\\d+) octets");
        Pattern source = Pattern.compile("\\((utf8|binary), (\\d+) bytes\\)");
        Pattern accept = Pattern.compile("server accept \\(requestNoContextTakeover, requestMaxWindowBits\\): (\\[.*\\])");
        int checked = 0;
        for (CaseCatalog.Entry e : CATALOG.entries()) {
            if (!e.id().startsWith("12.") && !e.id().startsWith("13.")) {
                continue;
            }
            CaseScript script = BOOK.script(e.id());
            Step.CompressedRounds rounds = (Step.CompressedRounds) script.steps().get(1);
            Matcher m = sizes.matcher(e.description());
            assertThat(m.find()).as(e.id()).isTrue();
            int length = Integer.parseInt(m.group(1));
            assertThat(rounds.fragmentSize()).as(e.id()).isEqualTo(Integer.parseInt(m.group(2)));
            Matcher src = source.matcher(e.subcategory());
            assertThat(src.find()).as(e.id()).isTrue();
            boolean binary = src.group(1).equals("binary");
            assertThat(rounds.binary()).as(e.id()).isEqualTo(binary);
            int j = Integer.parseInt(e.id().split("\\.")[1]);
            CompressionData.Source data = e.id().startsWith("12.") ? CompressionData.forSubcategory12(j) : CompressionData.JSON;
            assertThat(data.size()).as(e.id()).isEqualTo(Integer.parseInt(src.group(2)));
            assertThat(rounds.payloads()).as(e.id()).hasSize(CompressionCases.DEFAULT_MESSAGES);
            for (Slice p : rounds.payloads()) {
                if (binary) {
                    assertThat(p.length()).isEqualTo(length);
                } else {
                    String text;
                    try {
                        text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                                .decode(java.nio.ByteBuffer.wrap(p.array(), p.offset(), p.length())).toString();
                    } catch (java.nio.charset.CharacterCodingException x) {
                        throw new AssertionError(e.id() + ": a text message that is not UTF-8", x);
                    }
                    assertThat(text.codePointCount(0, text.length())).isEqualTo(length);
                }
            }
            assertThat(rounds.payloads().get(1)).isNotEqualTo(rounds.payloads().get(0));
            if (e.id().startsWith("13.")) {
                Matcher a = accept.matcher(e.subcategory());
                assertThat(a.find()).as(e.id()).isTrue();
                assertThat(script.deflate().describe()).as(e.id()).isEqualTo(a.group(1));
            } else {
                assertThat(script.deflate()).isEqualTo(DeflateAccept.AS_OFFERED);
            }
            checked++;
        }
        assertThat(checked).isEqualTo(216);
    }

    @Test
    void compressionWaitsScaleWithTheMessageCount() {
        assertThat(CompressionCases.waitSeconds(480, 1000)).isEqualTo(480);
        assertThat(CompressionCases.waitSeconds(60, 1000)).isEqualTo(60);
        assertThat(CompressionCases.waitSeconds(480, 50)).isEqualTo(24);
        assertThat(CompressionCases.waitSeconds(60, 50)).isEqualTo(CompressionCases.MIN_WAIT_SECONDS);
        assertThat(CompressionCases.all(1000)).hasSize(216)
                .allSatisfy(c -> assertThat(((Step.CompressedRounds) c.steps().get(1)).payloads()).hasSize(1000));
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
