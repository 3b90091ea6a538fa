package dev.tether.ws.codec.handshake;

import dev.tether.ws.codec.internal.HttpSyntax;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

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
 * <p>The head is kept as the octets that arrived, without line ends, and the headers handed out
 * are ranges of that one array (see {@link HttpHeaders}): no String per field unless asked for.
 *
 * <p>Not thread-safe: one reading thread owns it. Use one per message; after a failure it
 * throws IllegalStateException.
 *
 * @param <T> {@link HttpResponseHead} or {@link HttpRequestHead}
 */
public final class HttpHeadParser<T> {
    public static final int DEFAULT_MAX_HEAD_BYTES = 16 * 1024;
    /** The head array starts at what the first read holds, within these bounds. */
    private static final int MIN_INITIAL_HEAD = 64;
    private static final int MAX_INITIAL_HEAD = 512;
    /** Room for the fields of a typical 101 (Upgrade, Connection, Sec-WebSocket-Accept, a few more). */
    private static final int INITIAL_FIELDS = 6;
    private static final int STATUS_BAD_REQUEST = 400;
    private static final int STATUS_TOO_LARGE = 431;
    private static final String HTTP_11 = "HTTP/1.1";
    private static final String HTTP_10 = "HTTP/1.0";
    /** The reason phrase of nearly every 101 (RFC 7231 section 6.2.2), shared rather than decoded. */
    private static final String SWITCHING_PROTOCOLS = "Switching Protocols";

    private final boolean requests;
    private final int maxHeadBytes;

    // All fields below are owned by the reading thread.
    /** The octets of the head without line ends: the line being read, then (after the start
     * line) every field line before it; null until the first bytes arrive. */
    private byte[] head;
    private int headLength;
    /** Where the line being read starts in {@link #head}. */
    private int lineStart;
    /** Name start, name end, value start and value end of each field line, into {@link #head}. */
    private int[] bounds = new int[INITIAL_FIELDS * 4];
    private int fields;
    private int lineNumber = 1;
    private boolean sawCr;
    /** Bytes consumed, line ends included. */
    private int headBytes;
    private boolean startLineRead;
    /** The start line's parts once read: version for both, status and reason of a response,
     * method and target of a request. */
    private String version;
    private int statusCode;
    private String reason;
    private String method;
    private String target;
    private T result;
    private boolean failed;

    private HttpHeadParser(boolean requests, int maxHeadBytes) {
        if (maxHeadBytes < 16) {
            throw new IllegalArgumentException("maxHeadBytes too small: " + maxHeadBytes);
        }
        this.requests = requests;
        this.maxHeadBytes = maxHeadBytes;
    }

    /** A parser for a response head (the client's side), at most 16 KiB. */
    public static HttpHeadParser<HttpResponseHead> forResponses() {
        return forResponses(DEFAULT_MAX_HEAD_BYTES);
    }

    public static HttpHeadParser<HttpResponseHead> forResponses(int maxHeadBytes) {
        return new HttpHeadParser<>(false, maxHeadBytes);
    }

    /** A parser for a request head (the server's side), at most 16 KiB. */
    public static HttpHeadParser<HttpRequestHead> forRequests() {
        return forRequests(DEFAULT_MAX_HEAD_BYTES);
    }

