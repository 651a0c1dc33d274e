package dev.weft.io;

import dev.weft.sched.CarrierPin;

import java.nio.channels.Selector;

/**
 * The NIO backend's {@link Wakeup}: {@link Selector#wakeup()}. The worker sleeps in a blocking
 * {@code select} ({@link NioDriver#park()}); a wake-up that comes before it is kept by the
 * selector and makes that select return at once. (A {@code selectNow} in
 * {@link NioDriver#poll()} clears it; the worker never polls between announcing its park and
 * parking.)
 *
 * <p><b>Threads.</b> Any thread, tasks too; pinned ({@link CarrierPin}), since the selector's
 * wake-up lock is taken by the worker's thread too (see {@link NioDriver}'s note on pinning). A
 * no-op once the selector is closed.
 */
final class SelectorWakeup implements Wakeup {

    private final Selector selector;

    SelectorWakeup(Selector selector) {
        this.selector = selector;
    }

    @Override
    public void wake() {
        CarrierPin.enter();
        try {
            selector.wakeup();
        } finally {
            CarrierPin.exit();
        }
    }
}
