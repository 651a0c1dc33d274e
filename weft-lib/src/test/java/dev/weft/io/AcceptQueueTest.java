package dev.weft.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A listener's multishot accept queue when arming it fails. */
@Timeout(30)
class AcceptQueueTest {

    @Test
    void anArmingThatThrowsLeavesTheQueueUnarmedAndTheListenerFree() throws Exception {
        int fds = fdCount();
        UringSocket listener = UringSocket.open(SockAddr.AF_INET);
        RuntimeException refused = new IllegalStateException("io_uring_enter failed while submitting: ENOMEM");
        AtomicInteger arms = new AtomicInteger();
        List<Integer> armedFds = new ArrayList<>();
        AcceptQueue q = new AcceptQueue(listener, (queue, fd) -> {
            armedFds.add(fd);
            if (arms.incrementAndGet() == 1) {
                throw refused;
            }
            // the second arming works: a completion without F_MORE (the listener shut down) ends it
            queue.complete(null, -dev.weft.uring.Errno.ECANCELED, 0);
        });
        assertSame(refused, assertThrows(IllegalStateException.class, () -> q.take(0)));
        assertFalse(q.armed.get(), "the next acceptor may arm again");
        // The next acceptor arms again (on the old code it would skip arming and wait for ever).
        assertEquals(-dev.weft.uring.Errno.ECANCELED, q.take(System.nanoTime() + 5_000_000_000L));
        assertEquals(2, arms.get());
        assertEquals(List.of(listener.fd, listener.fd), armedFds);
        listener.close(); // no use left taken: this closes the descriptor
        assertEquals(fds, fdCount(), "the listener's descriptor was closed");
    }

    private static int fdCount() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }
}
