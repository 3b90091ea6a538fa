package example;

import dev.tether.ws.Event;
import dev.tether.ws.Opcode;
import dev.tether.ws.Received;
import dev.tether.ws.WebSocket;

/**
 * The seed's example in Java (README, "Quick start"): connect, send one text frame, read the
 * answer, close. Give it the URL of an echo server ({@code ./wsc serve} serves one on
 * ws://127.0.0.1:8080/). Exits with status 1 if the echo does not come back.
 */
public final class SeedExample {
    public static void main(String[] args) throws InterruptedException {
        String url = args.length > 0 ? args[0] : "ws://127.0.0.1:8080/";
        WebSocket ws = WebSocket.create(url);                                  // websocket.new(url)

        ws.on(Event.OPEN, () -> System.out.println("open"));                  // ws:on("open", f)
        ws.on(Event.MESSAGE, m -> System.out.println("message: " + m.text()));
        ws.on(Event.CLOSE, (code, reason) -> System.out.println("close " + code + " " + reason));
        ws.on(Event.ERROR, e -> System.out.println("error: " + e));

        // while not ws:connect(20000) do sys.wait(2000) end; bounded here: 5 tries
        for (int attempt = 1; !ws.connect(20_000); attempt++) {
            if (attempt == 5) {
                System.err.println("no connection to " + url + ": " + ws.lastError());
                System.exit(1);
            }
            Thread.sleep(2000);
        }
        System.out.println("transport: " + ws.transport() + ", Tether on the "
                + (WebSocket.class.getModule().isNamed() ? "module" : "class") + " path");

        ws.sendFrame(true, Opcode.TEXT, "www.openluat.com");                   // ws:sendFrame(true, 0x1, ...)
        Received r = ws.recv();                                                // local result, data = ws:recv()
        boolean echoed = r.ok() && r.data().text().equals("www.openluat.com");
        System.out.println(r.ok() ? "recv: " + r.data().text() : "recv failed: " + r.error());

        ws.close(1000, "done");                                                // ws:close(code, reason)
        if (!echoed) {
            System.exit(1);
        }
    }
}
