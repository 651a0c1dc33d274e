package dev.weft.io;

import dev.weft.uring.Errno;
import dev.weft.uring.Libc;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@link NioErrno} for the failures loopback cannot produce (a connect timeout, an unreachable
 * network, EMFILE), built as the JDK builds them: the type its native code picks and libc's text
 * for the errno as the message. The failures loopback can produce are in
 * {@code dev.weft.net.BackendErrnoTest}.
 */
class NioErrnoTest {

    /** The exceptions the JDK throws for these errnos on Linux (its handleSocketError and IOUtil). */
    private static void assertMapped() {
        assertMapped(Errno.ETIMEDOUT, new ConnectException(Libc.strerror(Errno.ETIMEDOUT)));
        assertMapped(Errno.ECONNREFUSED, new ConnectException(Libc.strerror(Errno.ECONNREFUSED)));
        assertMapped(Errno.ENETUNREACH, new SocketException(Libc.strerror(Errno.ENETUNREACH)));
        assertMapped(Errno.EHOSTUNREACH, new NoRouteToHostException(Libc.strerror(Errno.EHOSTUNREACH)));
        assertMapped(Errno.EMFILE, new SocketException(Libc.strerror(Errno.EMFILE))); // socket()
        assertMapped(Errno.EMFILE, new IOException(Libc.strerror(Errno.EMFILE))); // accept()
        assertMapped(Errno.ENFILE, new IOException(Libc.strerror(Errno.ENFILE)));
        assertMapped(Errno.EACCES, new BindException(Libc.strerror(Errno.EACCES))); // a port below 1024
        assertMapped(Errno.ECONNRESET, new IOException(Libc.strerror(Errno.ECONNRESET))); // write
        assertMapped(Errno.EPIPE, new IOException(Libc.strerror(Errno.EPIPE)));
        assertMapped(Errno.ECONNRESET, new SocketException(NioErrno.JDK_READ_RESET)); // read
        // -Djdk.includeInExceptions=hostInfo appends the address
        assertMapped(Errno.ECONNREFUSED, new ConnectException(Libc.strerror(Errno.ECONNREFUSED) + ": /[::1]:8080"));
        assertMapped(Errno.EBADF, new ClosedChannelException());
        assertMapped(Errno.EBADF, new AsynchronousCloseException());
        assertMapped(Errno.EBADF, new ClosedByInterruptException());
        // best-effort: what libc did not write
        assertMapped(Errno.EHOSTUNREACH, new NoRouteToHostException("no route, says someone"));
        assertMapped(Errno.EIO, new ConnectException("refused, in other words"));
        assertMapped(Errno.EIO, new IOException("something else"));
        assertMapped(Errno.EIO, new IOException());
        assertMapped(Errno.EIO, new IOException(NioErrno.JDK_READ_RESET)); // the JDK's literal, but not its type
    }

    private static void assertMapped(int errno, Throwable jdk) {
        assertEquals(Errno.name(errno), Errno.name(NioErrno.errno(jdk)), jdk.toString());
    }

    @Test
    void mapsByTypeAndErrno() {
        assertMapped();
    }

    @Test
    void mapsTheSameUnderGermanMessages() throws Exception {
        try (GermanMessages de = GermanMessages.switchOn()) {
            assumeFalse(Libc.strerror(Errno.ETIMEDOUT).equals("Connection timed out"),
                    "libc has no German messages here (glibc's libc.mo for 'de' is not installed)");
            assertMapped();
        }
        assertMapped(); // and back in the locale the process started in
    }
}
