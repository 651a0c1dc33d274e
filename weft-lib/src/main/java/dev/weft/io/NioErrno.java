package dev.weft.io;

import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.Libc;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The NIO backend's errno mapping: the JDK's exceptions as the kernel's {@code -errno} results,
 * so that results and {@link ErrnoException}s read the same on both backends. Stateless but for a
 * cache; any thread.
 *
 * <h2>Where the errno comes from</h2>
 * The JDK's channels do not keep the errno of a failed call; what they throw carries it in one of
 * three ways, tried in this order:
 * <ol>
 *   <li><b>The type</b>, where the JDK has one: {@link ClosedChannelException} (and its
 *       subtypes, an asynchronous close or an interrupt) is {@code EBADF},
 *       {@link NotYetConnectedException} {@code ENOTCONN}, {@link UnresolvedAddressException}
 *       {@code EINVAL}; of the file system's, {@link NoSuchFileException} {@code ENOENT},
 *       {@link FileAlreadyExistsException} {@code EEXIST}, {@link AccessDeniedException}
 *       {@code EACCES}, and any other {@link FileSystemException} by its reason, libc's text.</li>
 *   <li><b>The reset of a read.</b> The JDK's native read turns {@code ECONNRESET} into its
 *       internal {@code sun.net.ConnectionResetException}, which {@code SocketChannel.read}
 *       catches and replaces with a plain {@link SocketException} whose message is the JDK's own
 *       constant {@code "Connection reset"} (a literal in its source, never translated, and
 *       repeated by every later read of that channel): that exact message on a
 *       {@code SocketException} is {@code ECONNRESET}. This is the one case decided by a JDK
 *       text, as the JDK lets out nothing else; if a JDK changes the text, a reset read maps to
 *       {@code EIO}.</li>
 *   <li><b>The errno itself.</b> Every other failure of a native call (a write's
 *       {@code ECONNRESET} and {@code EPIPE}, connect's {@code ECONNREFUSED} and
 *       {@code ETIMEDOUT}, {@code ENETUNREACH}, bind's {@code EADDRINUSE} and
 *       {@code EADDRNOTAVAIL}, {@code EMFILE}, ...) is thrown with libc's {@code strerror(errno)}
 *       as its whole message (or as its start, followed by {@code ": "} and the address when
 *       {@code jdk.includeInExceptions} asks for it), in the locale of the process: German text
 *       under {@code LANGUAGE=de}. The message is compared with {@link Libc#strerror} of each
 *       errno, asked of the same libc in the same locale, so it reads back the errno that made it
 *       whatever the language. The exception's type is not needed then (a {@link BindException}
 *       may be {@code EADDRINUSE}, {@code EADDRNOTAVAIL} or {@code EACCES}; a
 *       {@link ConnectException} {@code ECONNREFUSED}, {@code ETIMEDOUT} or {@code ENOTCONN}).</li>
 * </ol>
 * What none of these decides is best-effort: a {@link NoRouteToHostException} is
 * {@code EHOSTUNREACH} (the only errno the JDK throws it for), anything else {@code EIO}. That is
 * the case for an exception with a message libc did not write, for a process whose locale changed
 * between the JDK building the message and this mapping reading it, and on a platform that is not
 * Linux (the errno values here are Linux's, so libc's texts are not asked there).
 */
final class NioErrno {

    /** The JDK's message for a read that met a reset (its {@code SocketChannelImpl}'s literal). */
    static final String JDK_READ_RESET = "Connection reset";
    /** The highest Linux errno (EHWPOISON). */
    private static final int MAX_ERRNO = 133;

    /** libc's texts seen so far, by text; each hit is checked against libc again before use. */
    private static final Map<String, Integer> BY_TEXT = new ConcurrentHashMap<>();

    private NioErrno() {
    }

    /** The errno for a JDK exception, found as the class comment says; {@code EIO} if none is. */
    static int errno(Throwable e) {
        if (e instanceof ErrnoException ee) {
            return ee.errno();
        }
        if (e instanceof ClosedChannelException) { // also AsynchronousCloseException, ClosedByInterruptException
            return Errno.EBADF;
        }
        if (e instanceof NotYetConnectedException) {
            return Errno.ENOTCONN;
        }
        if (e instanceof UnresolvedAddressException) {
            return Errno.EINVAL;
        }
        if (e instanceof NoSuchFileException) {
            return Errno.ENOENT;
        }
        if (e instanceof FileAlreadyExistsException) {
            return Errno.EEXIST;
        }
        if (e instanceof AccessDeniedException) {
            return Errno.EACCES;
        }
        if (e instanceof FileSystemException f) { // the JDK's reason is libc's text (the message adds the path)
            int errno = fromStrerror(f.getReason());
            if (errno > 0) {
                return errno;
            }
        }
        if (e.getClass() == SocketException.class && JDK_READ_RESET.equals(e.getMessage())) {
            return Errno.ECONNRESET;
        }
        int errno = fromStrerror(e.getMessage());
        if (errno > 0) {
            return errno;
        }
        if (e instanceof NoRouteToHostException) {
            return Errno.EHOSTUNREACH;
        }
        return Errno.EIO;
    }

    /** An {@link ErrnoException} for {@code what} failing with the JDK's {@code e}. */
    static ErrnoException errnoException(String what, Throwable e) {
        if (e instanceof ErrnoException ee) {
            return ee;
        }
        int errno = errno(e);
        return new ErrnoException(what + " failed: " + Errno.name(errno) + " (" + e + ")", errno, e);
    }

    /**
     * The errno whose libc text is {@code message}, or is its start followed by {@code ": "}; 0
     * if none is (or libc cannot be asked).
     */
    static int fromStrerror(String message) {
        if (message == null || message.isEmpty() || !Strerror.AVAILABLE) {
            return 0;
        }
        int errno = exact(message);
        for (int i = message.indexOf(": "); errno == 0 && i > 0; i = message.indexOf(": ", i + 1)) {
            errno = exact(message.substring(0, i));
        }
        return errno;
    }

    private static int exact(String text) {
        Integer cached = BY_TEXT.get(text);
        if (cached != null && text.equals(Libc.strerror(cached))) {
            return cached;
        }
        // not seen, or the locale changed since: ask libc for every errno's text now
        int found = 0;
        for (int n = 1; n <= MAX_ERRNO; n++) {
            String s = Libc.strerror(n);
            BY_TEXT.put(s, n);
            if (found == 0 && s.equals(text)) {
                found = n;
            }
        }
        return found;
    }

    /** Whether libc's texts can be asked: Linux, and the downcall links. */
    private static final class Strerror {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            if (!System.getProperty("os.name", "").startsWith("Linux")) {
                return false;
            }
            try {
                return !Libc.strerror(Errno.EPIPE).isEmpty();
            } catch (LinkageError | RuntimeException e) {
                return false;
            }
        }
    }
}
