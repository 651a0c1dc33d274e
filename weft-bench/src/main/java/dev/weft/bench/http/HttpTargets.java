package dev.weft.bench.http;

import dev.weft.bench.ResultTable;
import dev.weft.bench.SuiteReport;
import dev.weft.bench.TargetLines;
import dev.weft.bench.net.NettyEcho;
import java.util.List;
import java.util.Optional;

/**
 * The targets the HTTP issue states, checked against a report. Reported, never tuned for. On
 * {@code plaintext} (both concurrencies), {@code plaintext-pipelined} and {@code static-4k}:
 * <ul>
 *   <li>throughput: weft at least 1.0 times {@code nginx}, 1.2 times the better of
 *       {@code netty-uring} and {@code netty-epoll}, 1.5 times {@code helidon};</li>
 *   <li>CPU per request ({@code cpu-per-op}): weft's at most nginx's.</li>
 * </ul>
 */
public final class HttpTargets {

    static final double NGINX_FACTOR = 1.0;
    static final double NETTY_FACTOR = 1.2;
    static final double HELIDON_FACTOR = 1.5;
    static final double CPU_FACTOR = 1.0;

    /** The cases the targets are about. */
    static final List<HttpCase> CASES = List.of(HttpCase.PLAINTEXT_C16, HttpCase.PLAINTEXT_C100,
            HttpCase.PLAINTEXT_PIPELINED, HttpCase.STATIC_4K);

    private HttpTargets() {
    }

    /** The target lines, ending with a newline. */
    public static String render(SuiteReport report) {
        TargetLines t = new TargetLines(report);
        String weft = ResultTable.WEFT;
        String tput = HttpCase.THROUGHPUT;
        String uring = NettyEcho.Transport.IO_URING.impl();
        String epoll = NettyEcho.Transport.EPOLL.impl();
        for (HttpCase c : CASES) {
            String id = c.id();
            t.ratio(id + " throughput: weft >= 1.0x nginx", t.find(id, weft, tput),
                    t.find(id, NginxTarget.IMPL, tput), NGINX_FACTOR);
            Optional<dev.weft.bench.Result> netty = better(t.find(id, uring, tput), t.find(id, epoll, tput));
            String which = netty.map(dev.weft.bench.Result::impl).orElse("netty");
            t.ratio(id + " throughput: weft >= 1.2x the better Netty (" + which + ")", t.find(id, weft, tput),
                    netty, NETTY_FACTOR);
            t.ratio(id + " throughput: weft >= 1.5x helidon", t.find(id, weft, tput),
                    t.find(id, HelidonHttp.IMPL, tput), HELIDON_FACTOR);
            t.ratio(id + " cpu-per-op: weft <= nginx (ratio nginx/weft >= 1)", t.find(id, weft, HttpCase.CPU_PER_OP),
                    t.find(id, NginxTarget.IMPL, HttpCase.CPU_PER_OP), CPU_FACTOR);
        }
        return t.render();
    }

    /** The one with the higher median throughput; either when the other was not measured. */
    static Optional<dev.weft.bench.Result> better(Optional<dev.weft.bench.Result> a, Optional<dev.weft.bench.Result> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().value() >= b.get().value() ? a : b;
    }
}
