package dev.tether.ws.cli;

import java.io.Console;

/** Whether wsc talks to a person at a terminal, or to a pipe or a file. */
public final class Terminal {
    private Terminal() {
    }

    /**
     * True when both stdin and stdout are a terminal. On JDK 21 {@link System#console()} is null
     * otherwise; from JDK 22 it may exist for pipes too, and {@code Console.isTerminal()} tells
     * (called reflectively: wsc compiles against JDK 21).
     */
    public static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
