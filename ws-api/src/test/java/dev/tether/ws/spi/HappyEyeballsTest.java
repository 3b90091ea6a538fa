package dev.tether.ws.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8305 section 4: the order in which a host's addresses are tried. */
class HappyEyeballsTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void familiesAlternateStartingWithTheResolversFirstChoice() throws Exception {
        List<InetAddress> v6First = List.of(ip("::1"), ip("::2"), ip("127.0.0.1"), ip("127.0.0.2"));
        assertThat(HappyEyeballs.interleave(v6First))
                .containsExactly(ip("::1"), ip("127.0.0.1"), ip("::2"), ip("127.0.0.2"));
        List<InetAddress> v4First = List.of(ip("127.0.0.1"), ip("127.0.0.2"), ip("::1"));
        assertThat(HappyEyeballs.interleave(v4First))
                .containsExactly(ip("127.0.0.1"), ip("::1"), ip("127.0.0.2"));
    }

    @Test
    void oneFamilyKeepsTheResolversOrder() throws Exception {
        List<InetAddress> v4 = List.of(ip("127.0.0.3"), ip("127.0.0.1"), ip("127.0.0.2"));
        assertThat(HappyEyeballs.interleave(v4)).containsExactlyElementsOf(v4);
    }
}
