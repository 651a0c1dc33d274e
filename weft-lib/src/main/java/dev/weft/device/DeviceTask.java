package dev.weft.device;

import java.util.function.Consumer;

/**
 * What travels through a runner's channel: a unit of work plus the stream it was submitted on.
 * The task object is the only allocation a submission makes.
 */
abstract sealed class DeviceTask permits DeviceTask.Submitted, Call {

    /** The {@link StreamId} value current at submission. */
    final long stream;

    DeviceTask(long stream) {
        this.stream = stream;
    }

    /** Runs the task on {@code runner}'s thread. Never throws: failures go where the kind says. */
    abstract void run(DeviceRunner runner);

    /** Fire-and-forget: a throwable goes to the runner's failure handler. */
    static final class Submitted<S> extends DeviceTask {
        private Consumer<? super S> body;
        private S service;

        Submitted(long stream, Consumer<? super S> body, S service) {
            super(stream);
            this.body = body;
            this.service = service;
        }

        @Override
        void run(DeviceRunner runner) {
            Consumer<? super S> b = body;
            S s = service;
            body = null; // release what the task captured as soon as it has run
            service = null;
            try {
                b.accept(s);
            } catch (Throwable e) {
                runner.submittedTaskFailed(stream, e);
            }
        }
    }
}
