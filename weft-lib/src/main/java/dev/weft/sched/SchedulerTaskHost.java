package dev.weft.sched;

import dev.weft.task.host.TaskHost;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * The scheduler's side of {@link TaskHost}: what {@code dev.weft.task.Task}'s static methods do,
 * provided to the task API as a service. Every task it returns is a {@link TaskCell}, every handle
 * a {@code JoinHandle}: the casts in {@code Task} rely on it.
 */
public final class SchedulerTaskHost implements TaskHost {

    /** For the service loader. */
    public SchedulerTaskHost() {
    }

    @Override
    public Object currentTask() {
        return TaskCell.current();
    }

    @Override
    public void checkTimeslice() {
        Worker.checkTimeslice();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Sleeps.sleep(duration);
    }

    @Override
    public void sleepUntil(Instant deadline) throws InterruptedException {
        Sleeps.sleepUntil(deadline);
    }

    @Override
    public <T> T timeout(Duration limit, Callable<T> body) throws Exception {
        return Sleeps.timeout(limit, body);
    }

    @Override
    public <T> T blocking(Callable<T> call) throws Exception {
        TaskCell<?> task = TaskCell.current();
        return task == null ? call.call() : task.scheduler().blocking(call, task);
    }

    @Override
    public Object spawn(Callable<?> body, String what) {
        return Scheduler.current(what).spawn(body);
    }

    @Override
    public Object spawn(Runnable body, String what) {
        return Scheduler.current(what).spawn(body);
    }
}
