package dev.tether.ws.bench.e2e;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How big an end-to-end run is, from environment variables (all optional):
 *
 * <ul>
 *   <li>{@code E2E_REPEATS} (5): measurements per row and client, interleaved across clients;</li>
 *   <li>{@code E2E_SCALE} (1.0): factor on every row's message count (0.02 for a smoke run);</li>
 *   <li>{@code E2E_MIN_SECONDS} (0.5): the least time a measurement with messages in flight
 *       lasts: it sends past its count until then, so that a fast client's figure is not taken
 *       over a few clock ticks (1 MiB messages at 1 GB/s and {@code E2E_SCALE=0.3}: 40 ms);</li>
 *   <li>{@code E2E_CLIENTS} (all): comma-separated stack names;</li>
 *   <li>{@code E2E_ROWS} (all): comma-separated row ids or prefixes ({@code rtt,wss,fanin});</li>
 *   <li>{@code E2E_FANIN_N} (1000), {@code E2E_FANIN_SECONDS} (30), {@code E2E_FANIN_WARMUP}
 *       (5), {@code E2E_FANIN_HZ} (20), {@code E2E_FANIN_SIZE} (256): the fan-in run.</li>
 * </ul>
 */
record Settings(int repeats, double scale, double minSeconds, List<String> clients, List<String> rows, int fanInConnections,
                double fanInSeconds, double fanInWarmup, int fanInHz, int fanInSize) {

    static Settings fromEnv(Map<String, String> env) {
        return new Settings(
                Integer.parseInt(env.getOrDefault("E2E_REPEATS", "5")),
                Double.parseDouble(env.getOrDefault("E2E_SCALE", "1")),
                Double.parseDouble(env.getOrDefault("E2E_MIN_SECONDS", "0.5")),
                list(env.get("E2E_CLIENTS"), Clients.NAMES),
                "all".equals(env.get("E2E_ROWS")) ? List.of() : list(env.get("E2E_ROWS"), List.of()),
                Integer.parseInt(env.getOrDefault("E2E_FANIN_N", "1000")),
                Double.parseDouble(env.getOrDefault("E2E_FANIN_SECONDS", "30")),
                Double.parseDouble(env.getOrDefault("E2E_FANIN_WARMUP", "5")),
                Integer.parseInt(env.getOrDefault("E2E_FANIN_HZ", "20")),
                Integer.parseInt(env.getOrDefault("E2E_FANIN_SIZE", "256")));
    }

    Settings {
        if (repeats < 1 || scale <= 0 || minSeconds < 0 || fanInConnections < 1 || fanInSeconds <= 0 || fanInHz < 1 || fanInSize < 8) {
            throw new IllegalArgumentException("bad end-to-end settings: " + this);
        }
        for (String c : clients) {
            Clients.maker(c);  // fails naming the stacks when c is none of them
        }
    }

    private static List<String> list(String value, List<String> fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Whether the row (or "fanin") is selected: no E2E_ROWS, or an entry that is its id or a prefix of it. */
    boolean selects(String rowId) {
        return rows.isEmpty() || rows.stream().anyMatch(rowId::startsWith);
    }

    /** A row's message count after {@link #scale}, at least {@code min}. */
    int count(int base, int min) {
        return Math.max(min, (int) Math.round(base * scale));
    }

    /** {@link #minSeconds} in nanoseconds. */
    long minNanos() {
        return Math.round(minSeconds * 1e9);
    }

    /** One line for the TSV's header comments. */
    String describe() {
        return String.format(Locale.ROOT, "repeats=%d scale=%s min_s=%s clients=%s fanin_n=%d fanin_s=%s fanin_warmup_s=%s "
                        + "fanin_hz=%d fanin_size=%d", repeats, scale, minSeconds, String.join(",", clients), fanInConnections,
                fanInSeconds, fanInWarmup, fanInHz, fanInSize);
    }
}
