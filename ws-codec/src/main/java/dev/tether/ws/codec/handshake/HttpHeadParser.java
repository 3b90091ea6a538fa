package dev.tether.ws.codec.handshake;

import dev.tether.ws.codec.internal.HttpSyntax;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Reads the head of an HTTP/1.1 message (RFC 7230 section 3: start line, header fields, empty
 * line) push style: feed it whatever bytes arrived, split anywhere, until it returns the head.
 * It consumes bytes up to and including the empty line and no further, so WebSocket frames
 * that a server sent right behind its 101, in the same segment, stay in the caller's buffer.
 *
 * <p>It is strict where leniency would let a peer smuggle meaning: header names must be
 * tokens, whitespace before the colon and obs-fold continuation lines are refused (RFC 7230
 * section 3.2.4), control characters are refused, and the head is bounded in size. It is lenient
 * in one place: a bare LF ends a line as well as CRLF does, as RFC 7230 section 3.5 permits,
 * because small embedded servers write LF-only heads and, with no message body to frame, an
 * endpoint cannot be confused by it. A bare CR is refused.
 *
 * <p>Both {@code HTTP/1.1} and {@code HTTP/1.0} start lines parse, so that an error answer from
 * an HTTP/1.0 intermediary reaches the caller with its status; the handshake validators
 * require HTTP/1.1.
 *
 * <p>Not thread-safe: one reading thread owns it. Use one per message; after a failure it
 * throws IllegalStateException.
 *
 * @param <T> {@link HttpResponseHead} or {@link HttpRequestHead}
 */
public final class HttpHeadParser<T> {
    public static final int DEFAULT_MAX_HEAD_BYTES = 16 * 1024;
    private static final int INITIAL_LINE_BYTES = 256;
    private static final int STATUS_BAD_REQUEST = 400;
    private static final int STATUS_TOO_LARGE = 431;

    private final boolean requests;
    private final int maxHeadBytes;
    private final BiFunction<String[], HttpHeaders, T> factory;

    // All fields below are owned by the reading thread.
    /** The line being read, without its terminator. */
    private byte[] line = new byte[INITIAL_LINE_BYTES];
    private int lineLength;
    private int lineNumber = 1;
    private boolean sawCr;
    private int headBytes;
    /** The start line's three parts once read. */
    private String[] startLine;
    private final HttpHeaders headers = new HttpHeaders();
    private T result;
    private boolean failed;

    private HttpHeadParser(boolean requests, int maxHeadBytes,
                           BiFunction<String[], HttpHeaders, T> factory) {
        if (maxHeadBytes < 16) {
            throw new IllegalArgumentException("maxHeadBytes too small: " + maxHeadBytes);
        }
        this.requests = requests;
        this.maxHeadBytes = maxHeadBytes;
        this.factory = factory;
    }

    /** A parser for a response head (the client's side), at most 16 KiB. */
    public static HttpHeadParser<HttpResponseHead> forResponses() {
        return forResponses(DEFAULT_MAX_HEAD_BYTES);
    }

    public static HttpHeadParser<HttpResponseHead> forResponses(int maxHeadBytes) {
        return new HttpHeadParser<>(false, maxHeadBytes,
                (s, h) -> new HttpResponseHead(s[0], Integer.parseInt(s[1]), s[2], h));
    }

    /** A parser for a request head (the server's side), at most 16 KiB. */
    public static HttpHeadParser<HttpRequestHead> forRequests() {
        return forRequests(DEFAULT_MAX_HEAD_BYTES);
    }

    public static HttpHeadParser<HttpRequestHead> forRequests(int maxHeadBytes) {
        return new HttpHeadParser<>(true, maxHeadBytes, (s, h) -> new HttpRequestHead(s[0], s[1], s[2], h));
    }

    /**
     * Consumes bytes from {@code in} until the head is complete or {@code in} is empty.
     *
     * @return the head once its empty line has been read (and on every later call, consuming
     *     nothing more); empty while more bytes are needed
     * @throws HandshakeException if the bytes are not a well-formed head or it is larger than
     *     the limit; in request mode it carries the status to answer with, 400 or 431
     */
    public Optional<T> parse(ByteBuffer in) throws HandshakeException {
        if (result != null) {
            return Optional.of(result);
        }
        if (failed) {
            throw new IllegalStateException("the parser failed earlier");
        }
        try {
            while (in.hasRemaining()) {
                if (headBytes == maxHeadBytes) {
                    throw new HandshakeException(noun() + " head exceeds " + maxHeadBytes + " bytes",
                            requests ? STATUS_TOO_LARGE : -1, HttpHeaders.empty());
                }
                int b = in.get() & 0xFF;
                headBytes++;
                if (b == '\n') {
                    sawCr = false;
                    if (endOfLine()) {
                        result = factory.apply(startLine, HttpHeaders.copyOf(headers));
                        line = null;
                        return Optional.of(result);
                    }
                } else if (sawCr) {
                    throw malformed("CR not followed by LF");
                } else if (b == '\r') {
                    sawCr = true;
                } else if ((b < 0x20 && b != '\t') || b == 0x7F) {
                    throw malformed(String.format("control character 0x%02X", b));
                } else {
                    append(b);
                }
            }
            return Optional.empty();
        } catch (HandshakeException e) {
            failed = true;
            throw e;
        }
    }

