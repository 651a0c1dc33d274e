package dev.weft.device;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The runner of one (device, stage): a dedicated thread that owns the services of that stage and
 * runs the tasks it receives through its {@link BatchChannel}, batch by batch, in claim order.
 *
 * <p>Life: started on first use of the (device, stage); runs until {@link #stop()} closes its
 * channel, then runs the final batch (everything accepted before the close) and ends. A task that
 * throws never ends it: the throwable goes to the caller ({@link Call}) or to the failure handler
 * ({@link DeviceTask.Submitted}). Interrupting the runner thread has no effect beyond the task
 * that is running: the flag is cleared before the runner waits for work.
 *
 * <p>Counters are written by the runner thread alone (opaque writes: no fence on the hot path)
 * and read by any thread.
 */
final class DeviceRunner {

    private static final VarHandle TASKS_RUN;
    private static final VarHandle TASKS_FAILED;
    private static final VarHandle CALLS_FAILED;
    private static final VarHandle BATCHES;
    private static final VarHandle PARKS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TASKS_RUN = l.findVarHandle(DeviceRunner.class, "tasksRun", long.class);
            TASKS_FAILED = l.findVarHandle(DeviceRunner.class, "tasksFailed", long.class);
            CALLS_FAILED = l.findVarHandle(DeviceRunner.class, "callsFailed", long.class);
            BATCHES = l.findVarHandle(DeviceRunner.class, "batches", long.class);
            PARKS = l.findVarHandle(DeviceRunner.class, "parks", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DeviceId device;
    private final Stage stage;
    private final DeviceConfig config;
    private final BatchChannel<DeviceTask> channel;
    private final RunnerThread thread;
    /** Written by the runner thread only; read by any thread for the fast path of open. */
    private final ConcurrentHashMap<Class<?>, Object> services = new ConcurrentHashMap<>();

    private long tasksRun;
    private long tasksFailed;
    private long callsFailed;
    private long batches;
    private long parks;

    DeviceRunner(DeviceId device, Stage stage, DeviceConfig config) {
        this.device = device;
        this.stage = stage;
        this.config = config;
        this.channel = new BatchChannel<>(config.batchSize(), config.backoff());
        this.thread = new RunnerThread(
                "weft-device-" + stage.code() + "-" + device.type() + "-" + device.index());
        thread.start();
    }

    DeviceId device() {
        return device;
    }

    Stage stage() {
        return stage;
    }

    DeviceConfig config() {
        return config;
    }

    Thread thread() {
        return thread;
    }

    boolean isRunnerThread() {
        return Thread.currentThread() == thread;
    }

    /** The service of this class, if the runner holds one; readable from any thread. */
    Object service(Class<?> serviceClass) {
        return services.get(serviceClass);
    }

    /** Installs a service if none of its class is held. Runner thread only. */
    Object installIfAbsent(Class<?> serviceClass, Object service) {
        return services.putIfAbsent(serviceClass, service);
    }

    /** Queues a task. @throws IllegalStateException naming the device when it is shut down */
    void send(DeviceTask task) {
        if (!channel.send(task)) {
            throw shutDown(device);
        }
    }

    void flush() {
        channel.flush();
    }

    /** Queues a call, makes it eligible now, and waits for its result. */
    <R> R call(Call<R> call) {
        if (!channel.sendAndFlush(call)) {
            throw shutDown(device);
        }
        return call.await(this);
    }

    /** Runs a task on the calling thread, which is this runner's: a call to its own device. */
    void runInline(DeviceTask task) {
        RunnerThread t = thread;
        boolean outer = t.inTask;
        long outerStream = t.currentStream;
        t.enter(task.stream);
        try {
            task.run(this);
        } finally {
            if (outer) {
                t.enter(outerStream);
            } else {
                t.exit();
            }
            TASKS_RUN.setOpaque(this, tasksRun + 1);
        }
    }

    /** Closes the channel: the runner runs what was accepted, then ends. */
    void stop() {
        channel.close();
    }

    void submittedTaskFailed(long stream, Throwable error) {
        TASKS_FAILED.setOpaque(this, tasksFailed + 1);
        try {
            config.failureHandler().taskFailed(device, stage, new StreamId(stream), error);
        } catch (Throwable handlerError) {
            // A failing handler must not end the runner; there is nowhere left to report to.
        }
    }

    void callFailed() {
        CALLS_FAILED.setOpaque(this, callsFailed + 1);
    }

    RunnerStats stats() {
        return new RunnerStats(device, stage, (long) TASKS_RUN.getOpaque(this),
                (long) TASKS_FAILED.getOpaque(this), (long) CALLS_FAILED.getOpaque(this),
                (long) BATCHES.getOpaque(this), (long) PARKS.getOpaque(this), thread.isAlive());
    }

    static IllegalStateException shutDown(DeviceId device) {
        return new IllegalStateException(device + " is shut down: DeviceHandle.shutdown(" + device
                + ") was called, and its handles no longer accept work; use another DeviceId");
    }

    private void runLoop() {
        Consumer<DeviceTask> sink = this::runQueued;
        long step = 0;
        while (!channel.isDrained()) {
            int n = channel.receive(sink);
            if (n > 0) {
                TASKS_RUN.setOpaque(this, tasksRun + n);
                BATCHES.setOpaque(this, batches + 1);
                step = 0;
                continue;
            }
            if (channel.isDrained()) {
                break;
            }
            Thread.interrupted(); // a task's interrupt of this thread must not break parking
            if (config.backoff().parks(step)) {
                PARKS.setOpaque(this, parks + 1);
            }
            step = channel.awaitEligible(step);
        }
        services.clear(); // a shut-down device keeps no service alive through the registry
    }

    private void runQueued(DeviceTask task) {
        RunnerThread t = thread;
        t.enter(task.stream);
        try {
            task.run(this);
        } finally {
            t.exit();
        }
    }

    /** The runner's thread; knows the stream of the task it runs, for {@link StreamId#current()}. */
    final class RunnerThread extends Thread {
        private long currentStream;
        private boolean inTask;

        RunnerThread(String name) {
            super(null, null, name, 0, false);
            setDaemon(true); // forgetting shutdown must not keep the JVM alive
        }

        @Override
        public void run() {
            runLoop();
        }

        void enter(long stream) {
            currentStream = stream;
            inTask = true;
        }

        void exit() {
            inTask = false;
        }

        boolean inTask() {
            return inTask;
        }

        long currentStream() {
            return currentStream;
        }
    }
}
