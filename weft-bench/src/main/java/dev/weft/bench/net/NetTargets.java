package dev.weft.bench.net;

import dev.weft.bench.ResultTable;
import dev.weft.bench.SuiteReport;
import dev.weft.bench.TargetLines;

/**
 * The targets the networking issue states, checked against a report. Reported, never tuned for.
 * At {@code echo-64b-100c}:
 * <ul>
 *   <li>throughput: weft at least 1.2 times {@code netty-uring} and 1.3 times
 *       {@code netty-epoll};</li>
 *   <li>p99 latency: weft's at most {@code netty-uring}'s;</li>
 *   <li>CPU per message ({@code cpu-per-op}): weft's at most 0.8 times {@code netty-uring}'s and
 *       {@code netty-epoll}'s (the ratio peer/weft at least 1.25);</li>
 *   <li>throughput: weft's NIO fallback ({@code weft-nio}) at least 0.8 times
 *       {@code netty-epoll}.</li>
 * </ul>
 * At {@code idle-100c} ("an idle runtime uses under 1% of a core"): the whole JVM's CPU
 * ({@code cpu}) below 1% of a core with {@code weft}, and with {@code weft-nio}.
 */
public final class NetTargets {

    static final double URING_FACTOR = 1.2;
    static final double EPOLL_FACTOR = 1.3;
    static final double P99_FACTOR = 1.0;
    static final double NIO_FACTOR = 0.8;
    /** weft's cpu-per-op at most 0.8 times the peer's: the peer's over weft's at least 1 / 0.8. */
    static final double CPU_FACTOR = 1 / 0.8;
    /** The idle case's limit, in % of one core. */
    static final double IDLE_CPU_PERCENT = 1.0;

    private static final String CASE = NetCase.ECHO_64B_100C.id();
    private static final String TPUT = NetCase.THROUGHPUT;
    private static final String IDLE = NetCase.IDLE_100C.id();

    private NetTargets() {
    }

    /** The target lines, ending with a newline. */
    public static String render(SuiteReport report) {
        TargetLines t = new TargetLines(report);
        String weft = ResultTable.WEFT;
        String uring = NettyEcho.Transport.IO_URING.impl();
        String epoll = NettyEcho.Transport.EPOLL.impl();
        t.ratio(CASE + " throughput: weft >= 1.2x " + uring, t.find(CASE, weft, TPUT),
                t.find(CASE, uring, TPUT), URING_FACTOR);
        t.ratio(CASE + " throughput: weft >= 1.3x " + epoll, t.find(CASE, weft, TPUT),
                t.find(CASE, epoll, TPUT), EPOLL_FACTOR);
        t.ratio(CASE + " p99: weft <= " + uring + " (ratio " + uring + "/weft >= 1)",
                t.find(CASE, weft, NetCase.P99), t.find(CASE, uring, NetCase.P99), P99_FACTOR);
        for (String peer : new String[] {uring, epoll}) {
            t.ratio(CASE + " cpu-per-op: weft <= 0.8x " + peer + " (ratio " + peer + "/weft >= 1.25)",
                    t.find(CASE, weft, NetCase.CPU_PER_OP), t.find(CASE, peer, NetCase.CPU_PER_OP), CPU_FACTOR);
        }
        t.ratio(CASE + " throughput: weft-nio >= 0.8x " + epoll, t.find(CASE, EchoServers.WEFT_NIO, TPUT),
                t.find(CASE, epoll, TPUT), NIO_FACTOR);
        for (String impl : new String[] {weft, EchoServers.WEFT_NIO}) {
            t.below(IDLE + " cpu: " + impl + " < 1% of a core", t.find(IDLE, impl, NetCase.CPU), IDLE_CPU_PERCENT);
        }
        return t.render();
    }
}
