package dev.tether.ws.codec.handshake;

/**
 * Serializes an HTTP/1.1 message head (RFC 7230 section 3): start line, one line per header
 * field, empty line, each ended by CRLF, straight into one array of the right size. Values were
 * checked when added to the HttpHeaders, so none can break a line; each char of a value is
 * written as the one octet it stands for (ISO-8859-1, RFC 7230 section 3.2.4).
 *
 * <p>Used twice over the same calls: {@link #counting()} first, to learn the size, then again
 * after {@link #allocate()} into an array of that size. Not thread-safe: a local of the writing
 * method.
 */
final class HeadWriter {
    /** Null while counting. */
    private byte[] out;
    private int length;

    private HeadWriter(byte[] out) {
        this.out = out;
    }

    static HeadWriter counting() {
        return new HeadWriter(null);
    }

    static HeadWriter into(int size) {
        return new HeadWriter(new byte[size]);
    }

    /** Ends counting: the same calls again now write into an array of the size counted. */
    HeadWriter allocate() {
        out = new byte[length];
        length = 0;
        return this;
    }

    /** The head followed by {@code body}, in one array. */
    static byte[] write(String startLine, HttpHeaders headers, byte[] body) {
        int size = startLine.length() + 2 + headers.wireLength() + 2 + body.length;
        HeadWriter w = into(size).text(startLine).crlf().fields(headers).crlf();
        System.arraycopy(body, 0, w.out, w.length, body.length);
        return w.out;
    }

    /** Chars at most 0xFF (checked by the caller), each as its octet. */
    HeadWriter text(String s) {
        if (out != null) {
            for (int i = 0; i < s.length(); i++) {
                out[length + i] = (byte) s.charAt(i);
            }
        }
        length += s.length();
        return this;
    }

    HeadWriter octets(byte[] b) {
        if (out != null) {
            System.arraycopy(b, 0, out, length, b.length);
        }
        length += b.length;
        return this;
    }

    /** A non-negative number in decimal digits, as a port is written after a host. */
    HeadWriter decimal(int n) {
        int digits = 1;
        for (int rest = n / 10; rest > 0; rest /= 10) {
            digits++;
        }
        if (out != null) {
            for (int i = length + digits - 1, rest = n; i >= length; i--, rest /= 10) {
                out[i] = (byte) ('0' + rest % 10);
            }
        }
        length += digits;
        return this;
    }

    HeadWriter crlf() {
        if (out != null) {
            out[length] = '\r';
            out[length + 1] = '\n';
        }
        length += 2;
        return this;
    }

    HeadWriter field(String name, String value) {
        return text(name).text(": ").text(value).crlf();
    }

    HeadWriter field(String name, byte[] value) {
        return text(name).text(": ").octets(value).crlf();
    }

    HeadWriter fields(HttpHeaders headers) {
        length = out == null ? length + headers.wireLength() : headers.writeTo(out, length);
        return this;
    }

    /** The array written; all of it once the same calls as while counting were made. */
    byte[] bytes() {
        return out;
    }
}
