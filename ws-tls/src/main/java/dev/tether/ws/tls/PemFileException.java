package dev.tether.ws.tls;

import java.io.IOException;
import java.nio.file.Path;

/** A PEM file that cannot be used: its message is the file and why ("/etc/app/key.pem: wrong password"). */
public final class PemFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    public PemFileException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /** The file that failed. */
    public Path file() {
        return file;
    }

    /** What is wrong with it, without the file name. */
    public String reason() {
        return reason;
    }
}
