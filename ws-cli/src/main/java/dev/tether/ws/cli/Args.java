package dev.tether.ws.cli;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A cursor over the command line, for parsers written as a plain loop and switch:
 *
 * <pre>{@code
 * while (args.hasNext()) {
 *     String arg = args.next();
 *     if (args.positional()) {
 *         url = args.only(url, "URL");
 *         continue;
 *     }
 *     switch (arg) {
 *         case "-q", "--quiet" -> quiet = args.flag();
 *         case "--port" -> port = args.port(true);
 *         default -> throw args.unknown();
 *     }
 * }
 * }</pre>
 *
 * Options take their value as the next argument or after {@code =} ({@code --port 80},
 * {@code --port=80}); {@code --} ends the options. Every mistake is a {@link UsageException}
 * that names the option.
 */
public final class Args {
    private final List<String> argv;
    private int next;
    /** The argument just read (for {@code --name=value}, {@code --name}). */
    private String current;
    /** Its value when written as {@code --name=value}; null otherwise. */
    private String inline;
    private boolean positional;
    private boolean optionsEnded;

    public Args(String... argv) {
        this.argv = Arrays.asList(argv.clone());
    }

    public boolean hasNext() {
        if (!optionsEnded && next < argv.size() && argv.get(next).equals("--")) {
            optionsEnded = true;
            next++;
        }
        return next < argv.size();
    }

    /** The next argument; for {@code --name=value} this is {@code --name}, and {@link #value()} returns the rest. */
    public String next() {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException("no more arguments");
        }
        String arg = argv.get(next++);
        inline = null;
        positional = optionsEnded || !arg.startsWith("-") || arg.equals("-");
        if (!positional && arg.startsWith("--") && arg.indexOf('=') > 2) {
            inline = arg.substring(arg.indexOf('=') + 1);
            arg = arg.substring(0, arg.indexOf('='));
        }
        current = arg;
        return arg;
    }

    /** Whether the argument just read is positional: not an option, or after {@code --}. */
    public boolean positional() {
        return positional;
    }

    /** The positional argument just read, which must be the only one: {@code previous} is the earlier one, or null. */
    public String only(String previous, String what) throws UsageException {
        if (previous != null) {
            throw new UsageException("unexpected argument '" + current + "': only one " + what + " may be given");
        }
        return current;
    }

    /** The complaint about the option just read, for the switch's default branch. */
    public UsageException unknown() {
        return new UsageException("unknown option " + current);
    }

    /** The current option's value: after {@code =}, or the next argument. */
    public String value() throws UsageException {
        if (inline != null) {
            return inline;
        }
        if (next >= argv.size()) {
            throw new UsageException(current + " needs a value");
        }
        return argv.get(next++);
    }

    /** For an option without a value: true, or a complaint about {@code --flag=value}. */
    public boolean flag() throws UsageException {
        if (inline != null) {
            throw new UsageException(current + " takes no value (got '" + inline + "')");
        }
        return true;
    }

    /** A number of seconds, fractions allowed ({@code 0.5}); at least {@code min} seconds. */
    public Duration seconds(double min) throws UsageException {
        String v = value();
        BigDecimal s;
        try {
            s = new BigDecimal(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(current + " expects a number of seconds, got '" + v + "'");
        }
        if (s.compareTo(BigDecimal.valueOf(min)) < 0 || s.compareTo(BigDecimal.valueOf(86_400L * 365)) > 0) {
            throw new UsageException(current + " must be at least " + BigDecimal.valueOf(min).stripTrailingZeros()
                    .toPlainString() + " seconds (and under a year), got " + v);
        }
        return Duration.ofNanos(s.movePointRight(9).longValue());
    }

    /** A whole number in {@code [min, max]}. */
    public long number(long min, long max) throws UsageException {
        String v = value();
        long n;
        try {
            n = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(current + " expects a whole number, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new UsageException(current + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /** A TCP port; 0 when {@code zeroAllowed} (any free port). */
    public int port(boolean zeroAllowed) throws UsageException {
        return (int) number(zeroAllowed ? 0 : 1, 65_535);
    }

    /** A file path (checked by whoever uses it: the messages name the option and the file). */
    public Path path() throws UsageException {
        String v = value();
        if (v.isBlank()) {
            throw new UsageException(current + " needs a file name");
        }
        return Path.of(v);
    }

    /** One of {@code choices}, case-insensitive, returned as written in {@code choices}. */
    public String choice(String... choices) throws UsageException {
        String v = value();
        for (String c : choices) {
            if (c.equalsIgnoreCase(v.strip())) {
                return c;
            }
        }
        throw new UsageException(current + " must be one of " + String.join(", ", choices) + ", got '" + v + "'");
    }
}