    public static HttpHeadParser<HttpRequestHead> forRequests(int maxHeadBytes) {
        return new HttpHeadParser<>(true, maxHeadBytes);
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
        if (head == null) {
            // Sized for what has arrived: a head usually comes whole in one read.
            int most = Math.min(MAX_INITIAL_HEAD, maxHeadBytes);
            head = new byte[Math.clamp(in.remaining(), Math.min(MIN_INITIAL_HEAD, most), most)];
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
                        result = result();
                        head = null;
                        bounds = null;
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

    @SuppressWarnings("unchecked")
    private T result() {
        HttpHeaders headers = HttpHeaders.parsed(head, headLength, bounds, fields);
        return (T) (requests ? new HttpRequestHead(method, target, version, headers)
                : new HttpResponseHead(version, statusCode, reason, headers));
    }

    private void append(int b) {
        if (headLength == head.length) {
            head = Arrays.copyOf(head, Math.min(head.length * 2, maxHeadBytes));
        }
        head[headLength++] = (byte) b;
    }

    /** Handles a complete line; true when it was the empty line that ends the head. */
    private boolean endOfLine() throws HandshakeException {
        int start = lineStart;
        int end = headLength;
        try {
            if (!startLineRead) {
                // RFC 7230 section 3.5: a server should ignore empty lines before the request line.
                if (!(requests && start == end)) {
                    if (requests) {
                        requestLine(text(start, end));
                    } else {
                        statusLine(start, end);
                    }
                    startLineRead = true;
                }
                headLength = 0;  // only field lines stay in the head
            } else if (start == end) {
                return true;
            } else {
                headerLine(start, end);
            }
            lineStart = headLength;
            return false;
        } finally {
            lineNumber++;
        }
    }

    /** {@code status-line = HTTP-version SP status-code SP reason-phrase}, RFC 7230 section 3.1.2.
     * A missing "SP reason-phrase" is tolerated: some servers omit it, and it carries nothing. */
    private void statusLine(int start, int end) throws HandshakeException {
        int length = end - start;
        String v = length >= 8 ? version(start) : null;
        boolean ok = length >= 12 && v != null && head[start + 8] == ' '
                && head[start + 9] >= '1' && head[start + 9] <= '5'
                && isDigit(head[start + 10]) && isDigit(head[start + 11])
                && (length == 12 || head[start + 12] == ' ');
        if (!ok) {
            throw malformed("malformed status line " + HttpSyntax.quote(text(start, end))
                    + ", expected HTTP/1.1, a 3-digit status code and a reason phrase");
        }
        version = v;
        statusCode = (head[start + 9] - '0') * 100 + (head[start + 10] - '0') * 10 + (head[start + 11] - '0');
        if (length == 12) {
            reason = "";
        } else if (statusCode == 101 && matches(start + 13, end, SWITCHING_PROTOCOLS)) {
            reason = SWITCHING_PROTOCOLS;
        } else {
            reason = text(start + 13, end);
        }
    }

    /** The HTTP version at {@code start}, as one of the two constants, or null. */
    private String version(int start) {
        return matches(start, start + 8, HTTP_11) ? HTTP_11 : matches(start, start + 8, HTTP_10) ? HTTP_10 : null;
    }

    /** Whether head octets [start, end) spell the ASCII string {@code s}. */
    private boolean matches(int start, int end, String s) {
        if (end - start != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (head[start + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code request-line = method SP request-target SP HTTP-version}, RFC 7230 section 3.1.1. */
    private void requestLine(String text) throws HandshakeException {
        String[] parts = text.split(" ", -1);
        if (parts.length != 3 || !HttpSyntax.isToken(parts[0]) || !isTarget(parts[1])
                || !isVersion(parts[2])) {
            throw malformed("malformed request line " + HttpSyntax.quote(text)
                    + ", expected method, target and HTTP/1.1 separated by single spaces");
        }
        method = parts[0];
        target = parts[1];
        version = parts[2].equals(HTTP_11) ? HTTP_11 : HTTP_10;
    }

    /** {@code header-field = field-name ":" OWS field-value OWS}, RFC 7230 section 3.2. */
    private void headerLine(int start, int end) throws HandshakeException {
        if (HttpSyntax.isOws(head[start])) {
            throw malformed("obsolete line folding is refused (RFC 7230 section 3.2.4): "
                    + HttpSyntax.quote(text(start, end)));
        }
        int colon = start;
        while (colon < end && head[colon] != ':') {
            colon++;
        }
        if (colon == end) {
            throw malformed("header line without a colon: " + HttpSyntax.quote(text(start, end)));
        }
        if (colon > start && HttpSyntax.isOws(head[colon - 1])) {
            throw malformed("whitespace before the colon is refused (RFC 7230 section 3.2.4): "
                    + HttpSyntax.quote(text(start, end)));
        }
        boolean token = colon > start;
        for (int i = start; token && i < colon; i++) {
            token = HttpSyntax.isTokenChar(head[i] & 0xFF);
        }
        if (!token) {
            throw malformed("header name " + HttpSyntax.quote(text(start, colon)) + " is not a token");
        }
        int valueStart = colon + 1;
        int valueEnd = end;
        while (valueStart < valueEnd && HttpSyntax.isOws(head[valueStart])) {
            valueStart++;
        }
        while (valueEnd > valueStart && HttpSyntax.isOws(head[valueEnd - 1])) {
            valueEnd--;
        }
        if ((fields + 1) * 4 > bounds.length) {
            bounds = Arrays.copyOf(bounds, bounds.length * 2);
        }
        int at = fields * 4;
        bounds[at] = start;
        bounds[at + 1] = colon;
        bounds[at + 2] = valueStart;
        bounds[at + 3] = valueEnd;
        fields++;
    }

    /** ISO-8859-1 maps each octet to one char, so obs-text survives and nothing can fail. */
    private String text(int start, int end) {
        return new String(head, start, end - start, StandardCharsets.ISO_8859_1);
    }

    private static boolean isVersion(String s) {
        return s.equals(HTTP_11) || s.equals(HTTP_10);
    }

    private static boolean isDigit(byte c) {
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
