package dev.weft.sched;

import java.util.concurrent.locks.LockSupport;

/**
 * The {@link Driver} of a runtime without I/O: parking is {@link LockSupport#park}, whose permit
 * is the pending wake-up.
 */
public final class ThreadParker implements Driver {

    private volatile Thread owner;

    @Override
    public void attach() {
        owner = Thread.currentThread();
    }

    @Override
    public void poll() {
    }

    @Override
    public boolean busy() {
        return false;
    }

    @Override
    public void park() {
        LockSupport.park(this);
    }

    @Override
    public void wake() {
        Thread t = owner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public void close() {
    }

    @Override
    public long operations() {
        return 0;
    }

    @Override
    public String backend() {
        return "none";
    }
}
