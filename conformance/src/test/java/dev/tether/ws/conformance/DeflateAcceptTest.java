package dev.tether.ws.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.codec.deflate.DeflateOffer;
import dev.tether.ws.codec.deflate.DeflateParams;
import dev.tether.ws.codec.handshake.ExtensionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The suite's server-side accept functions, and what the client then agrees to. */
class DeflateAcceptTest {

    private static List<ExtensionSpec> offers(String header) {
        return ExtensionSpec.parseHeader(header);
    }

    @Test
    void asOfferedAnswersWithWhatTheClientAskedOfTheServer() {
        DeflateAccept.Outcome o = DeflateAccept.AS_OFFERED.negotiate(offers("permessage-deflate; client_max_window_bits"));
        assertThat(o.answer().toHeaderValue()).isEqualTo("permessage-deflate");
        assertThat(o.params()).isEqualTo(new DeflateParams(15, 15, false, false));

        o = DeflateAccept.AS_OFFERED.negotiate(offers("permessage-deflate; server_no_context_takeover; server_max_window_bits=10"));
        assertThat(o.answer().toHeaderValue())
                .isEqualTo("permessage-deflate; server_no_context_takeover; server_max_window_bits=10");
        assertThat(o.params()).isEqualTo(new DeflateParams(15, 10, false, true));
    }

    @Test
    void aWindowIsAskedOnlyOfAClientThatOfferedClientMaxWindowBits() {
        DeflateAccept nine = CompressionCases.ACCEPT_13.get(2);  // (False, 9)
        DeflateAccept.Outcome o = nine.negotiate(offers("permessage-deflate; client_max_window_bits"));
        assertThat(o.answer().toHeaderValue()).isEqualTo("permessage-deflate; client_max_window_bits=9");
        assertThat(o.params().clientMaxWindowBits()).isEqualTo(9);

        o = nine.negotiate(offers("permessage-deflate"));
        assertThat(o.negotiated()).isFalse();
        assertThat(String.join(" ", o.notes())).contains("client_max_window_bits must be offered");

        // Never more than the client offered (RFC 7692 section 7.1.2.2).
        o = CompressionCases.ACCEPT_13.get(3).negotiate(offers("permessage-deflate; client_max_window_bits=10"));
        assertThat(o.answer().toHeaderValue()).isEqualTo("permessage-deflate; client_max_window_bits=10");
    }

    @Test
    void theLastAcceptFunctionFallsBackInItsOrder() {
        DeflateAccept seven = CompressionCases.ACCEPT_13.get(6);  // (True, 9), (True, 0), (False, 0)
        assertThat(seven.describe()).isEqualTo("[(True, 9), (True, 0), (False, 0)]");
        assertThat(seven.negotiate(offers("permessage-deflate; client_max_window_bits")).answer().toHeaderValue())
                .isEqualTo("permessage-deflate; client_no_context_takeover; client_max_window_bits=9");
        assertThat(seven.negotiate(offers("permessage-deflate")).answer().toHeaderValue())
                .isEqualTo("permessage-deflate; client_no_context_takeover");
    }

    @Test
    void anOfferSection71RefusesIsDeclinedAndTheNextOneTried() {
        DeflateAccept.Outcome o = DeflateAccept.AS_OFFERED.negotiate(offers(
                "permessage-deflate; mystery, permessage-deflate; server_max_window_bits=08, "
                        + "permessage-deflate; server_max_window_bits, permessage-deflate; client_no_context_takeover=1, "
                        + "x-other, permessage-deflate; server_max_window_bits=12"));
        assertThat(o.answer().toHeaderValue()).isEqualTo("permessage-deflate; server_max_window_bits=12");
        assertThat(o.notes()).filteredOn(n -> n.startsWith("declined")).hasSize(4);
        assertThat(DeflateAccept.AS_OFFERED.negotiate(offers("x-webkit-deflate-frame")).negotiated()).isFalse();
        assertThat(DeflateAccept.AS_OFFERED.negotiate(List.of()).notes())
                .contains("the client did not offer permessage-deflate");
    }

    /** The driver's offer in each 13.x subcategory, answered by that subcategory's accept
     * function, is agreed to the same parameters by both sides. */
    @Test
    void bothSidesAgreeInEverySubcategory() throws Exception {
        for (int j = 1; j <= 7; j++) {
            DeflateOffer offer = ConformanceDriver.offerFor("13." + j + ".1");
            DeflateAccept.Outcome o = CompressionCases.ACCEPT_13.get(j - 1).negotiate(List.of(offer.toExtension()));
            assertThat(o.negotiated()).as("13.%d", j).isTrue();
            assertThat(DeflateParams.accept(offer, o.answer())).as("13.%d: %s", j, o.answer()).isEqualTo(o.params());
        }
        assertThat(ConformanceDriver.offerFor("12.3.4")).isEqualTo(DeflateOffer.DEFAULT);
        assertThat(ConformanceDriver.offerFor("9.1.1")).isNull();
        assertThat(ConformanceDriver.offerFor("1.1.1")).isNull();
    }
}
