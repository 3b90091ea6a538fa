package dev.tether.ws.tls;

import java.io.IOException;
import java.nio.file.Path;

/** A PEM file that cannot be used: its message is the file and why ("/etc/app/key.pem: wrong password"). */
public final class PemFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The file; transient: a Path is not serializable. */
    private final transient Path file;
    /** Why the file cannot be used. */
    private final String reason;

    /**
     * @param file the file that cannot be used
     * @param reason why, as the message shows it
     * @param cause the underlying failure, or null
     */
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
