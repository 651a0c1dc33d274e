package dev.weft.actor;

import dev.weft.time.Timer;

/**
 * A message on its way by {@link Actor#sendAfter}: cancel it with {@link #cancel()}. It is the
 * timer's action itself, so a pending message costs this object and one timer entry.
 */
public final class TimerRef implements Runnable {

    private final Pid pid;
    private Object message;
    private Timer.Entry entry;
    /** Set once {@link #run()} has tried its send; for tests. */
    private volatile boolean ran;

    TimerRef(Pid pid, Object message) {
        this.pid = pid;
        this.message = message;
    }

    void entry(Timer.Entry entry) {
        this.entry = entry;
    }

    /** The timer's action: the delay has passed. */
    @Override
    public void run() {
        Object m = message;
        message = null;
        try {
            if (m != null) {
                ActorSystem.send(pid, m, ActorSystem.TIMER);
            }
        } finally {
            ran = true;
        }
    }

    /**
     * Stops the message if it has not been sent: a timer cancelled by a call that returns true
     * never delivers.
     *
     * @return true if this call stopped it; false if it was sent already, or cancelled before
     */
    public boolean cancel() {
        if (entry.cancel()) {
            message = null;
            return true;
        }
        return false;
    }

    /** Whether the timer has fired and tried the send; for tests. */
    boolean ran() {
        return ran;
    }

    /** The actor the message goes to. */
    public Pid pid() {
        return pid;
    }

    @Override
    public String toString() {
        return "TimerRef[to " + pid + ", " + entry + "]";
    }
}
