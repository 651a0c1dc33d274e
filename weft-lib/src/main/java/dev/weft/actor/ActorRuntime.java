package dev.weft.actor;

import dev.weft.sched.Scheduler;

/**
 * The entry {@code dev.weft.runtime.Weft.run} uses to run a root actor on its scheduler; not for
 * applications (its argument is weft's internal scheduler type). Call {@code Weft.run} instead.
 */
public final class ActorRuntime {

    private ActorRuntime() {
    }

    /**
     * Runs {@code root} (a {@link java.util.concurrent.Callable} or a
     * {@link dev.weft.task.CheckedRunnable}) as an actor on {@code scheduler} and waits until every
     * actor of that runtime has ended. See {@code Weft.run}.
     */
    public static Outcome run(Scheduler scheduler, Object root) throws InterruptedException {
        return ActorSystem.of(scheduler).run(root);
    }

    /** The actor stats of the runtime of {@code scheduler}. See {@code Weft.actorStats}. */
    public static ActorStats stats(Scheduler scheduler) {
        return ActorSystem.of(scheduler).stats();
    }
}
