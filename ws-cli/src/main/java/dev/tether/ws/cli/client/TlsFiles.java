package dev.tether.ws.cli.client;

import dev.tether.ws.TlsOptions;
import dev.tether.ws.cli.UsageException;
import java.io.ByteArrayInputStream;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;

/**
 * Turns the TLS flags into {@link TlsOptions}, checking each file first so that a wrong one is
 * a usage error naming the flag and the file (exit 2) rather than a failed connection: present,
 * readable, and holding what the flag says (a PEM certificate, a PEM private key). Reading the
 * key itself is the TLS module's work, at connect time.
 */
final class TlsFiles {
    /** Far above any real certificate chain or key; a bigger file is the wrong file. */
    private static final long MAX_FILE_BYTES = 1 << 20;

    private TlsFiles() {
    }

    /**
     * The seed's {@code cert} table from the flags. An encrypted {@code --key} without
     * {@code --password} asks for the password on the terminal, or fails when there is none.
     */
    static TlsOptions options(ClientOptions o, Console console) throws UsageException {
        TlsOptions tls = o.insecure() ? TlsOptions.insecureTrustAll() : TlsOptions.defaults();
        try {
            if (o.caCert() != null) {
                certificates("--cacert", o.caCert());
                tls = tls.caCert(o.caCert());
            }
            if (o.cert() != null) {
                certificates("--cert", o.cert());
                tls = tls.clientCert(o.cert());
                String key = privateKey(o.key());
                tls = tls.clientKey(o.key());
                char[] password = o.password();
                if (password == null && isEncrypted(key)) {
                    password = askPassword(o.key(), console);
                }
                if (password != null) {
                    tls = tls.clientPassword(password);
                }
            }
        } catch (IllegalArgumentException e) {
            // TlsOptions' own check of the file, in case it disagrees with ours.
            throw new UsageException(e.getMessage(), e);
        }
        return o.insist() ? tls.insist(true) : tls;
    }

    /** Checks that {@code file} holds at least one PEM X.509 certificate. */
    static void certificates(String flag, Path file) throws UsageException {
        String pem = read(flag, file);
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new UsageException(flag + " " + file + ": no PEM certificate in this file "
                    + "(expected a -----BEGIN CERTIFICATE----- block)");
        }
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            if (x509.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.ISO_8859_1))).isEmpty()) {
                throw new UsageException(flag + " " + file + ": no certificate could be read from this file");
            }
        } catch (CertificateException e) {
            throw new UsageException(flag + " " + file + ": not a valid certificate (" + e.getMessage() + ")", e);
        }
    }

    /** The PEM text of a private key file, after checking it looks like one. */
    static String privateKey(Path file) throws UsageException {
        String pem = read("--key", file);
        if (!pem.matches("(?s).*-----BEGIN [A-Z ]*PRIVATE KEY-----.*")) {
            throw new UsageException("--key " + file + ": no PEM private key in this file (expected a "
                    + "-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY, EC PRIVATE KEY or ENCRYPTED PRIVATE KEY block)");
        }
        return pem;
    }

    /** PKCS#8 encrypted, or the OpenSSL traditional form with a Proc-Type header. */
    static boolean isEncrypted(String pem) {
        return pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || pem.contains("Proc-Type: 4,ENCRYPTED");
    }

    private static char[] askPassword(Path key, Console console) throws UsageException {
        if (console == null) {
            throw new UsageException("--key " + key + " is encrypted: give its password with --password "
                    + "(there is no terminal to ask on)");
        }
        char[] password = console.readPassword("Password for %s: ", key);
        if (password == null) {
            throw new UsageException("--key " + key + " is encrypted and no password was entered");
        }
        return password;
    }

    private static String read(String flag, Path file) throws UsageException {
        try {
            if (!Files.exists(file)) {
                throw new UsageException(flag + " " + file + ": no such file");
            }
            if (!Files.isRegularFile(file)) {
                throw new UsageException(flag + " " + file + ": not a regular file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new UsageException(flag + " " + file + ": " + Files.size(file)
                        + " bytes is too big for a PEM certificate or key");
            }
            // PEM is ASCII; ISO-8859-1 reads any byte without failing.
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UsageException(flag + " " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }
}
