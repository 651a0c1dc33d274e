package dev.weft.io;

/**
 * How any thread ends a worker's sleep: the one wake contract both I/O backends implement
 * ({@link UringWakeup}: the thread's park permit, or an eventfd read armed on the ring;
 * {@link SelectorWakeup}: {@code Selector.wakeup()}). It is {@link dev.weft.sched.Driver#wake()}'s
 * promise, and the {@link ControlMailbox} relies on it.
 *
 * <p><b>Contract.</b> {@link #wake()} may be called from any thread, tasks too, at any time,
 * also before the worker first sleeps and after its driver closed (then it does nothing). A
 * wake-up is never lost: if the worker is asleep, its sleep ends; if it is not, the wake-up is
 * kept (in a flag, a permit, a counter) and its next sleep returns at once. Extra wake-ups may end
 * a sleep spuriously; the worker's loop re-checks its state after every sleep. {@code wake()}
 * takes no lock that the worker's thread holds while it sleeps unless it holds it pinned (see
 * {@link dev.weft.sched.Driver}'s note on locks).
 */
interface Wakeup {

    /** From any thread: ends the worker's current sleep, or makes its next one return at once. */
    void wake();
}
