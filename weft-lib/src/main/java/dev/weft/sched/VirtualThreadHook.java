package dev.weft.sched;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The one place where weft reaches into the JDK to run virtual threads on its own workers. The JDK
 * has no public API for a virtual-thread scheduler; JDK 25 has two package-private members that
 * make one, and this class is all that knows about them, so that a public API can replace it here
 * alone:
 * <ul>
 *   <li>{@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)}: a virtual-thread builder
 *       whose threads are scheduled by the given executor. When such a thread is started,
 *       unparked or yields, the JDK calls {@code executor.execute(continuation)}; running that
 *       runnable on a platform thread mounts the virtual thread on it until it parks or ends.</li>
 *   <li>{@code Thread.currentCarrierThread()}: on JDK 25 the JDK calls {@code execute} on the
 *       virtual thread that caused the wake-up (pinned to its carrier for the call), not on the
 *       carrier, so the scheduler asks for the carrier to find the worker whose local queue should
 *       take the task. (JDK 21 switched to the carrier instead; 25 pins.)</li>
 *   <li>{@code VirtualThread.disableSuspendAndPreempt()} and {@code enableSuspendAndPreempt()}:
 *       the JDK's own critical section ({@code Continuation.pin()}, {@code unpin()}, nesting), in
 *       which the current virtual thread cannot leave its carrier: {@link CarrierPin}.</li>
 * </ul>
 * All need {@code java.lang} opened to weft: {@code --add-opens java.base/java.lang=dev.weft} when
 * weft runs as the named module {@code dev.weft} (on the module path, as the {@code weft} command
 * and the tests run it), {@code --add-opens java.base/java.lang=ALL-UNNAMED} when weft's jar is on
 * the class path. {@link #check()} fails with one message naming the flag for the form weft runs
 * in when it is missing, or when a JDK no longer has these members.
 */
final class VirtualThreadHook {

    /** The JVM flag the hook needs, for the module this class is in. */
    static final String REQUIRED_FLAG = requiredFlag(VirtualThreadHook.class.getModule());

    private static final Constructor<?> BUILDER;
    private static final MethodHandle CURRENT_CARRIER;
    /** {@code VirtualThread.disableSuspendAndPreempt()} as {@code (Thread)void}; the thread must be the current one. */
    private static final MethodHandle PIN;
    /** {@code VirtualThread.enableSuspendAndPreempt()} as {@code (Thread)void}. */
    private static final MethodHandle UNPIN;
    private static final Throwable UNAVAILABLE;

    static {
        Constructor<?> builder = null;
        MethodHandle carrier = null;
        MethodHandle pin = null;
        MethodHandle unpin = null;
        Throwable failure = null;
        try {
            Class<?> type = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            builder = type.getDeclaredConstructor(Executor.class);
            builder.setAccessible(true);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            carrier = lookup.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
            Class<?> virtualThread = Class.forName("java.lang.VirtualThread");
            MethodHandles.Lookup vt = MethodHandles.privateLookupIn(virtualThread, MethodHandles.lookup());
            MethodType onThread = MethodType.methodType(void.class, Thread.class);
            pin = vt.findVirtual(virtualThread, "disableSuspendAndPreempt", MethodType.methodType(void.class))
                    .asType(onThread);
            unpin = vt.findVirtual(virtualThread, "enableSuspendAndPreempt", MethodType.methodType(void.class))
                    .asType(onThread);
        } catch (ReflectiveOperationException | RuntimeException e) {
            failure = e; // InaccessibleObjectException, IllegalAccessException, NoSuchMethodException
            builder = null;
            carrier = null;
            pin = null;
            unpin = null;
        }
        BUILDER = builder;
        CURRENT_CARRIER = carrier;
        PIN = pin;
        UNPIN = unpin;
        UNAVAILABLE = failure;
    }

    private VirtualThreadHook() {
    }

    /**
     * Fails if the hook cannot work in this JVM.
     *
     * @throws IllegalStateException naming the missing JVM flag, or the JDK member that is gone
     */
    static void check() {
        if (UNAVAILABLE != null) {
            throw unavailable(UNAVAILABLE);
        }
    }

    /** A virtual-thread builder whose threads {@code scheduler} runs. */
    static Thread.Builder.OfVirtual builder(Executor scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        check();
        try {
            return (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw unavailable(e);
        }
    }

    /**
     * The platform thread the current thread runs on: itself for a platform thread, its carrier
     * for a mounted virtual thread.
     */
    static Thread currentCarrier() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable e) {
            throw unavailable(e);
        }
    }

    /**
     * Keeps the current virtual thread on its carrier until {@link #unpin}: a contended lock
     * blocks the carrier instead of unmounting the thread. Nests. Virtual threads only.
     */
    static void pin() {
        try {
            PIN.invokeExact(Thread.currentThread());
        } catch (Throwable e) {
            throw unavailable(e);
        }
    }

    /** Ends the innermost {@link #pin}. */
    static void unpin() {
        try {
            UNPIN.invokeExact(Thread.currentThread());
        } catch (Throwable e) {
            throw unavailable(e);
        }
    }

    /**
     * The flag that opens {@code java.lang} to {@code weft}: to the module by its name when weft
     * is a named module, else to every class on the class path ({@code ALL-UNNAMED}).
     */
    static String requiredFlag(Module weft) {
        return "--add-opens java.base/java.lang=" + (weft.isNamed() ? weft.getName() : "ALL-UNNAMED");
    }

    /** The message for a hook that cannot work, with what to do about it. */
    static IllegalStateException unavailable(Throwable cause) {
        boolean missingMember = cause instanceof NoSuchMethodException || cause instanceof ClassNotFoundException;
        String message = missingMember
                ? "weft cannot run virtual threads on its own workers: this JDK ("
                        + java.lang.Runtime.version() + ") lacks " + cause.getMessage()
                        + "; weft supports JDK 25 (see VirtualThreadHook)"
                : "weft runs virtual threads on its own workers and needs the JVM flag "
                        + REQUIRED_FLAG + " (the weft command and the tests pass it; add it to your "
                        + "java command line)";
        return new IllegalStateException(message, cause);
    }
}