    private void append(int b) {
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, Math.min(line.length * 2, maxHeadBytes));
        }
        line[lineLength++] = (byte) b;
    }

    /** Handles a complete line; true when it was the empty line that ends the head. */
    private boolean endOfLine() throws HandshakeException {
        // ISO-8859-1 maps each octet to one char, so obs-text survives and nothing can fail.
        String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
        lineLength = 0;
        try {
            if (startLine == null) {
                // RFC 7230 section 3.5: a server should ignore empty lines before the request line.
                if (!(requests && text.isEmpty())) {
                    startLine = requests ? requestLine(text) : statusLine(text);
                }
                return false;
            }
            if (text.isEmpty()) {
                return true;
            }
            headerLine(text);
            return false;
        } finally {
            lineNumber++;
        }
    }

    /** {@code status-line = HTTP-version SP status-code SP reason-phrase}, RFC 7230 section 3.1.2.
     * A missing "SP reason-phrase" is tolerated: some servers omit it, and it carries nothing. */
    private String[] statusLine(String text) throws HandshakeException {
        boolean ok = text.length() >= 12 && isVersion(text.substring(0, 8)) && text.charAt(8) == ' '
                && text.charAt(9) >= '1' && text.charAt(9) <= '5'
                && isDigit(text.charAt(10)) && isDigit(text.charAt(11))
                && (text.length() == 12 || text.charAt(12) == ' ');
        if (!ok) {
            throw malformed("malformed status line " + HttpSyntax.quote(text)
                    + ", expected HTTP/1.1, a 3-digit status code and a reason phrase");
        }
        return new String[] {text.substring(0, 8), text.substring(9, 12),
            text.length() == 12 ? "" : text.substring(13)};
    }

    /** {@code request-line = method SP request-target SP HTTP-version}, RFC 7230 section 3.1.1. */
    private String[] requestLine(String text) throws HandshakeException {
        String[] parts = text.split(" ", -1);
        if (parts.length != 3 || !HttpSyntax.isToken(parts[0]) || !isTarget(parts[1])
                || !isVersion(parts[2])) {
            throw malformed("malformed request line " + HttpSyntax.quote(text)
                    + ", expected method, target and HTTP/1.1 separated by single spaces");
        }
        return parts;
    }

    /** {@code header-field = field-name ":" OWS field-value OWS}, RFC 7230 section 3.2. */
    private void headerLine(String text) throws HandshakeException {
        if (HttpSyntax.isOws(text.charAt(0))) {
            throw malformed("obsolete line folding is refused (RFC 7230 section 3.2.4): "
                    + HttpSyntax.quote(text));
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw malformed("header line without a colon: " + HttpSyntax.quote(text));
        }
        String name = text.substring(0, colon);
        if (!name.isEmpty() && HttpSyntax.isOws(name.charAt(name.length() - 1))) {
            throw malformed("whitespace before the colon is refused (RFC 7230 section 3.2.4): "
                    + HttpSyntax.quote(text));
        }
        if (!HttpSyntax.isToken(name)) {
            throw malformed("header name " + HttpSyntax.quote(name) + " is not a token");
        }
        headers.add(name, HttpSyntax.trimOws(text.substring(colon + 1)));
    }

    private static boolean isVersion(String s) {
        return s.equals("HTTP/1.1") || s.equals("HTTP/1.0");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Origin-form or absolute-form targets hold visible ASCII only (RFC 3986 section 2). */
    private static boolean isTarget(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) <= 0x20 || s.charAt(i) >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    private HandshakeException malformed(String detail) {
        return new HandshakeException(noun() + " line " + lineNumber + ": " + detail,
                requests ? STATUS_BAD_REQUEST : -1, HttpHeaders.empty());
    }

    private String noun() {
        return requests ? "request" : "response";
    }
}
