package dev.weft.actor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A bare {@link Mailbox} for tests of its protocol: its consumer is one thread that parks, as a
 * process actor's does, and {@link #wake()} unparks it and counts.
 */
final class TestBox extends Mailbox {

    volatile Thread owner;
    final AtomicInteger wakes = new AtomicInteger();

    TestBox() {
        super(ACTIVE);
    }

    @Override
    void wake() {
        wakes.incrementAndGet();
        LockSupport.unpark(owner);
    }

    @Override
    boolean signalled() {
        return false;
    }

    /** Takes the next message, parking while there is none: a process actor's receive, bare. */
    Object take() {
        for (;;) {
            Object m = poll();
            if (m != null) {
                return m;
            }
            if (announceWait(null)) {
                LockSupport.park(this);
                resumed();
            }
        }
    }
}
