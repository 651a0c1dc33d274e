package dev.weft.bench.device.runner;

import java.util.function.Consumer;

/**
 * What travels through a peer's queue, shaped like weft's device task so that both cost the same:
 * one object per submission carrying the producer's stream id, the body and the service.
 */
public abstract sealed class PeerTask permits PeerTask.Submitted, PeerCall {

    /** The producer's stream: its thread id (weft records the current {@code StreamId}). */
    final long stream;

    PeerTask(long stream) {
        this.stream = stream;
    }

    /** Runs the task on {@code runner}'s thread. Never throws. */
    abstract void run(PeerRunner runner);

    /** Fire-and-forget: a throwable is counted by the runner. */
    static final class Submitted extends PeerTask {
        private Consumer<? super CounterService> body;
        private CounterService service;

        Submitted(long stream, Consumer<? super CounterService> body, CounterService service) {
            super(stream);
            this.body = body;
            this.service = service;
        }

        @Override
        void run(PeerRunner runner) {
            Consumer<? super CounterService> b = body;
            CounterService s = service;
            body = null; // release what the task captured as soon as it has run, as weft does
            service = null;
            try {
                b.accept(s);
            } catch (Throwable e) {
                runner.taskFailed(stream, e);
            }
        }
    }
}
