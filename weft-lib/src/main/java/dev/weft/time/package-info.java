/**
 * Time in weft: the runtime's one {@link dev.weft.time.Timer}, a daemon thread that runs short
 * actions at deadlines on the {@link java.lang.System#nanoTime()} clock. Task sleeps and timeouts
 * are built on it: a sleeping task is a parked virtual thread and a timer entry whose action
 * unparks it. Internal: the classes are public for weft's other packages, not exported.
 *
 * <pre>{@code
 * Timer timer = new Timer("weft-timer");
 * Thread me = Thread.currentThread();
 * Timer.Entry entry = timer.schedule(System.nanoTime() + 5_000_000, () -> LockSupport.unpark(me));
 * while (!entry.isFired()) {
 *     LockSupport.park(entry);        // isFired() is true before the action unparks
 * }
 *
 * Timer.Entry timeout = timer.schedule(deadline, () -> worker.interrupt());
 * doWork();
 * boolean cancelled = timeout.cancel(); // true: it will never fire
 *
 * timer.close();                      // nothing fires after this returns
 * }</pre>
 *
 * Actions run on the timer thread, one after another: they must be short and should not throw
 * (a throwing action is counted in {@link dev.weft.time.Timer#failed()}; the timer goes on).
 */
package dev.weft.time;
