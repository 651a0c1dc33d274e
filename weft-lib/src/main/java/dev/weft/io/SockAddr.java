package dev.weft.io;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** {@code sockaddr_in} and {@code sockaddr_in6} in native memory, and back. */
final class SockAddr {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    /** Room for either form ({@code sockaddr_in6} is 28 bytes). */
    static final int MAX_SIZE = 28;

    private SockAddr() {
    }

    /**
     * Writes {@code address} at the start of {@code out}.
     *
     * @return its length in bytes
     * @throws IllegalArgumentException for an unresolved address, naming it
     */
    static int write(InetSocketAddress address, MemorySegment out) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("address " + address + " is unresolved; resolve it first "
                    + "(new InetSocketAddress(host, port) resolves)");
        }
        short port = Short.reverseBytes((short) address.getPort()); // network byte order
        out.asSlice(0, MAX_SIZE).fill((byte) 0);
        if (ip instanceof Inet4Address) {
            out.set(JAVA_SHORT, 0, (short) AF_INET);
            out.set(JAVA_SHORT, 2, port);
            MemorySegment.copy(ip.getAddress(), 0, out, JAVA_BYTE, 4, 4);
            return 16;
        }
        Inet6Address v6 = (Inet6Address) ip;
        out.set(JAVA_SHORT, 0, (short) AF_INET6);
        out.set(JAVA_SHORT, 2, port);
        MemorySegment.copy(v6.getAddress(), 0, out, JAVA_BYTE, 8, 16);
        out.set(JAVA_INT, 24, v6.getScopeId());
        return 28;
    }

    /** The address a kernel wrote at the start of {@code in}. */
    static InetSocketAddress read(MemorySegment in) {
        int family = Short.toUnsignedInt(in.get(JAVA_SHORT, 0));
        int port = Short.toUnsignedInt(Short.reverseBytes(in.get(JAVA_SHORT, 2)));
        try {
            if (family == AF_INET) {
                byte[] a = new byte[4];
                MemorySegment.copy(in, JAVA_BYTE, 4, a, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(a), port);
            }
            if (family == AF_INET6) {
                byte[] a = new byte[16];
                MemorySegment.copy(in, JAVA_BYTE, 8, a, 0, 16);
                return new InetSocketAddress(Inet6Address.getByAddress(null, a, in.get(JAVA_INT, 24)), port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("kernel wrote a malformed address", e);
        }
        throw new IllegalStateException("unexpected address family " + family + " (expected AF_INET or AF_INET6)");
    }

    static int family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? AF_INET : AF_INET6;
    }

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("weft's io_uring binding supports little-endian machines only");
        }
    }
}
