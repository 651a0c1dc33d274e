package dev.weft.device;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A handle to one service instance held by a device runner. Callers anywhere submit work to it;
 * the runner executes that work on its own thread, in order; callers that need an answer wait.
 *
 * <p>A handle is immutable: copying the reference is copying the handle, and any number of
 * threads may use one at once.
 *
 * <h2>Ordering and eligibility</h2>
 * Tasks submitted by one thread run in the order it submitted them. A {@link #submit}ted task
 * becomes eligible to run when its batch fills ({@link DeviceConfig#batchSize()} tasks) or when
 * someone calls {@link #flush()}; {@link #submitBlocking} and {@link #exclusive} flush by
 * themselves, and so does {@link #shutdown}. A call made on the runner's own thread (a task that
 * calls its own device) runs inline, at once, instead of waiting for itself. A blocking call from
 * one runner to another is an ordinary wait: two runners that call each other blockingly can
 * deadlock, as two threads taking two locks in opposite order can; use {@link #submit} for one
 * direction.
 *
 * <h2>Failures</h2>
 * A task that throws never ends the runner. {@code submitBlocking} and {@code exclusive} throw a
 * {@link CallException} carrying the original throwable; a fire-and-forget task's throwable goes
 * to the device's {@link TaskFailureHandler} and is counted in {@link #stats}.
 *
 * @param <S> the service type
 */
public final class DeviceHandle<S> {

    private final DeviceRunner runner;
    private final Class<S> serviceClass;
    private final S service;

    private DeviceHandle(DeviceRunner runner, Class<S> serviceClass, S service) {
        this.runner = runner;
        this.serviceClass = serviceClass;
        this.service = service;
    }

    // ---------------------------------------------------------------------------------------
    // The registry.

    /**
     * Returns a handle to the device's service of this class, creating the service with
     * {@code init} on the runner thread the first time. {@code init} runs at most once per
     * (device, stage, class) that succeeds, however many threads race to open it; if it throws,
     * this call throws a {@link CallException} and a later open tries again.
     *
     * @param device       the device
     * @param serviceClass the service class; its {@link ServiceStage} picks the runner
     * @param init         creates the service, given the device; must not return null
     * @throws IllegalStateException when the device is shut down
     */
    public static <S> DeviceHandle<S> open(DeviceId device, Class<S> serviceClass,
                                           Function<? super DeviceId, ? extends S> init) {
        Objects.requireNonNull(serviceClass, "serviceClass");
        Objects.requireNonNull(init, "init");
        DeviceRunner runner = Device.of(device).runner(Stage.of(serviceClass));
        Object existing = runner.service(serviceClass);
        if (existing != null) {
            return new DeviceHandle<>(runner, serviceClass, serviceClass.cast(existing));
        }
        Call<Object> create = new Call.Exclusive<>(StreamId.currentValue(), () -> {
            Object held = runner.service(serviceClass);
            if (held != null) {
                return held;
            }
            S created = init.apply(device);
            if (created == null) {
                throw new NullPointerException("init for " + serviceClass.getName() + " on "
                        + device + " returned null; it must return the service instance");
            }
            if (!serviceClass.isInstance(created)) {
                throw new ClassCastException("init for " + serviceClass.getName() + " on " + device
                        + " returned a " + created.getClass().getName());
            }
            runner.installIfAbsent(serviceClass, created);
            return created;
        });
        Object created = callOn(runner, create);
        return new DeviceHandle<>(runner, serviceClass, serviceClass.cast(created));
    }

    /**
     * Installs a ready service instance, keyed by its class ({@code service.getClass()}), and
     * returns a handle to it.
     *
     * @throws IllegalStateException when the device already holds a service of that class, or is
     *                               shut down
     */
    public static <S> DeviceHandle<S> insert(DeviceId device, S service) {
        Objects.requireNonNull(service, "service");
        @SuppressWarnings("unchecked")
        Class<S> serviceClass = (Class<S>) service.getClass();
        Stage stage = Stage.of(serviceClass);
        DeviceRunner runner = Device.of(device).runner(stage);
        Call<Boolean> install = new Call.Exclusive<>(StreamId.currentValue(),
                () -> runner.installIfAbsent(serviceClass, service) == null);
        if (!callOn(runner, install)) {
            throw new IllegalStateException(device + " (" + stage + ") already holds a service of "
                    + serviceClass.getName() + "; use DeviceHandle.open to get a handle to it");
        }
        return new DeviceHandle<>(runner, serviceClass, service);
    }

    /**
     * Sets how the device's runners are built. Must come before the device's first use.
     *
     * @throws IllegalStateException when the device is already in use or shut down
     */
    public static void configure(DeviceId device, DeviceConfig config) {
        Device.of(device).configure(config);
    }

    /**
     * Runs code on a runner thread of the device without a service, and returns its result.
     *
     * @throws CallException         when {@code body} throws
     * @throws IllegalStateException when the device is shut down
     */
    public static <R> R exclusive(DeviceId device, Stage stage, Supplier<? extends R> body) {
        Objects.requireNonNull(stage, "stage");
        return exclusiveOn(Device.of(device).runner(stage), body);
    }

    /**
     * Shuts the device down: each started runner runs everything accepted so far (flushed or
     * not), then stops. Calls made after that, through {@code open}, {@code insert} or existing
     * handles, throw an {@link IllegalStateException} naming the device. A runner that does not
     * stop within {@code timeout} (a task that never returns) is reported as a warning and left
     * running: this method does not wait longer. A runner shutting down its own device stops once
     * its current task returns; it is not waited for.
     *
     * @return true if every runner stopped in time
     */
    public static boolean shutdown(DeviceId device, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("shutdown timeout must not be negative, was " + timeout);
        }
        List<DeviceRunner> runners = Device.of(device).shutDown();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean allStopped = true;
        for (DeviceRunner r : runners) {
            if (r.isRunnerThread()) {
                continue;
            }
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    r.thread().join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (r.thread().isAlive()) {
                allStopped = false;
                System.getLogger("dev.weft.device").log(System.Logger.Level.WARNING,
                        "runner " + r.thread().getName() + " of " + device + " did not stop within "
                                + timeout + " (a task is still running); it is left to finish");
            }
        }
        return allStopped;
    }

    /** The counters of the device's started runners. */
    public static List<RunnerStats> stats(DeviceId device) {
        return Device.of(device).stats();
    }

    // ---------------------------------------------------------------------------------------
    // Work.

    /**
     * Queues {@code task} to run with the service on the runner. It runs after the tasks this
     * thread submitted before, once its batch fills or is flushed. A throwable goes to the
     * device's failure handler.
     *
     * @throws IllegalStateException when the device is shut down
     */
    public void submit(Consumer<? super S> task) {
        Objects.requireNonNull(task, "task");
        DeviceTask t = new DeviceTask.Submitted<>(StreamId.currentValue(), task, service);
        if (runner.isRunnerThread()) {
            runner.runInline(t);
        } else {
            runner.send(t);
        }
    }

    /**
     * Runs {@code task} with the service on the runner (after everything this thread submitted
     * before) and returns its result. Waits uninterruptibly; an interrupt is kept for later.
     *
     * @throws CallException         when {@code task} throws; the runner carries on
     * @throws IllegalStateException when the device is shut down
     */
    public <R> R submitBlocking(Function<? super S, ? extends R> task) {
        Objects.requireNonNull(task, "task");
        return callOn(runner, new Call.OnService<>(StreamId.currentValue(), task, service));
    }

    /**
     * Runs {@code task} on this handle's runner thread without the service, and returns its
     * result.
     *
     * @throws CallException         when {@code task} throws
     * @throws IllegalStateException when the device is shut down
     */
    public <R> R exclusive(Supplier<? extends R> task) {
        return exclusiveOn(runner, task);
    }

    /** Makes everything this thread submitted so far eligible to run now, without waiting. */
    public void flush() {
        runner.flush();
    }

    /** The device. */
    public DeviceId device() {
        return runner.device();
    }

    /** The stage whose runner holds the service. */
    public Stage stage() {
        return runner.stage();
    }

    /** The service class. */
    public Class<S> serviceClass() {
        return serviceClass;
    }

    @Override
    public String toString() {
        return "DeviceHandle[" + runner.device() + ", " + runner.stage() + ", "
                + serviceClass.getName() + "]";
    }

    private static <R> R exclusiveOn(DeviceRunner runner, Supplier<? extends R> task) {
        Objects.requireNonNull(task, "task");
        return callOn(runner, new Call.Exclusive<>(StreamId.currentValue(), task));
    }

    private static <R> R callOn(DeviceRunner runner, Call<R> call) {
        if (runner.isRunnerThread()) {
            runner.runInline(call);
            return call.await(runner);
        }
        return runner.call(call);
    }
}
