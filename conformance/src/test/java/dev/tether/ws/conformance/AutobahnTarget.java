package dev.tether.ws.conformance;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the real Autobahn fuzzing server is, if anywhere: {@code -Dautobahn.url} or
 * {@code AUTOBAHN_URL}, with its report folder from {@code -Dautobahn.reports} or
 * {@code AUTOBAHN_REPORTS}; else the file that {@code autobahn/run-docker.sh} writes once its
 * container serves (the {@code autobahn-docker} profile names it in {@code autobahn.docker.state}).
 *
 * @param url     the fuzzing server, {@code ws://host:port}; absent: nothing to run against
 * @param reports the server's {@code reports/clients} folder as this machine sees it, if known
 * @param why     when there is no server: why not, and how to run the tests
 */
record AutobahnTarget(Optional<URI> url, Optional<Path> reports, String why) {

    static final String HOW_TO_RUN = "To play every Autobahn client case against the real suite, start "
            + "`wstest -m fuzzingserver` (e.g. `docker run -it --rm -p 127.0.0.1:9001:9001 "
            + "-v $PWD/reports:/reports crossbario/autobahn-testsuite`) and run "
            + "`./mvnw verify -pl conformance -Dtest=RealAutobahnTest -Dautobahn.url=ws://127.0.0.1:9001 "
            + "-Dautobahn.reports=$PWD/reports/clients` (or set AUTOBAHN_URL and AUTOBAHN_REPORTS); "
            + "where a Docker engine runs, `./mvnw verify -pl conformance -Pautobahn-docker` does all of "
            + "that. See conformance/README.md.";

    static AutobahnTarget fromEnvironment() throws IOException {
        String url = setting("autobahn.url", "AUTOBAHN_URL");
        String reports = setting("autobahn.reports", "AUTOBAHN_REPORTS");
        if (url != null) {
            return new AutobahnTarget(Optional.of(URI.create(url)), Optional.ofNullable(reports).map(Path::of), "");
        }
        String state = System.getProperty("autobahn.docker.state");
        if (state != null && !state.isBlank()) {
            Path file = Path.of(state);
            if (!Files.isRegularFile(file)) {
                return none("The autobahn-docker profile started no fuzzing server (no Docker engine: "
                        + "`docker info` failed), so RealAutobahnTest is skipped. " + HOW_TO_RUN);
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            return new AutobahnTarget(Optional.of(URI.create(p.getProperty("url"))),
                    Optional.ofNullable(p.getProperty("reports")).map(Path::of), "");
        }
        return none("No Autobahn fuzzing server named (-Dautobahn.url / AUTOBAHN_URL), so "
                + "RealAutobahnTest is skipped. " + HOW_TO_RUN);
    }

    private static AutobahnTarget none(String why) {
        return new AutobahnTarget(Optional.empty(), Optional.empty(), why);
    }

    /** A system property, else an environment variable; blank counts as unset. */
    private static String setting(String property, String variable) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(variable);
        }
        return v == null || v.isBlank() ? null : v.strip();
    }
}
