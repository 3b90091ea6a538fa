package dev.tether.ws.spi;

import dev.tether.ws.internal.HostPort;
import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Connects to a host with several addresses as a browser does (RFC 8305, "Happy Eyeballs"
 * version 2): the addresses interleaved by family (section 4), one attempt started every
 * {@value #ATTEMPT_DELAY_MILLIS} ms, or at once when the one before fails (section 5), the first
 * to connect wins and every other is closed. All of it within one deadline, and called off at
 * once by {@link ConnectAbort}. Both of Tether's transports connect through it; the
 * transport-specific part is the {@link Dialer}.
 */
public final class HappyEyeballs {
    /** RFC 8305 section 8: the recommended Connection Attempt Delay. */
    static final long ATTEMPT_DELAY_MILLIS = 250;
    private static final long ATTEMPT_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(ATTEMPT_DELAY_MILLIS);

    private HappyEyeballs() {
    }

    /** One transport's way to open a TCP connection. */
    public interface Dialer<T extends Closeable> {

        /** A new, not yet connected socket or channel for {@code address}; must not block. */
        T create(InetSocketAddress address) throws IOException;

        /**
         * Connects {@code attempt} within {@code deadline}; may block (each attempt has its own
         * virtual thread). Closing {@code attempt} from another thread must end the wait with an
         * exception.
         */
        void connect(T attempt, InetSocketAddress address, Deadline deadline) throws IOException;
    }

    /**
     * The first of {@code addresses} to accept a TCP connection on {@code port}. The winner stays
     * registered with {@code abort}: the caller releases it once it hands the connection on.
     *
     * @param target {@code host:port} as the user wrote it, for messages
     * @throws java.net.SocketTimeoutException when the deadline passes first, naming what was tried
     * @throws ConnectException when every address failed, with each address and its reason
     * @throws java.io.InterruptedIOException when {@code abort} called the connect off
     */
    public static <T extends Closeable> T connect(String target, List<InetAddress> addresses, int port,
                                                  Deadline deadline, ConnectAbort abort, Dialer<T> dialer)
            throws IOException {
        if (addresses.isEmpty()) {
            throw new ConnectException("connect to " + target + " failed: the host has no addresses");
        }
        Race<T> race = new Race<>(target, port, deadline, abort, dialer);
        Closeable wake = race::wake;
        abort.closeOnAbort(wake);
        try {
            return race.run(interleave(addresses));
        } finally {
            abort.release(wake);
        }
    }

    /** RFC 8305 section 4: alternate the families, starting with the resolver's first choice. */
    static List<InetAddress> interleave(List<InetAddress> addresses) {
        boolean firstIsV6 = addresses.get(0) instanceof Inet6Address;
        Deque<InetAddress> preferred = new ArrayDeque<>();
        Deque<InetAddress> other = new ArrayDeque<>();
        for (InetAddress a : addresses) {
            (a instanceof Inet6Address == firstIsV6 ? preferred : other).add(a);
        }
        List<InetAddress> order = new ArrayList<>(addresses.size());
        while (!preferred.isEmpty() || !other.isEmpty()) {
            if (!preferred.isEmpty()) {
                order.add(preferred.poll());
            }
            if (!other.isEmpty()) {
                order.add(other.poll());
            }
        }
        return order;
    }

    /** The attempts of one connect: started by the caller's thread, each run on its own virtual thread. */
    private static final class Race<T extends Closeable> {
        private final String target;
        private final int port;
        private final Deadline deadline;
        private final ConnectAbort abort;
        private final Dialer<T> dialer;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        // Guarded by lock.
        private final List<T> running = new ArrayList<>();
        private final List<String> failures = new ArrayList<>();
        private final List<IOException> causes = new ArrayList<>();
        private T winner;
        /** A winner was taken or the race was given up: late results are closed. */
        private boolean over;

        Race(String target, int port, Deadline deadline, ConnectAbort abort, Dialer<T> dialer) {
            this.target = target;
            this.port = port;
            this.deadline = deadline;
            this.abort = abort;
            this.dialer = dialer;
        }

        T run(List<InetAddress> order) throws IOException {
            if (order.size() == 1) {
                return single(order.get(0));
            }
            int next = 0;
            long lastStart = 0;
            lock.lock();
            try {
                while (true) {
                    if (winner != null) {
                        return endWith(winner);
                    }
                    if (abort.aborted()) {
                        endWith(null);
                        abort.check();
                    }
                    long left = deadline.remainingNanos();
                    if (left <= 0) {
                        endWith(null);
                        throw timedOut();
                    }
                    long sinceStart = System.nanoTime() - lastStart;
                    if (next < order.size() && (running.isEmpty() || sinceStart >= ATTEMPT_DELAY_NANOS)) {
                        start(order.get(next++));
                        lastStart = System.nanoTime();
                        continue;
                    }
                    if (running.isEmpty()) {  // every address tried, every attempt failed
                        endWith(null);
                        throw allFailed();
                    }
                    long wait = next < order.size() ? Math.min(left, ATTEMPT_DELAY_NANOS - sinceStart) : left;
                    changed.awaitNanos(wait);
                }
            } catch (InterruptedException e) {
                endWith(null);
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while connecting to " + target);
            } finally {
                lock.unlock();
            }
        }

        /**
         * One address: nothing to race, so the attempt runs on the caller's thread (no thread to
         * start per connect). A close from another thread still calls it off: the attempt is
         * registered with the abort, which closes it.
         */
        private T single(InetAddress address) throws IOException {
            InetSocketAddress to = new InetSocketAddress(address, port);
            IOException failure;
            T attempt = null;
            try {
                attempt = dialer.create(to);
                abort.closeOnAbort(attempt);
                dialer.connect(attempt, to, deadline);
                return attempt;
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new IOException(e.toString(), e);
            }
            if (attempt != null) {
                abort.release(attempt);
                ConnectAbort.closeQuietly(attempt);
            }
            abort.check();
            if (deadline.remainingNanos() <= 0) {
                throw timedOut();
            }
            lock.lock();
            try {
                failed(address, failure);
                throw allFailed();
            } finally {
                lock.unlock();
            }
        }

        /** Holds lock. */
        private void start(InetAddress address) throws IOException {
            InetSocketAddress to = new InetSocketAddress(address, port);
            T attempt;
            try {
                attempt = dialer.create(to);
            } catch (IOException e) {
                failed(address, e);
                return;
            }
            running.add(attempt);
            abort.closeOnAbort(attempt);
            Thread.ofVirtual().name("tether-connect " + HostPort.of(to)).start(() -> attempt(attempt, to));
        }

        private void attempt(T attempt, InetSocketAddress to) {
            IOException failure = null;
            try {
                dialer.connect(attempt, to, deadline);
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new IOException(e.toString(), e);
            }
            boolean lost;
            lock.lock();
            try {
                running.remove(attempt);
                lost = failure != null || winner != null || over;
                if (!lost) {
                    winner = attempt;
                } else if (failure != null && !over) {
                    failed(to.getAddress(), failure);
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (lost) {
                abort.release(attempt);
                ConnectAbort.closeQuietly(attempt);
            }
        }

        /** Holds lock. Ends the race: every attempt but {@code keep} is closed. */
        private T endWith(T keep) {
            over = true;
            for (T t : running) {
                abort.release(t);
                ConnectAbort.closeQuietly(t);  // its thread then fails and finds the race over
            }
            running.clear();
            return keep;
        }

        /** Holds lock. */
        private void failed(InetAddress address, IOException e) {
            failures.add(address.getHostAddress() + ": " + e.getMessage());
            causes.add(e);
        }

        private void wake() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private SocketTimeoutException timedOut() {
            SocketTimeoutException e = deadline.expired("connect to " + target);
            if (!failures.isEmpty()) {
                e = new SocketTimeoutException(e.getMessage() + " (" + String.join("; ", failures) + ")");
            }
            causes.forEach(e::addSuppressed);
            return e;
        }

        private ConnectException allFailed() {
            String detail = failures.size() == 1 ? causes.get(0).getMessage() : String.join("; ", failures);
            ConnectException e = new ConnectException("connect to " + target + " failed: " + detail);
            e.initCause(causes.get(0));
            causes.subList(1, causes.size()).forEach(e::addSuppressed);
            return e;
        }
    }
}
