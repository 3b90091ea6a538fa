package dev.tether.ws.codec.deflate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.codec.Role;
import dev.tether.ws.codec.handshake.ExtensionSpec;
import dev.tether.ws.codec.handshake.HandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server's answer to our offer, checked as RFC 7692 section 7.1 says. */
class DeflateParamsTest {

    private static DeflateParams accept(DeflateOffer offer, String answer) throws HandshakeException {
        return DeflateParams.accept(offer, ExtensionSpec.parseHeader(answer).get(0));
    }

    @Test
    void offersAreWrittenAsHeaderValues() {
        assertThat(DeflateOffer.DEFAULT.toHeaderValue()).isEqualTo("permessage-deflate; client_max_window_bits");
        assertThat(new DeflateOffer(10, 12, true, true).toHeaderValue()).isEqualTo(
                "permessage-deflate; client_max_window_bits=10; server_max_window_bits=12; "
                        + "client_no_context_takeover; server_no_context_takeover");
        assertThat(new DeflateOffer(-1, -1, false, false).toHeaderValue()).isEqualTo("permessage-deflate");
        assertThatThrownBy(() -> new DeflateOffer(16, -1, false, false)).hasMessageContaining("8-15");
    }

    @Test
    void plainAnswerMeansFullWindowsAndContextTakeover() throws Exception {
        DeflateParams p = accept(DeflateOffer.DEFAULT, "permessage-deflate");
        assertThat(p).isEqualTo(new DeflateParams(15, 15, false, false));
    }

    @Test
    void serverMayLimitOurWindowWhenWeOfferedItAndAskForNoContextTakeover() throws Exception {
        DeflateParams p = accept(DeflateOffer.DEFAULT,
                "permessage-deflate; client_max_window_bits=9; client_no_context_takeover; server_no_context_takeover");
        assertThat(p.sendWindowBits(Role.CLIENT)).isEqualTo(9);
        assertThat(p.sendNoContextTakeover(Role.CLIENT)).isTrue();
        assertThat(p.receiveNoContextTakeover(Role.CLIENT)).isTrue();
        assertThat(p.sendWindowBits(Role.SERVER)).isEqualTo(15);
    }

    @Test
    void ourOwnPromisesHoldWhetherOrNotTheServerRepeatsThem() throws Exception {
        DeflateParams p = accept(new DeflateOffer(10, -1, true, false), "permessage-deflate");
        assertThat(p.clientMaxWindowBits()).isEqualTo(10);
        assertThat(p.clientNoContextTakeover()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "permessage-deflate; client_max_window_bits=10        | -1 | -1 | which we did not offer",
            "permessage-deflate; client_max_window_bits=12        | 10 | -1 | above the 10 we offered",
            "permessage-deflate; server_max_window_bits=12        | 0  | 10 | above the 10 we asked for",
            "permessage-deflate; server_max_window_bits=16        | 0  | -1 | is not 8-15",
            "permessage-deflate; server_max_window_bits=7         | 0  | -1 | is not 8-15",
            "permessage-deflate; server_max_window_bits=010       | 0  | -1 | is not 8-15",
            "permessage-deflate; server_max_window_bits           | 0  | -1 | without a value",
            "permessage-deflate; client_max_window_bits           | 0  | -1 | without a value",
            "permessage-deflate; server_no_context_takeover=1     | 0  | -1 | takes none",
            "permessage-deflate; mystery=1                        | 0  | -1 | unknown parameter mystery"})
    void refusesAnswersWeDidNotAllow(String answer, int clientBits, int serverBits, String why) {
        DeflateOffer offer = new DeflateOffer(clientBits, serverBits, false, false);
        assertThatThrownBy(() -> accept(offer, answer)).isInstanceOf(HandshakeException.class)
                .hasMessageContaining(why);
    }
}
