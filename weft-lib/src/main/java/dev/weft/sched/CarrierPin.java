package dev.weft.sched;

/**
 * A section in which the calling virtual thread stays on its carrier: blocking on a contended
 * lock there blocks the carrier thread, as it would a platform thread, instead of unmounting the
 * virtual thread. Outside a virtual thread both calls do nothing.
 *
 * <h2>Why weft needs it</h2>
 * Since JDK 24 a virtual thread that blocks on a contended monitor leaves its carrier (JEP 491),
 * as one waiting for a {@code java.util.concurrent} lock always did. A weft worker's own thread
 * takes some locks that tasks take too: its driver's (NIO's selector takes monitors in
 * {@code select} and {@code wakeup}; a NIO socket's waiter lists are guarded by a monitor). Two
 * things go wrong when a weft thread leaves its carrier at such a lock:
 * <ul>
 *   <li><b>A worker waits for a task.</b> A task that unmounted while it holds the lock, or while
 *       it is the waiter the JDK picked to take the lock next, moves on only when a worker runs
 *       it; a worker's thread blocked on that lock runs nothing. When no other worker runs the
 *       task (they sleep, and the wake-up went to the blocked worker; or they have exited), the
 *       two wait for each other for ever.</li>
 *   <li><b>A runner finishes another worker's search.</b> A runner looks for its next task on its
 *       worker's behalf ({@link Worker#findWorkWithoutSleeping()}: the run queue's owner side, the
 *       searching count, the driver's poll), and leaves what it found in that worker's hand-off
 *       slot. Unmounted halfway (in the driver's poll), it resumes on another worker and goes on
 *       with the first one's owner-only state from there; the task it leaves in the first
 *       worker's slot is never run if that worker has gone to sleep meanwhile.</li>
 * </ul>
 * So task-side code that may take a lock a worker's thread takes runs pinned, and so does a
 * driver's poll that takes a lock (a runner calls it in its search; {@link Driver}). A pinned section never parks for long: a pinned thread that parks holds its
 * worker. A wait that parks (a NIO task waiting for readiness) exits first and enters again after.
 *
 * <pre>{@code
 * CarrierPin.enter();
 * try {
 *     selector.wakeup(); // the selector's interrupt lock, also taken by the worker after select
 * } finally {
 *     CarrierPin.exit();
 * }
 * }</pre>
 * Sections nest. Entering costs two intrinsics (no allocation, no fence).
 */
public final class CarrierPin {

    private CarrierPin() {
    }

    /** Starts a pinned section on the calling thread; pair it with {@link #exit()} in a {@code finally}. */
    public static void enter() {
        if (Thread.currentThread().isVirtual()) {
            VirtualThreadHook.pin();
        }
    }

    /** Ends the calling thread's innermost pinned section. */
    public static void exit() {
        if (Thread.currentThread().isVirtual()) {
            VirtualThreadHook.unpin();
        }
    }
}
