package dev.weft.actor;

/**
 * A request sent by {@link Actor#call}: what the called actor receives. It answers with
 * {@link Actor#reply(Call, Object)}, once; a reply after the caller gave up is dropped. In a
 * {@code switch} over received messages: {@code case Call c when c.request() instanceof Get ->
 * Actor.reply(c, count);}
 */
public final class Call {

    private final Object request;
    private final Pid from;
    final MonitorRef ref;

    Call(Object request, Pid from, MonitorRef ref) {
        this.request = request;
        this.from = from;
        this.ref = ref;
    }

    /** What the caller asked. */
    public Object request() {
        return request;
    }

    /** The calling actor. */
    public Pid from() {
        return from;
    }

    @Override
    public String toString() {
        return "Call[" + request + " from " + from + "]";
    }
}
