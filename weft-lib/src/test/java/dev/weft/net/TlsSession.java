package dev.weft.net;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * TLS over any blocking {@link ByteChannel}: an {@link SSLEngine} driven by the wrap/unwrap loop
 * that a TLS library runs, kept small for the tests that show {@link TcpStream} carries it. One
 * reader and one writer at a time (the tests use it from one task).
 *
 * <p>Buffers: {@code netIn} collects records read from the channel and not yet unwrapped,
 * {@code appIn} plaintext unwrapped and not yet handed out; both stay in fill mode between calls
 * (flipped to drain, compacted after). {@code netOut} holds one wrapped record on its way out.
 */
final class TlsSession {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final ByteChannel channel;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;

    TlsSession(SSLEngine engine, ByteChannel channel) {
        this.engine = engine;
        this.channel = channel;
        netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    }

    SSLEngine engine() {
        return engine;
    }

    /** Runs the handshake to its end; records that follow it (a TLS 1.3 session ticket) are read by {@link #read}. */
    void handshake() throws IOException {
        engine.beginHandshake();
        SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
        while (hs != SSLEngineResult.HandshakeStatus.FINISHED
                && hs != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
            // a failed check closes the engine's inbound side and asks to wrap the alert: that
            // wrap sends it and throws the failure (SSLHandshakeException); only a closed side
            // that asks for what it can no longer do ends here
            if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP ? engine.isOutboundDone()
                    : hs != SSLEngineResult.HandshakeStatus.NEED_TASK && engine.isInboundDone()) {
                throw new SSLException("the TLS handshake stopped: the engine is closed and asks for " + hs);
            }
            hs = step(hs);
        }
        if (engine.isInboundDone() || engine.isOutboundDone()) {
            throw new SSLException("the TLS handshake ended with the engine closed");
        }
    }

    /** One step of the handshake: what the engine asked for, done; the status it asks for next. */
    private SSLEngineResult.HandshakeStatus step(SSLEngineResult.HandshakeStatus hs) throws IOException {
        return switch (hs) {
            case NEED_WRAP -> wrap(NOTHING).getHandshakeStatus();
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrap().getHandshakeStatus();
            case NEED_TASK -> {
                for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                    task.run(); // CPU work (key agreement, certificate checks); nothing that waits on I/O
                }
                yield engine.getHandshakeStatus();
            }
            case FINISHED, NOT_HANDSHAKING -> hs;
        };
    }

    /** Wraps from {@code src} into one record and writes it all to the channel. */
    private SSLEngineResult wrap(ByteBuffer src) throws IOException {
        for (;;) {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(netOut.capacity() * 2);
                continue;
            }
            netOut.flip();
            while (netOut.hasRemaining()) {
                channel.write(netOut);
            }
            return r;
        }
    }

    /**
     * Unwraps one record into {@code appIn}, reading from the channel until a whole one is there.
     *
     * @throws EOFException when the channel ends inside a record or before the peer's close_notify
     */
    private SSLEngineResult unwrap() throws IOException {
        for (;;) {
            netIn.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
            }
            switch (r.getStatus()) {
                case OK, CLOSED -> {
                    return r;
                }
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                case BUFFER_UNDERFLOW -> {
                    if (!netIn.hasRemaining()) {
                        netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                    }
                    if (channel.read(netIn) < 0) {
                        throw new EOFException("the channel ended before the peer's TLS close_notify ("
                                + netIn.position() + " bytes of a record read)");
                    }
                }
            }
        }
    }

    private static ByteBuffer grow(ByteBuffer fill, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(fill.capacity() * 2, fill.position() + atLeast));
        return bigger.put(fill.flip());
    }

    /** Encrypts and sends all of {@code src}. */
    void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            SSLEngineResult r = wrap(src);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("write after the TLS session closed");
            }
            finishHandshakeWork(r.getHandshakeStatus());
        }
    }

    /**
     * Reads plaintext into {@code dst}: at least one byte, or -1 once the peer's close_notify has
     * come (then this side answers with its own).
     */
    int read(ByteBuffer dst) throws IOException {
        while (appIn.position() == 0) {
            if (engine.isInboundDone()) {
                return -1;
            }
            SSLEngineResult r = unwrap();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                engine.closeOutbound();
                finishHandshakeWork(engine.getHandshakeStatus());
                if (appIn.position() == 0) {
                    return -1;
                }
            } else {
                finishHandshakeWork(r.getHandshakeStatus()); // a post-handshake message: ticket, key update
            }
        }
        appIn.flip();
        int n = Math.min(appIn.remaining(), dst.remaining());
        dst.put(dst.position(), appIn, appIn.position(), n).position(dst.position() + n);
        appIn.position(appIn.position() + n).compact();
        return n;
    }

    /** Answers what the engine still needs after a record (a task, a record to send) without reading. */
    private void finishHandshakeWork(SSLEngineResult.HandshakeStatus hs) throws IOException {
        while (hs == SSLEngineResult.HandshakeStatus.NEED_TASK || hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP && engine.isOutboundDone()) {
                return;
            }
            hs = step(hs);
        }
    }

    /** Sends this side's close_notify (the peer reads end of stream); the channel stays open for the caller to close. */
    void closeOutbound() throws IOException {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            wrap(NOTHING);
        }
    }
}
