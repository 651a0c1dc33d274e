package dev.weft.bench.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * An echo server for tests, with a script for how it writes back: in chunks of chosen sizes
 * (whatever the reads brought), or with one byte changed. One platform thread per connection,
 * named like the peers' threads so the suite's leak check sees them.
 */
class ScriptedEcho implements EchoServer {

    /** How the server writes back what it has read on one connection. */
    interface Script {
        /**
         * How many of the {@code available} bytes read and not yet echoed to write back now, in
         * one write; 0 to wait for more (for {@link #LINGER_MILLIS} at most: then whatever is
         * there goes back in one write, as a client that sends nothing more gets its last bytes);
         * negative to close the connection. {@code echoed} bytes of the connection went back so
         * far.
         */
        int chunk(long echoed, int available);

        /** Whether bytes held back go back after {@link #LINGER_MILLIS} without more arriving. */
        default boolean flushesWhenIdle() {
            return true;
        }

        /** Changes the bytes about to be written, at stream offset {@code echoed}; by default none. */
        default void alter(byte[] bytes, int length, long echoed) {
        }
    }

    /** How long bytes held back for a larger write wait for more to arrive. */
    static final int LINGER_MILLIS = 20;

    private final String impl;
    private final Supplier<Script> scripts;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private ServerSocket listener;
    private Thread acceptor;

    /** @param scripts makes the script of each connection */
    ScriptedEcho(String impl, Supplier<Script> scripts) {
        this.impl = impl;
        this.scripts = scripts;
    }

    /** Writes back everything it read, at once. */
    static ScriptedEcho plain(String impl) {
        return new ScriptedEcho(impl, () -> (echoed, available) -> available);
    }

    /**
     * Writes back one byte per write for the first {@code oneByteUntil} bytes of every
     * connection, then in writes of the sizes of {@code cycle}, over and over, each spanning
     * message boundaries as it falls.
     */
    static ScriptedEcho chunked(String impl, int oneByteUntil, int... cycle) {
        return new ScriptedEcho(impl, () -> {
            int[] next = {0};
            return (echoed, available) -> {
                if (echoed < oneByteUntil) {
                    return 1;
                }
                int want = cycle[next[0] % cycle.length];
                if (available < want) {
                    return 0;
                }
                next[0]++;
                return want;
            };
        });
    }

    /** Reads everything and echoes nothing. */
    static ScriptedEcho mute(String impl) {
        return new ScriptedEcho(impl, () -> new Script() {
            @Override
            public int chunk(long echoed, int available) {
                return 0;
            }

            @Override
            public boolean flushesWhenIdle() {
                return false;
            }
        });
    }

    /** Echoes faithfully except the byte at stream offset {@code offset}, whose low bit it flips. */
    static ScriptedEcho corrupting(String impl, long offset) {
        return new ScriptedEcho(impl, () -> new Script() {
            @Override
            public int chunk(long echoed, int available) {
                return available;
            }

            @Override
            public void alter(byte[] bytes, int length, long echoed) {
                if (offset >= echoed && offset < echoed + length) {
                    bytes[(int) (offset - echoed)] ^= 1;
                }
            }
        });
    }

    @Override
    public String impl() {
        return impl;
    }

    /**
     * After how long without a byte arriving, with nothing held back, the server closes a
     * connection; 0 (the default) for never.
     */
    int hangUpAfterIdleMillis() {
        return 0;
    }

    @Override
    public synchronized int start(int workers) throws IOException {
        listener = new ServerSocket(0, 1024, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        acceptor = Thread.ofPlatform().name(THREAD_PREFIX + impl + "-accept").daemon().start(() -> {
            try {
                while (true) {
                    Socket s = listener.accept();
                    sockets.add(s);
                    Thread t = Thread.ofPlatform().name(THREAD_PREFIX + impl + "-connection").daemon()
                            .unstarted(() -> serve(s));
                    threads.add(t);
                    t.start();
                }
            } catch (IOException e) {
                // closed
            }
        });
        return listener.getLocalPort();
    }

    private void serve(Socket socket) {
        Script script = scripts.get();
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] pending = new byte[1 << 16];
            byte[] chunk = new byte[1 << 16];
            int have = 0;
            long echoed = 0;
            while (true) {
                socket.setSoTimeout(have > 0 && script.flushesWhenIdle() ? LINGER_MILLIS
                        : have == 0 ? hangUpAfterIdleMillis() : 0);
                int n;
                try {
                    n = in.read(pending, have, pending.length - have);
                } catch (SocketTimeoutException e) {
                    if (have == 0) {
                        return; // idle for hangUpAfterIdleMillis(): hang up
                    }
                    script.alter(pending, have, echoed); // nothing more came: the held bytes go back
                    out.write(pending, 0, have);
                    echoed += have;
                    have = 0;
                    continue;
                }
                if (n < 0) {
                    return;
                }
                have += n;
                while (have > 0) {
                    int want = Math.min(script.chunk(echoed, have), have);
                    if (want < 0) {
                        return;
                    }
                    if (want == 0) {
                        break;
                    }
                    System.arraycopy(pending, 0, chunk, 0, want);
                    script.alter(chunk, want, echoed);
                    out.write(chunk, 0, want);
                    System.arraycopy(pending, want, pending, 0, have - want);
                    have -= want;
                    echoed += want;
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public synchronized void close() {
        if (listener == null) {
            return;
        }
        try {
            listener.close();
            acceptor.join(5_000);
            for (Socket s : sockets) {
                s.close();
            }
            for (Thread t : List.copyOf(threads)) {
                t.join(5_000);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
