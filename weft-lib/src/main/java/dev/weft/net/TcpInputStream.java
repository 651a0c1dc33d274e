package dev.weft.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@link TcpStream#inputStream()}: the {@link InputStream} contract over {@link TcpStream#read(ByteBuffer)},
 * unbuffered and holding no state of its own (two tasks reading at once get their bytes in an
 * unspecified order, as on the stream).
 */
final class TcpInputStream extends InputStream {

    private final TcpStream stream;

    TcpInputStream(TcpStream stream) {
        this.stream = stream;
    }

    /** One byte, 0..255, or -1 at end of stream; waits for it. */
    @Override
    public int read() throws IOException {
        byte[] one = new byte[1]; // not a field: a read that runs beside another must not share it
        int n = stream.read(ByteBuffer.wrap(one));
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    /** Up to {@code len} bytes into {@code b} at {@code off}: at least one, -1 at end of stream, 0 for {@code len} 0. */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        return stream.read(ByteBuffer.wrap(b, off, len));
    }

    /** 0: what the kernel holds is not known without a system call. Throws on a closed stream. */
    @Override
    public int available() throws IOException {
        if (stream.isClosed()) {
            throw new StreamClosedException("available on " + stream + " failed: the stream is closed");
        }
        return 0;
    }

    /** Closes the connection (both directions), as a {@link java.net.Socket}'s input stream does. */
    @Override
    public void close() {
        stream.close();
    }

    @Override
    public String toString() {
        return "TcpInputStream(" + stream + ")";
    }
}
