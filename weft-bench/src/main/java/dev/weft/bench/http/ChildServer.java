package dev.weft.bench.http;

import dev.weft.bench.ProcessCpu;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server running in processes of its own, started by the suite: one process and whatever it
 * starts (nginx's workers). Its standard output and error are read as they come; the last lines
 * are kept for failure messages. Its CPU time ({@link #cpuNanos()}) is that of the process and
 * all its live descendants. Closing it sends SIGTERM, waits, then kills what is left.
 */
final class ChildServer implements AutoCloseable {

    /** How long a server has to announce itself or accept a connection once started. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** How long a server has to exit after SIGTERM before it is killed. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** What a server announces: a line with its address, {@code http://127.0.0.1:<port>/}. */
    static final Pattern ANNOUNCEMENT = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/");
    private static final int TAIL_LINES = 8;

    private final String impl;
    private final Process process;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final List<String> announcements = new ArrayList<>();
    private final Thread reader;
    private int port;
    private String announcement = "";

    private ChildServer(String impl, Process process) {
        this.impl = impl;
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().name("weft-bench-http-out-" + impl).start(() -> {
            try (BufferedReader r = process.inputReader(StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (tail) {
                        if (tail.size() == TAIL_LINES) {
                            tail.removeFirst();
                        }
                        tail.addLast(line);
                        if (ANNOUNCEMENT.matcher(line).find()) {
                            announcements.add(line);
                            tail.notifyAll();
                        }
                    }
                }
            } catch (IOException e) {
                // the process is gone: its exit says the rest
            }
            synchronized (tail) {
                tail.notifyAll();
            }
        });
    }

    /**
     * Starts {@code command} and waits for the line with its address ({@link #ANNOUNCEMENT}).
     *
     * @throws IOException when it cannot start, exits, or does not announce itself within
     *                     {@link #START_TIMEOUT} (it is then killed)
     */
    static ChildServer announcing(String impl, List<String> command) throws IOException {
        return started(impl, command, 0, ChildServer::awaitAnnouncement);
    }

    /**
     * Starts {@code command}, which listens on {@code port}, and waits until a connection to it
     * succeeds.
     *
     * @throws IOException when it cannot start, exits, or does not accept within
     *                     {@link #START_TIMEOUT} (it is then killed)
     */
    static ChildServer listening(String impl, List<String> command, int port) throws IOException {
        return started(impl, command, port, ChildServer::awaitAccept);
    }

    /** How a started server is waited for until it serves. */
    @FunctionalInterface
    private interface Readiness {
        void await(ChildServer s, long deadline) throws IOException, InterruptedException;
    }

    private static ChildServer started(String impl, List<String> command, int port, Readiness readiness)
            throws IOException {
        ChildServer s = new ChildServer(impl, start(command));
        s.port = port;
        try {
            readiness.await(s, System.nanoTime() + START_TIMEOUT.toNanos());
            return s;
        } catch (IOException | RuntimeException e) {
            s.kill();
            throw e;
        } catch (InterruptedException e) {
            s.kill();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(impl + ": interrupted while starting");
        }
    }

    private void awaitAnnouncement(long deadline) throws IOException, InterruptedException {
        boolean exited = false;
        synchronized (tail) {
            while (announcements.isEmpty() && !exited) {
                long left = deadline - System.nanoTime();
                exited = !process.isAlive();
                if (left <= 0 && !exited) {
                    throw new IOException(impl + " did not announce http://127.0.0.1:<port>/ within "
                            + START_TIMEOUT.toSeconds() + " s" + tailText());
                }
                if (!exited) {
                    tail.wait(Math.min(100, TimeUnit.NANOSECONDS.toMillis(left) + 1));
                }
            }
        }
        if (exited) {
            exited(); // outside the lock: the reader takes it for the last lines
            if (announcementOrEmpty().isEmpty()) {
                throw new IOException(impl + " exited before announcing its address (" + exit() + ")" + tailText());
            }
        }
        announcement = announcementOrEmpty();
        Matcher m = ANNOUNCEMENT.matcher(announcement);
        if (!m.find()) {
            throw new IllegalStateException("announcement without an address: " + announcement);
        }
        port = Integer.parseInt(m.group(1));
    }

    private String announcementOrEmpty() {
        synchronized (tail) {
            return announcements.isEmpty() ? "" : announcements.getFirst();
        }
    }

    /** Waits for an exited process's last output to be read. */
    private void exited() throws InterruptedException {
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        reader.join(STOP_TIMEOUT.toMillis());
    }

    private void awaitAccept(long deadline) throws IOException, InterruptedException {
        while (true) {
            if (!process.isAlive()) {
                exited();
                throw new IOException(impl + " exited before accepting on 127.0.0.1:" + port + " (" + exit() + ")"
                        + tailText());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(impl + " did not accept on 127.0.0.1:" + port + " within "
                            + START_TIMEOUT.toSeconds() + " s" + tailText());
                }
                Thread.sleep(20);
            }
        }
    }

    private static Process start(List<String> command) throws IOException {
        // Its standard input stays open until close(): a peer of the suite's own ends at its end,
        // so that none outlives a suite that dies.
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** The implementation. */
    String impl() {
        return impl;
    }

    /** The port it serves on, on 127.0.0.1. */
    int port() {
        return port;
    }

    /** The line in which it announced its address; empty if it was not started that way. */
    String announcement() {
        return announcement;
    }

    /** The id of its first process. */
    long pid() {
        return process.pid();
    }

    /** Whether its first process still runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The CPU time its process and every live descendant have used so far, in nanoseconds.
     *
     * @throws IOException when its first process has exited
     */
    long cpuNanos() throws IOException {
        long nanos;
        try {
            nanos = ProcessCpu.nanos(process.pid());
        } catch (IOException e) {
            throw exitedWhileServing(e);
        }
        for (ProcessHandle d : process.descendants().toList()) {
            try {
                nanos += ProcessCpu.nanos(d.pid());
            } catch (IOException gone) {
                // a descendant that ended between the listing and the read
            }
        }
        return nanos;
    }

    /** Why it no longer serves, when its first process has exited: its exit code and last output. */
    IOException exitedWhileServing(IOException cause) {
        if (process.isAlive()) {
            return cause;
        }
        try {
            exited();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new IOException(impl + " exited while serving (" + exit() + ")" + tailText(), cause);
    }

    /** The last lines it printed, for a message: {@code "; its output ends: a | b"}, or empty. */
    String tailText() {
        synchronized (tail) {
            return tail.isEmpty() ? "" : "; its output ends: " + String.join(" | ", tail);
        }
    }

    private String exit() {
        return process.isAlive() ? "still running" : "exit code " + process.exitValue();
    }

    private void kill() {
        closeInput();
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            for (ProcessHandle d : descendants) {
                d.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // a descendant that SIGKILL did not end: nothing more can be done from here
        }
    }

    /**
     * Stops it: SIGTERM to its first process, then, after {@link #STOP_TIMEOUT}, SIGKILL to it
     * and its descendants.
     *
     * @throws IOException when it had to be killed (it is gone all the same)
     */
    @Override
    public void close() throws IOException {
        if (!process.isAlive()) {
            closeInput();
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        closeInput();
        process.destroy();
        boolean ended;
        try {
            ended = process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            for (ProcessHandle d : descendants) {
                ended &= d.onExit().completeOnTimeout(d, STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .thenApply(h -> !h.isAlive()).join();
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(impl + ": interrupted while stopping; killed");
        }
        if (!ended) {
            descendants.forEach(ProcessHandle::destroyForcibly);
            kill();
            for (ProcessHandle d : descendants) {
                d.onExit().completeOnTimeout(d, STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
            }
            throw new IOException(impl + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM: killed"
                    + tailText());
        }
    }

    private void closeInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // it has exited already
        }
    }

    /** The port of a fresh listening socket on 127.0.0.1, closed again: likely free for a moment. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** Whether {@code text} (a failure message) says an address was in use. */
    static boolean addressInUse(String text) {
        return Optional.ofNullable(text).map(t -> t.contains("Address already in use")).orElse(false);
    }
}
