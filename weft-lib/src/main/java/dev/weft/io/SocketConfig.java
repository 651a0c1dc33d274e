package dev.weft.io;

/**
 * Socket options set when a socket is created. {@code 0} for a buffer size keeps the kernel's
 * default.
 *
 * @param noDelay       TCP_NODELAY: send small segments at once (default true: weft serves
 *                      request/response traffic)
 * @param reuseAddress  SO_REUSEADDR on listeners (default true)
 * @param reusePort     SO_REUSEPORT on listeners (default false)
 * @param receiveBuffer SO_RCVBUF in bytes, 0 for the default
 * @param sendBuffer    SO_SNDBUF in bytes, 0 for the default
 */
public record SocketConfig(boolean noDelay, boolean reuseAddress, boolean reusePort, int receiveBuffer,
                           int sendBuffer) {

    /** TCP_NODELAY and SO_REUSEADDR on, kernel buffer sizes. */
    public static final SocketConfig DEFAULTS = new SocketConfig(true, true, false, 0, 0);

    /** @throws IllegalArgumentException naming a negative buffer size */
    public SocketConfig {
        if (receiveBuffer < 0 || sendBuffer < 0) {
            throw new IllegalArgumentException("socket buffer sizes must be >= 0 (0 keeps the kernel's default), were "
                    + "receiveBuffer=" + receiveBuffer + ", sendBuffer=" + sendBuffer);
        }
    }
}
