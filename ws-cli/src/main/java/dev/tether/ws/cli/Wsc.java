package dev.tether.ws.cli;

import dev.tether.ws.cli.client.ClientCommand;
import dev.tether.ws.cli.demo.Demo;
import dev.tether.ws.cli.serve.ServeCommand;
import java.util.Arrays;

/** {@code wsc}: the command line's entry point. {@code wsc --help} says what it does. */
public final class Wsc {
    private static final String LOG_FORMAT = "java.util.logging.SimpleFormatter.format";

    private Wsc() {
    }

    public static void main(String[] args) {
        // The library logs through System.Logger; on the JDK's default backend, one line per
        // record rather than a date line and a level line.
        if (System.getProperty(LOG_FORMAT) == null) {
            System.setProperty(LOG_FORMAT, "wsc: %4$s: %5$s%6$s%n");
        }
        int code = run(args);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs one command and returns its exit code ({@link ExitCode}). */
    public static int run(String... args) {
        try {
            if (args.length == 0) {
                System.err.print(Help.SHORT);
                return ExitCode.USAGE;
            }
            if (asksForHelp(args)) {
                System.out.print(Help.FULL);
                return ExitCode.OK;
            }
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            return switch (args[0]) {
                case "-V", "--version" -> {
                    System.out.println("wsc " + version());
                    yield ExitCode.OK;
                }
                case "serve" -> ServeCommand.run(rest);
                case "demo" -> Demo.run(rest);
                default -> ClientCommand.run(args);
            };
        } catch (UsageException e) {
            System.err.println("wsc: " + e.getMessage());
            System.err.println("(wsc --help lists the options)");
            return ExitCode.USAGE;
        }
    }

    /** {@code --help} or {@code -h} anywhere before {@code --}, or {@code wsc help}. */
    private static boolean asksForHelp(String[] args) {
        if (args[0].equals("help")) {
            return true;
        }
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** The module's version, or the jar's, or "development" when run from classes. */
    static String version() {
        String v = Wsc.class.getModule().getDescriptor() == null ? null
                : Wsc.class.getModule().getDescriptor().rawVersion().orElse(null);
        if (v == null) {
            v = Wsc.class.getPackage().getImplementationVersion();
        }
        return (v == null ? "development" : v) + " (Java " + Runtime.version().feature() + ")";
    }
}
