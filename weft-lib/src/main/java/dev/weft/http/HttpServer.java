package dev.weft.http;

import dev.weft.actor.Actor;
import dev.weft.actor.ChildSpec;
import dev.weft.actor.Pid;
import dev.weft.actor.Supervisor;
import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.runtime.Weft;
import dev.weft.task.Task;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP/1.1 server on a {@link Weft} runtime: one actor accepts, and each connection is an
 * actor of its own, a temporary child of the server's {@link Supervisor} ({@link #supervisor()},
 * {@link Supervisor.Strategy#SIMPLE_ONE_FOR_ONE}), that reads requests, runs their handlers
 * (plain blocking Java on a weft task) and writes the answers, in order, with keep-alive and
 * pipelining. See the package documentation for an example.
 *
 * <p>Routes are matched in this order: exact and parameterised paths (a segment {@code {name}}
 * matches one non-empty segment, {@link Request#pathParam}) in the order they were added; then
 * the longest matching prefix route; then the fallback (404 by default). A path that only another
 * method's route matches answers 405 with {@code Allow}. HEAD runs the GET route without a body.
 *
 * <p>Limits and timeouts (defaults in the builder): a request target over
 * {@link Builder#maxTargetBytes} answers 414, a header section over {@link Builder#maxHeaderBytes}
 * 431, a body over {@link Builder#maxBodyBytes} 413; a head not complete within
 * {@link Builder#headerTimeout} after its first byte answers 408 and closes; a new connection
 * that sends nothing within {@link Builder#headerTimeout}, or a kept-alive one with no request
 * for {@link Builder#idleTimeout}, is closed without an answer; a body read or response write
 * (a file's included) that stalls for {@link Builder#ioTimeout} closes the connection.
 *
 * <p>Every connection gets {@code Server: weft} and a {@code Date} of the second the response was
 * written. A handler that throws gets a 500, its connection closes and the connection's actor
 * ends with the handler's exception ({@link dev.weft.actor.Outcome.Failed}; the supervisor does
 * not restart it); the server counts the failure ({@link #handlerFailures()}), logs at most one a
 * second ({@code System.Logger} {@code dev.weft.http}, WARNING), and goes on.
 */
public final class HttpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.weft.http");
    private static final Duration ACCEPT_RETRY = Duration.ofMillis(10);
    /** How long the acceptor waits for the supervisor to start a connection's actor. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Weft runtime;
    private final InetSocketAddress bindAddress;
    private final int backlog;
    final Routes routes;
    final Handler fallback;
    final int maxTargetBytes;
    final int maxHeaderBytes;
    final long maxBodyBytes;
    final Duration headerTimeout;
    final Duration idleTimeout;
    final Duration ioTimeout;
    private final Duration gracePeriod;

    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final AtomicLong lastLogSecond = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder accepted = new LongAdder();
    /** Responses written, by status code: index {@code status - 100}, one adder per code 100..599. */
    private final LongAdder[] byStatus = new LongAdder[500];
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    volatile boolean stopping;
    private volatile TcpListener listener;
    private volatile Pid supervisor;
    private volatile Pid acceptor;
    private boolean stopped;
    private long lastAcceptLogSecond = Long.MIN_VALUE;

    private HttpServer(Builder b) {
        this.runtime = b.runtime;
        this.bindAddress = b.address;
        this.backlog = b.backlog;
        this.routes = b.routes;
        this.fallback = b.fallback;
        this.maxTargetBytes = b.maxTargetBytes;
        this.maxHeaderBytes = b.maxHeaderBytes;
        this.maxBodyBytes = b.maxBodyBytes;
        this.headerTimeout = b.headerTimeout;
        this.idleTimeout = b.idleTimeout;
        this.ioTimeout = b.ioTimeout;
        this.gracePeriod = b.gracePeriod;
        for (int i = 0; i < byStatus.length; i++) {
            byStatus[i] = new LongAdder();
        }
    }

    /** A builder for a server on {@code runtime}. */
    public static Builder builder(Weft runtime) {
        return new Builder(Objects.requireNonNull(runtime, "runtime"));
    }

    /**
     * Binds and starts accepting; returns once the port is bound.
     *
     * @throws IOException naming the address when the bind fails
     * @throws IllegalStateException when started already
     */
    public synchronized HttpServer start() throws IOException {
        if (listener != null || stopped) {
            throw new IllegalStateException("the server was started already: build another one");
        }
        var bound = runtime.spawn(() -> TcpListener.bind(bindAddress, backlog));
        try {
            listener = bound.join();
        } catch (dev.weft.task.JoinException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while the server bound " + bindAddress);
        }
        TcpListener l = listener;
        try {
            Pid[] pids = runtime.spawn(() -> {
                Pid sup = Supervisor.builder(Supervisor.Strategy.SIMPLE_ONE_FOR_ONE)
                        .child(ChildSpec.workerWith("connection", c -> () -> serve((Connection) c))
                                .withRestart(ChildSpec.Restart.TEMPORARY).withShutdown(Duration.ZERO))
                        .build().spawn();
                return new Pid[]{sup, Actor.spawn(() -> accept(l, sup))};
            }).join();
            supervisor = pids[0];
            acceptor = pids[1];
        } catch (dev.weft.task.JoinException | InterruptedException e) {
            l.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the server on " + l.localAddress() + " could not start its acceptor"
                    + " (is the runtime closing?)", e);
        }
        return this;
    }

    /** One connection's actor: serves it; a handler's failure (answered 500 already) ends the actor with it. */
    private void serve(Connection c) throws Exception {
        try {
            c.run();
        } finally {
            connections.remove(c);
        }
        Throwable failure = c.handlerFailure();
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** The acceptor's actor: each accepted connection becomes a temporary child of the supervisor. */
    private void accept(TcpListener l, Pid sup) {
        while (!stopping) {
            TcpStream s;
            try {
                s = l.accept();
            } catch (IOException e) {
                if (stopping || l.isClosed()) {
                    return;
                }
                logAcceptFailure("accept on " + l + " failed", e);
                try {
                    Task.sleep(ACCEPT_RETRY); // a lasting failure (EMFILE) must not spin the worker
                } catch (InterruptedException x) {
                    return; // the runtime is stopping
                }
                continue;
            }
            accepted.increment();
            Connection c = new Connection(this, s);
            connections.add(c);
            if (stopping) {
                c.abort(); // the stopper may have looked at the set already
            }
            try {
                Supervisor.startChild(sup, c, START_TIMEOUT);
            } catch (RuntimeException e) { // the supervisor is gone (the runtime is closing) or swamped
                connections.remove(c);
                s.close();
                if (stopping || !Actor.isAlive(sup)) {
                    return;
                }
                logAcceptFailure("starting the task of a connection from " + l + " failed", e);
            }
        }
    }

    private void logAcceptFailure(String what, Exception e) {
        long now = System.currentTimeMillis() / 1000;
        if (now != lastAcceptLogSecond) { // only the acceptor writes it
            lastAcceptLogSecond = now;
            LOG.log(System.Logger.Level.WARNING, what + " (logged at most once a second); the server goes on", e);
        }
    }

    /** The port it listens on (the one the kernel picked for port 0). */
    public int port() {
        return address().getPort();
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        TcpListener l = listener;
        if (l == null) {
            throw new IllegalStateException("the server is not started: call start() first");
        }
        return l.localAddress();
    }

    /** Requests whose head was parsed, since start. */
    public long requests() {
        return requests.sum();
    }

    /** Handlers (and response bodies) that failed, since start. */
    public long handlerFailures() {
        return failures.sum();
    }

    /** Connections accepted since start. */
    public long acceptedConnections() {
        return accepted.sum();
    }

    /** Connections open now. */
    public int openConnections() {
        return connections.size();
    }

    /**
     * Responses written since start, by status code, in ascending order of code: the handlers'
     * answers and the server's own refusals (400, 408, 413, 500, ...); {@code 100 Continue} is not
     * a response and is not counted. Codes with no response are absent. Each count only grows; the
     * counts are read one after another, so a snapshot may miss a response written during the read.
     */
    public Map<Integer, Long> responsesByStatus() {
        Map<Integer, Long> out = new TreeMap<>();
        for (int i = 0; i < byStatus.length; i++) {
            long n = byStatus[i].sum();
            if (n != 0) {
                out.put(i + 100, n);
            }
        }
        return out;
    }

    /** Counts one response with {@code status} (100..599), as its status line is written. */
    void responded(int status) {
        byStatus[status - 100].increment();
    }

    /** Stops within the builder's grace period; see {@link #stop(Duration)}. */
    @Override
    public void close() {
        stop(gracePeriod);
    }

    /**
     * Stops: closes the listener, closes connections waiting for a request, lets requests in
     * flight finish (their connections close after the response) for at most {@code grace}, then
     * closes what is left and returns once every connection task has ended. Idempotent.
     */
    public void stop(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        stopping = true;
        TcpListener l = listener;
        if (l == null) {
            return;
        }
        l.close();
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (!connections.isEmpty() && System.nanoTime() < deadline) {
                for (Connection c : connections) {
                    c.closeIfIdle();
                }
                Thread.sleep(5);
            }
            for (Connection c : connections) {
                c.abort();
            }
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((Actor.isAlive(acceptor) || !connections.isEmpty()) && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            if (Actor.isAlive(acceptor)) {
                LOG.log(System.Logger.Level.WARNING, "the acceptor of " + this + " did not end within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Actor.exit(supervisor, "kill"); // its children have ended; a straggler goes with it
        }
    }

    /** The supervisor whose temporary children are the connections' actors (a SIMPLE_ONE_FOR_ONE supervisor). */
    public Pid supervisor() {
        Pid p = supervisor;
        if (p == null) {
            throw new IllegalStateException("the server is not started: call start() first");
        }
        return p;
    }

    void handlerFailed(RequestHead head, Throwable t) {
        failures.increment();
        long now = System.currentTimeMillis() / 1000;
        long last = lastLogSecond.get();
        if (now != last && lastLogSecond.compareAndSet(last, now)) {
            LOG.log(System.Logger.Level.WARNING, "handler for " + head.method() + " "
                    + HttpParser.abbreviate(head.path()) + " failed (" + failures.sum()
                    + " failures so far; at most one is logged a second); the server answered 500", t);
        }
    }

    @Override
    public String toString() {
        TcpListener l = listener;
        return "HttpServer[" + (l == null ? bindAddress + ", not started" : l.localAddress().toString())
                + (stopping ? ", stopped" : "") + "]";
    }

    /**
     * Configures a server. Defaults: bind 127.0.0.1 port 8080, backlog 1024, target limit 8 KiB,
     * header limit 16 KiB, body limit 1 MiB, header timeout 10 s, idle timeout 60 s, I/O timeout
     * 30 s, grace period 5 s, fallback 404.
     */
    public static final class Builder {

        private final Weft runtime;
        private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 8080);
        private int backlog = 1024;
        private final Routes routes = new Routes();
        private Handler fallback = r -> Response.text(404, "404 Not Found\n");
        private int maxTargetBytes = 8 * 1024;
        private int maxHeaderBytes = 16 * 1024;
        private long maxBodyBytes = 1024 * 1024;
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration ioTimeout = Duration.ofSeconds(30);
        private Duration gracePeriod = Duration.ofSeconds(5);

        private Builder(Weft runtime) {
            this.runtime = runtime;
        }

        /** The address and port to listen on; port 0 lets the kernel pick ({@link HttpServer#port()}). */
        public Builder bind(String host, int port) {
            return bind(new InetSocketAddress(host, port));
        }

        /** The address to listen on. */
        public Builder bind(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The kernel's queue of connections not accepted yet. */
        public Builder backlog(int backlog) {
            this.backlog = positive(backlog, "backlog");
            return this;
        }

        /**
         * Routes {@code method} (case-sensitive, e.g. {@code GET}) and {@code pattern} (a path
         * starting with {@code /}, with whole-segment parameters {@code {name}}) to {@code handler}.
         *
         * @throws IllegalArgumentException for a malformed pattern or method, naming it
         */
        public Builder route(String method, String pattern, Handler handler) {
            routes.add(method(method), Objects.requireNonNull(pattern, "pattern"), Objects.requireNonNull(handler));
            return this;
        }

        /** {@code route("GET", pattern, handler)}; it answers HEAD too. */
        public Builder get(String pattern, Handler handler) {
            return route("GET", pattern, handler);
        }

        /** {@code route("POST", pattern, handler)}. */
        public Builder post(String pattern, Handler handler) {
            return route("POST", pattern, handler);
        }

        /** Routes every path that starts with {@code prefix}, whatever the method, to {@code handler}. */
        public Builder prefix(String prefix, Handler handler) {
            routes.addPrefix(null, Objects.requireNonNull(prefix, "prefix"), Objects.requireNonNull(handler));
            return this;
        }

        /** Routes every path that starts with {@code prefix}, for {@code method} only, to {@code handler}. */
        public Builder prefix(String method, String prefix, Handler handler) {
            routes.addPrefix(method(method), Objects.requireNonNull(prefix, "prefix"),
                    Objects.requireNonNull(handler));
            return this;
        }

        /** The handler for requests no route matches (default: 404). */
        public Builder fallback(Handler handler) {
            this.fallback = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** The longest request target accepted; longer ones answer 414. */
        public Builder maxTargetBytes(int bytes) {
            this.maxTargetBytes = positive(bytes, "maxTargetBytes");
            return this;
        }

        /** The largest header section accepted; larger ones answer 431. */
        public Builder maxHeaderBytes(int bytes) {
            this.maxHeaderBytes = positive(bytes, "maxHeaderBytes");
            return this;
        }

        /** The largest request body accepted; larger ones answer 413. */
        public Builder maxBodyBytes(long bytes) {
            if (bytes < 0 || bytes > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("maxBodyBytes must be 0 to " + (Integer.MAX_VALUE - 16)
                        + ", was " + bytes + " (stream larger bodies with Request.bodyStream under a raised limit)");
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /** How long a request head may take to arrive, from its first byte (or the connection's start). */
        public Builder headerTimeout(Duration timeout) {
            this.headerTimeout = positive(timeout, "headerTimeout");
            return this;
        }

        /** How long a kept-alive connection may wait for its next request. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        /** How long one read of a body or one write of a response may stall. */
        public Builder ioTimeout(Duration timeout) {
            this.ioTimeout = positive(timeout, "ioTimeout");
            return this;
        }

        /** How long {@link HttpServer#close()} lets requests in flight finish. */
        public Builder gracePeriod(Duration grace) {
            Objects.requireNonNull(grace, "gracePeriod");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("gracePeriod must be >= 0, was " + grace);
            }
            this.gracePeriod = grace;
            return this;
        }

        /** The server, not started. */
        public HttpServer build() {
            return new HttpServer(this);
        }

        private static String method(String method) {
            Objects.requireNonNull(method, "method");
            if (method.isEmpty() || !method.chars().allMatch(c -> c < 256 && HttpParser.isTchar(c))) {
                throw new IllegalArgumentException("a method is a token such as GET, was '" + method + "'");
            }
            return method;
        }

        private static int positive(int v, String what) {
            if (v < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, was " + v);
            }
            return v;
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }
    }
}
