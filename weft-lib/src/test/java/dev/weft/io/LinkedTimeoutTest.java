package dev.weft.io;

import dev.weft.net.IoTimeoutException;
import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.KernelFeatures;
import dev.weft.uring.Ring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An operation and its linked timeout reach the kernel together, even when the operation's SQE
 * takes the last free slot of the submission queue.
 */
@Timeout(60)
class LinkedTimeoutTest {

    @AfterEach
    void realKernelAgain() {
        IoBackends.useKernel(UringKernel.REAL);
    }

    @Test
    void aReadWithATimeoutThatFillsTheQueueStillTimesOut() throws Exception {
        IoBackends.useKernel(TestKernels.realProbe((entries, features) -> UringKernel.REAL.open(2, features))); // rings of 2 SQ entries
        try (Weft rt = Weft.start(Config.builder().workers(1).io(IoMode.URING).build())) {
            JoinHandle<String> test = rt.spawn(() -> {
                try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 4);
                     TcpStream a = TcpStream.connect(l.localAddress(), Duration.ofSeconds(10));
                     TcpStream b = l.accept();
                     TcpStream c = TcpStream.connect(l.localAddress(), Duration.ofSeconds(10));
                     TcpStream d = l.accept()) {
                    // One worker runs both children back to back, before it next submits: the
                    // first queues one SQE (a read with no timeout), the second's read takes the
                    // last free slot, and its timeout needs one more.
                    JoinHandle<Integer> untimed = Task.spawn(() -> b.read(ByteBuffer.allocateDirect(8)));
                    JoinHandle<String> timed = Task.spawn(() -> {
                        d.readTimeout(Duration.ofMillis(100));
                        IoTimeoutException e = assertThrows(IoTimeoutException.class,
                                () -> d.read(ByteBuffer.allocateDirect(8)));
                        return e.getClass().getSimpleName();
                    });
                    String outcome = timed.join(Duration.ofSeconds(10));
                    a.writeAll(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                    assertEquals(3, untimed.join(Duration.ofSeconds(10)));
                    return outcome;
                }
            });
            assertEquals("IoTimeoutException", test.join(Duration.ofSeconds(30)));
        }
    }
}
