package dev.weft.actor;

/**
 * One monitor: what {@link Actor#monitor} returns and {@link Down} carries. Distinct per call, even
 * for the same pair of actors. {@link #pid()} is the monitored actor.
 */
public final class MonitorRef {

    private final long id;
    private final Pid pid;
    final Pid watcher;
    /** A monitor that {@link Actor#call} set: its end is not a {@link Down} the user sees. */
    final boolean forCall;

    MonitorRef(long id, Pid pid, Pid watcher, boolean forCall) {
        this.id = id;
        this.pid = pid;
        this.watcher = watcher;
        this.forCall = forCall;
    }

    /** The monitored actor. */
    public Pid pid() {
        return pid;
    }

    /** E.g. {@code #Ref<17 on <0.42.3>>}. */
    @Override
    public String toString() {
        return "#Ref<" + id + " on " + pid + ">";
    }
}
