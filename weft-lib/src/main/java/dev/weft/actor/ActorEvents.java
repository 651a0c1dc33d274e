package dev.weft.actor;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The JDK Flight Recorder events of actors, all in the category "Weft / Actors", without stack
 * traces. Each is made and committed only after its type's {@code isEnabled()} said a recording
 * wants it, so with no recording on, an event costs that one check and allocates nothing; the
 * mailbox-depth walk is skipped too.
 * <ul>
 *   <li>{@code dev.weft.ActorSpawn}: an actor was spawned (pid, process or handler).</li>
 *   <li>{@code dev.weft.ActorExit}: an actor ended, with its outcome.</li>
 *   <li>{@code dev.weft.ActorFailure}: an actor's body threw (pid, the exception's class and
 *       message).</li>
 *   <li>{@code dev.weft.ActorRestart}: a supervisor restarted a child.</li>
 *   <li>{@code dev.weft.SupervisorGiveUp}: a supervisor exceeded its restart intensity and is
 *       ending with {@code shutdown}.</li>
 *   <li>{@code dev.weft.MailboxDepth}: a mailbox passed the depth of
 *       {@link #MAILBOX_DEPTH_PROPERTY} (once per passing: it must fall below again first). The
 *       consumer looks at each receive or batch; an unbounded mailbox's depth is a walk of its
 *       queue, done at most once a millisecond per actor, so a passing is seen up to that late.</li>
 * </ul>
 */
final class ActorEvents {

    /**
     * The system property that sets the mailbox depth whose passing is recorded
     * ({@value #DEFAULT_MAILBOX_DEPTH} unless set; read once, when the first actor is made).
     */
    static final String MAILBOX_DEPTH_PROPERTY = "weft.actor.mailboxEventDepth";
    static final int DEFAULT_MAILBOX_DEPTH = 10_000;
    static final int MAILBOX_DEPTH = mailboxDepth();

    private ActorEvents() {
    }

    private static int mailboxDepth() {
        String v = System.getProperty(MAILBOX_DEPTH_PROPERTY);
        if (v == null) {
            return DEFAULT_MAILBOX_DEPTH;
        }
        try {
            int d = Integer.parseInt(v.trim());
            if (d >= 1) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new IllegalArgumentException("system property " + MAILBOX_DEPTH_PROPERTY + "=" + v
                + " is not a depth >= 1; set it to the number of messages whose passing JFR should record");
    }

    private static final Spawn SPAWN_TYPE = new Spawn();
    private static final Exit EXIT_TYPE = new Exit();
    private static final Failure FAILURE_TYPE = new Failure();
    private static final Restart RESTART_TYPE = new Restart();
    private static final GiveUp GIVE_UP_TYPE = new GiveUp();
    private static final Depth DEPTH_TYPE = new Depth();

    static void spawn(Pid pid, boolean handler) {
        if (SPAWN_TYPE.isEnabled()) {
            Spawn e = new Spawn();
            e.pid = pid.toString();
            e.kind = handler ? "handler" : "process";
            e.commit();
        }
    }

    static void exit(Pid pid, Outcome outcome) {
        if (EXIT_TYPE.isEnabled()) {
            Exit e = new Exit();
            e.pid = pid.toString();
            e.outcome = outcome.toString();
            e.normal = outcome.isNormal();
            e.commit();
        }
        if (outcome instanceof Outcome.Failed f && FAILURE_TYPE.isEnabled()) {
            Failure e = new Failure();
            e.pid = pid.toString();
            e.exceptionClass = f.cause().getClass().getName();
            e.message = String.valueOf(f.cause().getMessage());
            e.commit();
        }
    }

    static void restart(Pid supervisor, String childId, Pid child) {
        if (RESTART_TYPE.isEnabled()) {
            Restart e = new Restart();
            e.supervisor = supervisor.toString();
            e.childId = childId;
            e.child = String.valueOf(child);
            e.commit();
        }
    }

    static void giveUp(Pid supervisor, int maxRestarts, long periodMillis) {
        if (GIVE_UP_TYPE.isEnabled()) {
            GiveUp e = new GiveUp();
            e.supervisor = supervisor.toString();
            e.maxRestarts = maxRestarts;
            e.periodMillis = periodMillis;
            e.commit();
        }
    }

    /** Whether a recording wants {@code dev.weft.MailboxDepth} (its check costs a walk). */
    static boolean depthEnabled() {
        return DEPTH_TYPE.isEnabled();
    }

    static void depth(Pid pid, int depth) {
        Depth e = new Depth();
        e.pid = pid.toString();
        e.depth = depth;
        e.threshold = MAILBOX_DEPTH;
        e.commit();
    }

    @Name("dev.weft.ActorSpawn")
    @Label("Actor Spawn")
    @Category({"Weft", "Actors"})
    @StackTrace(false)
    static final class Spawn extends Event {
        @Label("Pid")
        String pid;
        @Label("Kind")
        @Description("process or handler")
        String kind;
    }

    @Name("dev.weft.ActorExit")
    @Label("Actor Exit")
    @Category({"Weft", "Actors"})
    @StackTrace(false)
    static final class Exit extends Event {
        @Label("Pid")
        String pid;
        @Label("Outcome")
        String outcome;
        @Label("Normal")
        boolean normal;
    }

    @Name("dev.weft.ActorFailure")
    @Label("Actor Failure")
    @Category({"Weft", "Actors"})
    @StackTrace(false)
    static final class Failure extends Event {
        @Label("Pid")
        String pid;
        @Label("Exception Class")
        String exceptionClass;
        @Label("Message")
        String message;
    }

    @Name("dev.weft.ActorRestart")
    @Label("Actor Restart")
    @Category({"Weft", "Actors"})
    @StackTrace(false)
    static final class Restart extends Event {
        @Label("Supervisor")
        String supervisor;
        @Label("Child Id")
        String childId;
        @Label("Child")
        @Description("the pid of the restarted child")
        String child;
    }

    @Name("dev.weft.SupervisorGiveUp")
    @Label("Supervisor Give Up")
    @Category({"Weft", "Actors"})
    @StackTrace(false)
    static final class GiveUp extends Event {
        @Label("Supervisor")
        String supervisor;
        @Label("Max Restarts")
        int maxRestarts;
        @Label("Period (ms)")
        long periodMillis;
    }

    @Name("dev.weft.MailboxDepth")
    @Label("Mailbox Depth")
    @Category({"Weft", "Actors"})
    @StackTrace(false)
    static final class Depth extends Event {
        @Label("Pid")
        String pid;
        @Label("Depth")
        int depth;
        @Label("Threshold")
        int threshold;
    }
}
