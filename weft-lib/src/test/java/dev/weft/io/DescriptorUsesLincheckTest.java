package dev.weft.io;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lincheck checks {@link DescriptorUses} as {@link UringSocket} and {@link WakeHandle} use it,
 * against a stand-in descriptor that counts its closes and flags a use of it after close:
 * <ul>
 *   <li>every concurrent run equals some sequential run of {@link Spec}: a use succeeds exactly
 *       when it starts before the first close, and only the first close reports itself as such
 *       (so no acquire succeeds once close has set the closed bit);</li>
 *   <li>a use that got in never finds the descriptor closed under it ({@link #use} would return
 *       {@link #USED_CLOSED}, which the specification never does);</li>
 *   <li>after every run ({@link #descriptorClosedOnceIfClosed}) the descriptor has been closed
 *       exactly once if close was called, never otherwise: no lost close, no double close.</li>
 * </ul>
 */
public class DescriptorUsesLincheckTest {

    /** {@link #use}'s result when the descriptor was closed while the use held it. */
    static final int USED_CLOSED = -1;

    private final DescriptorUses uses = new DescriptorUses();
    private final Descriptor fd = new Descriptor();

    /** A stand-in file descriptor: counts closes, and whether it is closed. */
    static final class Descriptor {
        final AtomicInteger closes = new AtomicInteger();
        volatile boolean closed;

        void close() {
            closed = true;
            closes.incrementAndGet();
        }
    }

    /** One operation on the descriptor (a wake's write, a socket call): 1 done, 0 refused (closed). */
    @Operation
    public int use() {
        if (!uses.acquire()) {
            return 0;
        }
        int r = fd.closed ? USED_CLOSED : 1;
        if (uses.release()) {
            fd.close(); // the last use after close closes it
        }
        return r;
    }

    /** The owner's close: true for the call that set the closed bit. */
    @Operation
    public boolean close() {
        int v = uses.close();
        if (v < 0) {
            return false;
        }
        if (v == 0) {
            fd.close(); // nothing in use: close now
        }
        return true;
    }

    @Operation
    public boolean isClosed() {
        return uses.isClosed();
    }

    @Validate
    public void descriptorClosedOnceIfClosed() {
        int closes = fd.closes.get();
        int expected = uses.isClosed() ? 1 : 0;
        if (closes != expected) {
            throw new IllegalStateException("the descriptor was closed " + closes + " times; expected " + expected
                    + " (closed bit " + uses.isClosed() + ")");
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(Spec.class)
                .check(getClass());
    }

    @Test
    void stress() {
        // kept small, as the other Lincheck tests: model checking is the main gate
        new StressOptions()
                .iterations(20)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(Spec.class)
                .check(getClass());
    }

    /** The uses and the close, one at a time. */
    public static class Spec {
        private boolean closed;

        public int use() {
            return closed ? 0 : 1;
        }

        public boolean close() {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }

        public boolean isClosed() {
            return closed;
        }
    }
}
