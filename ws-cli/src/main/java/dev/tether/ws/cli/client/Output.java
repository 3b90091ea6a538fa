package dev.tether.ws.cli.client;

import dev.tether.ws.Message;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything the client prints, from any thread, one line at a time.
 *
 * <p>Messages go to stdout; what happens to the connection ("connected", "closed") goes to
 * stderr, and not at all with {@code -q}, so that {@code wsc -x ... | jq} sees only messages.
 * Text is written as UTF-8, unchanged: it is what a text message is on the wire.
 *
 * <p>On a terminal, a {@code > } prompt waits for input and received messages are shown as
 * {@code < text}. A message that arrives while the prompt is up erases the prompt's line first
 * and puts the prompt back after it, so the two never run into each other on one line. (What
 * was typed but not yet entered disappears from the screen, though the terminal still holds it
 * and Enter sends it: the terminal edits the line, not wsc.)
 */
final class Output {
    private static final String PROMPT = "> ";
    /** Carriage return, then ANSI "erase the whole line". */
    private static final String ERASE_LINE = "\r\u001b[2K";

    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;
    private final boolean quiet;
    private final BinaryFormat binary;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock: the prompt is the last thing on the screen. */
    private boolean promptShown;

    Output(boolean interactive, boolean quiet, BinaryFormat binary) {
        this(new PrintStream(System.out, false, StandardCharsets.UTF_8),
                new PrintStream(System.err, false, StandardCharsets.UTF_8), interactive, quiet, binary);
    }

    Output(PrintStream out, PrintStream err, boolean interactive, boolean quiet, BinaryFormat binary) {
        this.out = out;
        this.err = err;
        this.interactive = interactive && !quiet;
        this.quiet = quiet;
        this.binary = binary;
    }

    /** A received message: {@code < text} on a terminal, the bare text (or encoded bytes) otherwise. */
    void message(Message m) {
        String body = m.isText() ? m.text() : binary.format(m.bytes());
        if (interactive && !m.isText()) {
            body = "[binary, " + m.size() + " bytes] " + body;
        }
        print(out, interactive ? "< " + body : body);
    }

    /** What happens to the connection; nothing with {@code -q}. */
    void status(String line) {
        if (!quiet) {
            print(err, line);
        }
    }

    /** A failure the user must see, even with {@code -q}. */
    void error(String line) {
        print(err, line);
    }

    /** Shows the prompt on a terminal: after connecting, and after each line entered. */
    void prompt() {
        if (!interactive) {
            return;
        }
        lock.lock();
        try {
            if (!promptShown) {
                out.print(PROMPT);
                out.flush();
                promptShown = true;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The user pressed Enter: the terminal moved to a new line, and the prompt is gone. */
    void lineEntered() {
        lock.lock();
        try {
            promptShown = false;
        } finally {
            lock.unlock();
        }
    }

    /** No more prompts (input ended or the connection is over); ends a prompt's line. */
    void endPrompt() {
        lock.lock();
        try {
            if (promptShown) {
                out.print(ERASE_LINE);
                out.flush();
                promptShown = false;
            }
        } finally {
            lock.unlock();
        }
    }

    private void print(PrintStream stream, String line) {
        lock.lock();
        try {
            boolean reprompt = promptShown;
            if (promptShown) {
                out.print(ERASE_LINE);
                out.flush();
                promptShown = false;
            }
            stream.println(line);
            stream.flush();
            if (reprompt) {
                prompt();
            }
        } finally {
            lock.unlock();
        }
    }
}
