package dev.tether.ws.codec.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Sec-WebSocket-Extensions grammar of RFC 6455 section 9.1. */
class ExtensionSpecTest {

    @Test
    void parsesSeveralExtensionsWithTokenQuotedAndBareParameters() {
        List<ExtensionSpec> specs = ExtensionSpec.parseHeader(
                "foo, bar; baz=2 ,permessage-deflate ;client_max_window_bits; x=\"1\\5\"\t, ,");
        assertThat(specs).containsExactly(
                ExtensionSpec.of("foo"),
                new ExtensionSpec("bar", Map.of("baz", "2")),
                new ExtensionSpec("permessage-deflate", Map.of("client_max_window_bits", "", "x", "15")));
    }

    @Test
    void writesTheHeaderForm() {
        List<ExtensionSpec> specs = ExtensionSpec.parseHeader("a; p=\"1\"; q, b");
        assertThat(ExtensionSpec.toHeaderValue(specs)).isEqualTo("a; p=1; q, b");
        assertThat(ExtensionSpec.parseHeader(ExtensionSpec.toHeaderValue(specs))).isEqualTo(specs);
    }

    @Test
    void toleratesAnEmptyValue() {
        assertThat(ExtensionSpec.parseHeader(" ")).isEmpty();
    }

    @Test
    void refusesMalformedValuesSayingWhere() {
        assertThatThrownBy(() -> ExtensionSpec.parseHeader("foo; a=\"x y\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quoted value \"x y\" is not a token (RFC 6455 section 9.1) at index 7 of \"foo; a=\"x y\"\"");
        assertThatThrownBy(() -> ExtensionSpec.parseHeader("foo; a=\"xy"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unterminated quoted string");
        assertThatThrownBy(() -> ExtensionSpec.parseHeader("foo bar"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expected ';' or ',' at index 4");
        assertThatThrownBy(() -> ExtensionSpec.parseHeader("foo; a=1; a=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("parameter a repeated in extension foo");
        assertThatThrownBy(() -> ExtensionSpec.parseHeader("foo; a="))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expected a parameter value at index 7");
        assertThatThrownBy(() -> ExtensionSpec.parseHeader("; a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expected an extension name at index 0");
    }
}
