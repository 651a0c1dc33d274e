package dev.weft.bench.report;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Shows how far a run of every suite has got. On a terminal: one line per suite, redrawn every
 * second while the suite runs ({@code [2/6] sched  14 s  round 2 done in 3.1 s}: its number, its
 * name, the time so far, and the last progress line it printed, which names its case or round),
 * then left in place with how it ended. Elsewhere (a test, a CI log): plain lines, one when a
 * suite starts and one when it ends, {@code bench: [2/6] sched ... done in 41 s}.
 */
public abstract class ProgressDisplay implements AutoCloseable {

    final PrintWriter out;

    /** A display on {@code out}; the two kinds are made by {@link #plain} and {@link #terminal}. */
    ProgressDisplay(PrintWriter out) {
        this.out = out;
    }

    /** Plain lines on {@code out}: for output that is not a terminal. */
    public static ProgressDisplay plain(PrintWriter out) {
        return new Plain(out);
    }

    /** One redrawn line per suite on {@code out}, a terminal {@code columns} wide. */
    public static ProgressDisplay terminal(PrintWriter out, int columns) {
        return new Terminal(out, columns);
    }

    /**
     * Suite {@code index} of {@code total} (counting from 1) has started; {@code detail} gives its
     * latest progress line (may be empty), read while it runs.
     */
    public abstract void started(int index, int total, String suite, Supplier<String> detail);

    /**
     * Suite {@code index} of {@code total} has ended after {@code seconds}: done when
     * {@code failure} is null, else failed and {@code failure} says why.
     */
    public abstract void ended(int index, int total, String suite, double seconds, String failure);

    /** The end of a suite's line: {@code done in 41 s}, {@code FAILED after 12 s: why}. */
    static String ending(double seconds, String failure) {
        return failure == null ? "done in " + seconds(seconds) : "FAILED after " + seconds(seconds) + ": " + failure;
    }

    /** Suite {@code index} of {@code total} is not run; {@code why} says why. */
    public abstract void notRun(int index, int total, String suite, String why);

    /** Stops redrawing. */
    @Override
    public void close() {
    }

    static String position(int index, int total) {
        return "[" + index + "/" + total + "]";
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.0f s", s);
    }

    private static final class Plain extends ProgressDisplay {

        Plain(PrintWriter out) {
            super(out);
        }

        @Override
        public void started(int index, int total, String suite, Supplier<String> detail) {
            out.println("bench: " + position(index, total) + " " + suite + " ...");
            out.flush();
        }

        @Override
        public void ended(int index, int total, String suite, double seconds, String failure) {
            out.println("bench: " + position(index, total) + " " + suite + " ... " + ending(seconds, failure));
            out.flush();
        }

        @Override
        public void notRun(int index, int total, String suite, String why) {
            out.println("bench: " + position(index, total) + " " + suite + " ... " + why);
            out.flush();
        }
    }

    /**
     * Redraws the current suite's line from a daemon thread once a second: carriage return, the
     * line cut to the terminal's width, then erase to the end of the line.
     */
    private static final class Terminal extends ProgressDisplay {

        private static final String ERASE_TO_END = "\u001b[K";

        private final int columns;
        private Thread ticker;

        Terminal(PrintWriter out, int columns) {
            super(out);
            this.columns = Math.max(20, columns);
        }

        @Override
        public synchronized void started(int index, int total, String suite, Supplier<String> detail) {
            stopTicker();
            long start = System.nanoTime();
            String head = position(index, total) + " " + suite + "  ";
            Runnable draw = () -> {
                String line = head + seconds((System.nanoTime() - start) / 1e9) + "  " + detail.get();
                redraw(line);
            };
            draw.run();
            ticker = Thread.ofPlatform().daemon().name("weft-bench-progress").start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(1000);
                        draw.run();
                    }
                } catch (InterruptedException e) {
                    // the suite ended: stop redrawing
                }
            });
        }

        @Override
        public synchronized void ended(int index, int total, String suite, double seconds, String failure) {
            stopTicker();
            synchronized (out) {
                // the line stays: in full, however wide
                out.print("\r" + position(index, total) + " " + suite + " ... " + ending(seconds, failure)
                        + ERASE_TO_END);
                out.println();
                out.flush();
            }
        }

        @Override
        public synchronized void notRun(int index, int total, String suite, String why) {
            stopTicker();
            synchronized (out) {
                out.println("\r" + position(index, total) + " " + suite + " ... " + why + ERASE_TO_END);
                out.flush();
            }
        }

        @Override
        public synchronized void close() {
            stopTicker();
        }

        private void redraw(String line) {
            synchronized (out) {
                String cut = line.length() >= columns ? line.substring(0, columns - 1) : line;
                out.print("\r" + cut + ERASE_TO_END);
                out.flush();
            }
        }

        private void stopTicker() {
            if (ticker != null) {
                ticker.interrupt();
                try {
                    ticker.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ticker = null;
            }
        }
    }
}
