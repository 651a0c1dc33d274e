package dev.weft.net;

import dev.weft.io.SocketConfig;

/**
 * Options for a {@link TcpListener} (and the streams it accepts) or a {@link TcpStream}. A buffer
 * size of 0 keeps the kernel's default.
 *
 * <pre>{@code
 * TcpListener.bind(address, 1024, SocketOptions.DEFAULTS.withReusePort(true));
 * }</pre>
 *
 * @param noDelay       TCP_NODELAY on streams: small writes go out at once (default on)
 * @param reuseAddress  SO_REUSEADDR on listeners (default on)
 * @param reusePort     SO_REUSEPORT on listeners (default off)
 * @param receiveBuffer SO_RCVBUF in bytes, 0 for the kernel's default
 * @param sendBuffer    SO_SNDBUF in bytes, 0 for the kernel's default
 */
public record SocketOptions(boolean noDelay, boolean reuseAddress, boolean reusePort, int receiveBuffer,
                            int sendBuffer) {

    /** TCP_NODELAY and SO_REUSEADDR on, kernel buffer sizes. */
    public static final SocketOptions DEFAULTS = new SocketOptions(true, true, false, 0, 0);

    /** @throws IllegalArgumentException naming a negative buffer size */
    public SocketOptions {
        if (receiveBuffer < 0 || sendBuffer < 0) {
            throw new IllegalArgumentException("socket buffer sizes must be >= 0 (0 keeps the kernel's default), were "
                    + "receiveBuffer=" + receiveBuffer + ", sendBuffer=" + sendBuffer);
        }
    }

    public SocketOptions withNoDelay(boolean on) {
        return new SocketOptions(on, reuseAddress, reusePort, receiveBuffer, sendBuffer);
    }

    public SocketOptions withReuseAddress(boolean on) {
        return new SocketOptions(noDelay, on, reusePort, receiveBuffer, sendBuffer);
    }

    public SocketOptions withReusePort(boolean on) {
        return new SocketOptions(noDelay, reuseAddress, on, receiveBuffer, sendBuffer);
    }

    public SocketOptions withBuffers(int receive, int send) {
        return new SocketOptions(noDelay, reuseAddress, reusePort, receive, send);
    }

    SocketConfig toConfig() {
        return new SocketConfig(noDelay, reuseAddress, reusePort, receiveBuffer, sendBuffer);
    }
}
