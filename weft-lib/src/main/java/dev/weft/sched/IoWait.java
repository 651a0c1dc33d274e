package dev.weft.sched;

/**
 * Marks a park blocker ({@link java.util.concurrent.locks.LockSupport#park(Object)}) that means
 * "this task waits for I/O": an I/O layer parks a task on an object of this type, and
 * {@link Scheduler#isParkedOnIo} tells it from any other park by the blocker alone, so the wait
 * costs nothing to mark.
 */
public interface IoWait {
}
