package dev.tether.ws.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.cli.WscProcess.Result;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code wsc demo}, the README's main command, as a user runs it. */
class DemoIT {

    @Test
    void theDemoRunsTheSeedsExamplesAndEndsWell() throws Exception {
        try (WscProcess demo = WscProcess.start("demo")) {
            demo.closeInput();
            Result r = demo.await(Duration.ofSeconds(30));
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains(
                    "attempt 1: connect() = false",
                    "connect() = true, state() = OPEN",
                    "r.ok() = true, r.data().text() = \"www.openluat.com\"",
                    "\"Hello, fragments!\" (joined into one message)",
                    "[pong] \"are you there?\"",
                    "[close] 1002 协议错误",
                    "[proc] got \"via start\"",
                    "[close] 1001 server stopping",
                    "[proc] got \"back again\"",
                    "start() returned; state() = CLOSED",
                    "Demo finished in");
        }
    }
}
