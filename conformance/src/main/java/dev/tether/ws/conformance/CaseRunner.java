package dev.tether.ws.conformance;

import dev.tether.ws.codec.Masker;
import dev.tether.ws.codec.Opcodes;
import dev.tether.ws.codec.Role;
import dev.tether.ws.codec.deflate.DeflateParams;
import dev.tether.ws.codec.deflate.MessageDeflater;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;

/**
 * Plays one {@link CaseScript} on an open connection, waits for the connection to end, and
 * judges it: the interpreter of {@link Step}s.
 */
final class CaseRunner {
    private final CaseSession session;
    private final WireWriter out;
    /** The peer's compressor when permessage-deflate was negotiated, else null. */
    private final MessageDeflater deflater;

    private CaseRunner(CaseSession session, WireWriter out, MessageDeflater deflater) {
        this.session = session;
        this.out = out;
        this.deflater = deflater;
    }

    /**
     * @param leftover bytes that arrived behind the request head, already the client's frames
     * @param deflate how the opening handshake settled permessage-deflate; null when the case
     *     does not negotiate it
     */
    static CaseResult run(CaseScript script, CaseCatalog.Entry entry, String agent, Socket socket, InputStream in,
                          OutputStream rawOut, ByteBuffer leftover, DeflateAccept.Outcome deflate,
                          ScheduledExecutorService timers) throws InterruptedException {
        Instant started = Instant.now();
        WireWriter out = new WireWriter(rawOut);
        DeflateParams params = deflate == null ? null : deflate.params();
        CaseSession session = new CaseSession(socket, in, out, script.expect(), timers, params);
        session.schedule(script.bound(), session::bound);
        session.startReading(leftover);
        // The server's side of the agreement: its window and context takeover (RFC 7692 section 7.1).
        MessageDeflater deflater = params == null ? null : new MessageDeflater(params.sendWindowBits(Role.SERVER),
                params.sendNoContextTakeover(Role.SERVER), Deflater.DEFAULT_COMPRESSION);
        try {
            new CaseRunner(session, out, deflater).play(script.steps());
        } finally {
            if (deflater != null) {
                deflater.end();
            }
        }
        // The bound timer ends the connection at the latest; the margin covers the timer itself.
        if (!session.awaitClosed(System.nanoTime() + script.bound().toNanos() + TimeUnit.SECONDS.toNanos(5))) {
            session.bound();
            session.awaitClosed(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        }

        List<Observation> received = session.received();
        boolean negotiated = params != null;
        Verdict verdict = Judge.judge(script.expect(), received, session.facts(negotiated));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("result", verdict.result());
        details.put("resultClose", verdict.resultClose());
        details.put("expected", describeOutcomes(script.expect()));
        details.put("expectedClose", describeClose(script.expect().close()));
        details.put("received", describe(received));
        if (deflate != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("negotiated", negotiated);
            d.put("serverAccept", script.deflate() == null ? null : script.deflate().describe());
            d.put("handshake", deflate.notes());
            if (params != null) {
                d.put("clientMaxWindowBits", params.clientMaxWindowBits());
                d.put("serverMaxWindowBits", params.serverMaxWindowBits());
                d.put("clientNoContextTakeover", params.clientNoContextTakeover());
                d.put("serverNoContextTakeover", params.serverNoContextTakeover());
            }
            details.put("permessageDeflate", d);
        }
        details.putAll(session.closingDetails());
        return new CaseResult(script.id(), agent, entry.description(), entry.expectation(), verdict,
                session.durationMillis(), started, session.remoteCloseCode(), details);
    }

    private void play(List<Step> steps) throws InterruptedException {
        try {
            for (Step step : steps) {
                if (session.isClosed() || !perform(step)) {
                    break;
                }
            }
            out.flush();
        } catch (IOException e) {
            if (!session.isClosed()) {
                session.note("writing the script stopped: " + e.getMessage());
            }
        }
    }

    /** Performs one step; false ends the script. */
    private boolean perform(Step step) throws IOException, InterruptedException {
        switch (step) {
            case Step.SendFrame f -> {
                Slice payload = f.payload();
                if (f.maskKey() != null) {
                    byte[] masked = payload.toArray();
                    Masker.mask(masked, 0, masked.length, f.maskKey(), 0);
                    payload = Slice.of(masked);
                }
                out.frame(WireFrames.header(f.fin(), f.rsv(), f.opcode(), payload.length(), f.maskKey()),
                        payload, f.delivery());
            }
            case Step.SendMessage m -> sendMessage(m);
            case Step.SendHeader h -> out.raw(Slice.of(WireFrames.header(h.fin(), h.rsv(), h.opcode(), h.length(), null)));
            case Step.SendRaw r -> out.raw(r.bytes());
            case Step.SendClose c -> {
                out.flush();
                session.sendClose(c.code(), c.reason());
            }
            case Step.Wait w -> {
                out.flush();
                session.awaitClosed(System.nanoTime() + w.duration().toNanos());
            }
            case Step.Checkpoint c -> {
                out.flush();
                return session.checkpoint(c.tag());
            }
            case Step.KillAfter k -> session.schedule(k.delay(), session::fail);
            case Step.CloseAfter c -> session.schedule(c.delay(), session::closeIfOpen);
            case Step.EchoRounds e -> echoRounds(e);
            case Step.CompressedRounds c -> compressedRounds(c);
        }
        return true;
    }

    /** A data message in frames of at most {@code fragmentSize} bytes, all written together. */
    private void sendMessage(Step.SendMessage m) throws IOException {
        int opcode = m.binary() ? Opcodes.BINARY : Opcodes.TEXT;
        Slice p = m.payload();
        int size = m.fragmentSize() <= 0 ? Math.max(p.length(), 1) : m.fragmentSize();
        int at = 0;
        do {
            int n = Math.min(size, p.length() - at);
            boolean fin = at + n == p.length();
            out.frame(WireFrames.header(fin, at == 0 ? opcode : Opcodes.CONTINUATION, n), p.sub(at, n), Delivery.BATCHED);
            at += n;
        } while (at < p.length());
        out.flush();
    }

    /** Send, await the echo, compare; a wrong echo or the last one ends with a normal close. */
    private void echoRounds(Step.EchoRounds e) throws IOException, InterruptedException {
        Observation expected = new Observation.Message(e.binary(), e.payload());
        byte[] header = WireFrames.header(true, e.binary() ? Opcodes.BINARY : Opcodes.TEXT, e.payload().length());
        int base = session.observationCount();
        for (int i = 1; i <= e.count(); i++) {
            if (!session.isOpen()) {
                return;
            }
            out.frameNow(header, e.payload());
            session.awaitObservations(base + i);
            if (session.observationCount() < base + i) {
                return;
            }
            if (!expected.equals(session.observation(base + i - 1))) {
                session.note("round trip " + i + " came back different");
                break;
            }
        }
        session.sendClose(1000, Slice.EMPTY);
    }

    /** The 12.x/13.x rounds: compress, fragment, send, await the echo, compare; then the next. */
    private void compressedRounds(Step.CompressedRounds c) throws IOException, InterruptedException {
        if (deflater == null) {
            // The suite's onOpen: "if self.p._perMessageCompress is None", UNIMPLEMENTED and close.
            session.sendClose(1000, Slice.EMPTY);
            return;
        }
        int opcode = c.binary() ? Opcodes.BINARY : Opcodes.TEXT;
        int base = session.observationCount();
        for (int i = 1; i <= c.payloads().size(); i++) {
            if (!session.isOpen()) {
                return;
            }
            Slice payload = c.payloads().get(i - 1);
            ByteBuffer z = deflater.deflate(ByteBuffer.wrap(payload.array(), payload.offset(), payload.length()), true);
            byte[] compressed = new byte[z.remaining()];
            z.get(compressed);
            Slice all = Slice.of(compressed);
            int size = c.fragmentSize() <= 0 ? Math.max(compressed.length, 1) : c.fragmentSize();
            int at = 0;
            do {
                int n = Math.min(size, compressed.length - at);
                boolean fin = at + n == compressed.length;
                // RSV1 on the first frame only (RFC 7692 section 6.1).
                out.frame(WireFrames.header(fin, at == 0 ? 4 : 0, at == 0 ? opcode : Opcodes.CONTINUATION, n, null),
                        all.sub(at, n), Delivery.BATCHED);
                at += n;
            } while (at < compressed.length);
            out.flush();
            session.awaitObservations(base + i);
            if (session.observationCount() < base + i) {
                return;
            }
            Observation expected = new Observation.Message(c.binary(), payload);
            if (!expected.equals(session.observation(base + i - 1))) {
                session.note("echo " + i + " came back different");
                break;
            }
        }
        session.sendClose(1000, Slice.EMPTY);
    }

    private static Map<String, Object> describeOutcomes(Expectation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        e.outcomes().forEach((b, list) -> m.put(b.label(), describe(list)));
        return m;
    }

    private static Map<String, Object> describeClose(CloseExpectation c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("closedByMe", c.closedByMe());
        m.put("closeCode", c.codes());
        m.put("requireClean", c.requireClean());
        m.put("closedByWrongEndpointIsFatal", c.wrongEndpointFatal());
        return m;
    }

    /** At most this many entries of a report's observation list; the rest are counted. */
    static final int DESCRIBED = 50;

    /**
     * Observations for a report: long runs of the same one (9.7.x) are counted, not listed, and
     * after {@value #DESCRIBED} entries (the 12.x/13.x rounds) the rest only counted.
     */
    static List<Object> describe(List<Observation> observations) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        while (i < observations.size()) {
            if (out.size() == DESCRIBED) {
                out.add("... and " + (observations.size() - i) + " more");
                break;
            }
            Observation o = observations.get(i);
            int j = i + 1;
            while (j < observations.size() && observations.get(j).equals(o)) {
                j++;
            }
            out.add(j - i == 1 ? o.describe() : (j - i) + " x " + o.describe());
            i = j;
        }
        return out;
    }
}
