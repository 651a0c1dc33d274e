package dev.weft.net;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@link TcpStream#outputStream()}: the {@link OutputStream} contract over
 * {@link TcpStream#writeAll(ByteBuffer)}, unbuffered and holding no state of its own.
 */
final class TcpOutputStream extends OutputStream {

    private final TcpStream stream;

    TcpOutputStream(TcpStream stream) {
        this.stream = stream;
    }

    /** Writes the low 8 bits of {@code b}. */
    @Override
    public void write(int b) throws IOException {
        stream.writeAll(ByteBuffer.wrap(new byte[] {(byte) b}));
    }

    /** Writes all {@code len} bytes of {@code b} from {@code off} before it returns. */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return;
        }
        stream.writeAll(ByteBuffer.wrap(b, off, len));
    }

    /**
     * Nothing to do: every write has reached the kernel when it returns. It does not throw on a
     * closed stream, so that closing a buffered writer over a stream already closed (by its input
     * view, say) only closes.
     */
    @Override
    public void flush() {
    }

    /** Closes the connection (both directions), as a {@link java.net.Socket}'s output stream does. */
    @Override
    public void close() {
        stream.close();
    }

    @Override
    public String toString() {
        return "TcpOutputStream(" + stream + ")";
    }
}
