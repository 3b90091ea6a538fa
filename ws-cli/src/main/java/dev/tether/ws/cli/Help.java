package dev.tether.ws.cli;

/** The text of {@code wsc --help}. */
final class Help {
    private Help() {
    }

    static final String SHORT = """
            usage: wsc [options] URL        talk to a WebSocket server
                   wsc serve [options]      run an echo server
                   wsc demo                 run the seed's examples against an echo server
                   wsc --help               all the options
            """;

    static final String FULL = """
            wsc: a WebSocket client on Tether, like wscat and websocat.

            usage: wsc [options] URL
                   wsc serve [options]
                   wsc demo
                   wsc --help | --version

            wsc [options] ws://host[:port]/path  (or wss://...)
              Each line of input is sent as a text message; each message received is printed,
              text as it is, binary as hex (or base64). On a terminal there is a "> " prompt and
              received messages show as "< ..."; from a pipe, messages go to stdout bare, one per
              line, and what happens to the connection goes to stderr. When input ends (Ctrl-D),
              wsc waits for replies (--wait), closes normally and exits.

              -x, --execute MESSAGE     send MESSAGE (repeatable), print the replies, exit
              -w, --wait SECONDS        after the last message sent, how long a silence ends the
                                        wait for replies (default 1; 0: close at once)
              -H, --header NAME:VALUE   add a header to the opening handshake (repeatable)
              -s, --subprotocol NAME    offer a subprotocol (repeatable, or a comma-separated list)
              -o, --origin ORIGIN       send an Origin header
                  --compress            offer permessage-deflate compression
                  --keepalive SECONDS   ping every SECONDS; no answer means a dead link
                  --reconnect SECONDS   keep the connection up: reconnect SECONDS after any drop
                                        (the seed's start loop); lines typed meanwhile wait
                  --connect-timeout S   for DNS, TCP, TLS and the handshake together (default 10)
                  --transport NAME      nio or blocking (default: the best present)
                  --binary FORMAT       print binary messages as hex (default) or base64
              -q, --quiet               no prompt, no connection news: messages and errors only
            TLS, for wss:// URLs (the seed's cert table):
                  --cacert FILE         trust only this CA (PEM) for the server's certificate;
                                        without it the JDK's trusted CAs are used
                  --cert FILE           client certificate (PEM), for servers that ask for one
                  --key FILE            its private key (PEM: PKCS#8, PKCS#1 or SEC1)
                  --password PASS       the key's password; asked on the terminal if the key is
                                        encrypted and this is left out
                  --insist              connect even if the certificate is for another host name
                                        (the seed's insist; the chain is still checked)
              -k, --insecure            trust any certificate, unchecked: for test servers only

            wsc serve [options]
              An echo server on the codec's server role: each message comes back as it came,
              pings get pongs, a close gets the same close. Stops with Ctrl-C. Prints its URL
              first, on stdout.
              -p, --port N              port to listen on (default 8080; 0: any free port)
                  --host ADDRESS        address to listen on (default 127.0.0.1)
                  --tls-self-signed     serve wss:// with a throw-away self-signed certificate,
                                        written as PEM for wsc --cacert (its path is printed)
                  --tls-keystore FILE   serve wss:// with the key in this PKCS#12 or JKS file
                  --tls-password PASS   the key store's password
              -s, --subprotocol NAME    subprotocols to agree to (default: the client's first)
                  --max-message BYTES   largest message echoed; bigger closes with 1009
                                        (default 16777216)
                  --max-connections N   more are answered 503 (default 1000)
              -q, --quiet               do not log connections

            wsc demo
              Starts an echo server in-process and runs the seed's examples against it:
              connect with retries, on(...) handlers, sendFrame, recv, start with keep-alive,
              a server restart survived by reconnecting, exit.

            exit codes:
            """ + ExitCode.TABLE;
}
