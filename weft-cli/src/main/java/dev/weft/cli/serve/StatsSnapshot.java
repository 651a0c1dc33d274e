package dev.weft.cli.serve;

import dev.weft.actor.ActorStats;
import dev.weft.http.HttpServer;
import dev.weft.runtime.RuntimeStats;
import dev.weft.runtime.Weft;
import dev.weft.runtime.WorkerStats;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code /stats} and {@code /metrics} report: one reading of the runtime's counters
 * ({@link Weft#stats()}), its actors ({@link Weft#actorStats()}) and the HTTP server. The figures
 * are read one after another without stopping anything, so they may be a moment apart; counters
 * only grow.
 *
 * <p>{@link #toJson()} writes these members (the names {@code /stats} promises):
 * <ul>
 *   <li>{@code weft}: the build's version; {@code uptime_seconds}: since the server started;</li>
 *   <li>{@code backend}: {@code io_uring} or {@code nio}; {@code workers}: the worker count;</li>
 *   <li>{@code run_queues}: per worker, the tasks waiting in its run queue now;</li>
 *   <li>{@code tasks}: {@code live} (spawned and not yet ended), {@code spawned}, {@code completed},
 *       {@code failed} (bodies that threw), since the runtime started;</li>
 *   <li>{@code actors}: {@code live}, {@code restarts} (by supervisors), {@code largest_mailbox};</li>
 *   <li>{@code parked}: {@code actors_on_io} (actors waiting for I/O or a blocking call) and
 *       {@code tasks_in_blocking_calls} (tasks in {@code Task.blocking}, actors among them);</li>
 *   <li>{@code sleeping}: {@code actors} (in {@code Actor.sleep}) and {@code timers_pending} (the
 *       sleeps and timeouts of every task, waiting to fire);</li>
 *   <li>{@code connections}: {@code open} now and {@code accepted} since start;</li>
 *   <li>{@code requests}: {@code total} (heads parsed), {@code handler_failures}, and
 *       {@code by_status}: responses written, by status code (as a string key);</li>
 *   <li>{@code per_worker}: per worker {@code polled}, {@code stolen}, {@code parks} (times it
 *       went to sleep for lack of work) and {@code io_operations}.</li>
 * </ul>
 * {@link #toPrometheus()} writes the same figures as metrics named {@code weft_...}.
 *
 * @param version        the build's version
 * @param uptimeSeconds  seconds since the server started
 * @param runtime        the runtime's counters
 * @param actors         the runtime's actors
 * @param openConnections     connections open now
 * @param acceptedConnections connections accepted since start
 * @param requests       request heads parsed since start
 * @param handlerFailures handlers that failed since start
 * @param responsesByStatus   responses written since start, by status code
 */
public record StatsSnapshot(String version, double uptimeSeconds, RuntimeStats runtime, ActorStats actors,
                            long openConnections, long acceptedConnections, long requests, long handlerFailures,
                            Map<Integer, Long> responsesByStatus) {

    /** The content type of {@link #toPrometheus()}: the Prometheus text exposition format 0.0.4. */
    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Copies the status map. */
    public StatsSnapshot {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(actors, "actors");
        responsesByStatus = Map.copyOf(responsesByStatus);
    }

    /** Reads {@code rt} and {@code server} now; {@code startNanos} is the server's start on {@link System#nanoTime()}. */
    public static StatsSnapshot take(String version, long startNanos, Weft rt, HttpServer server) {
        return new StatsSnapshot(version, (System.nanoTime() - startNanos) / 1e9, rt.stats(), rt.actorStats(),
                server.openConnections(), server.acceptedConnections(), server.requests(),
                server.handlerFailures(), server.responsesByStatus());
    }

    /** The I/O backend: {@code io_uring} or {@code nio}. */
    public String backend() {
        return runtime.ioBackend();
    }

    /** Tasks spawned since the runtime started, inside it and from outside. */
    public long tasksSpawned() {
        return runtime.total(WorkerStats::spawned) + runtime.spawnedOutside();
    }

    /** Task bodies that ended since the runtime started. */
    public long tasksCompleted() {
        return runtime.total(WorkerStats::completed);
    }

    /** Tasks spawned and not yet ended (never negative, though the two counters are read apart). */
    public long tasksLive() {
        return Math.max(0, tasksSpawned() - tasksCompleted());
    }

    /** This reading as the JSON object of {@code /stats} (see the class documentation). */
    public String toJson() {
        JsonWriter j = new JsonWriter().beginObject();
        j.name("weft").value(version);
        j.name("uptime_seconds").value(Math.round(uptimeSeconds * 1000) / 1000.0);
        j.name("backend").value(backend());
        j.name("workers").value(runtime.workers().size());
        j.name("run_queues").beginArray();
        for (WorkerStats w : runtime.workers()) {
            j.value(w.runQueueLength());
        }
        j.endArray();
        j.name("tasks").beginObject()
                .name("live").value(tasksLive())
                .name("spawned").value(tasksSpawned())
                .name("completed").value(tasksCompleted())
                .name("failed").value(runtime.failed())
                .endObject();
        j.name("actors").beginObject()
                .name("live").value(actors.live())
                .name("restarts").value(actors.restarts())
                .name("largest_mailbox").value(actors.largestMailbox())
                .endObject();
        j.name("parked").beginObject()
                .name("actors_on_io").value(actors.parkedOnIo())
                .name("tasks_in_blocking_calls").value(runtime.blockingParked())
                .endObject();
        j.name("sleeping").beginObject()
                .name("actors").value(actors.sleeping())
                .name("timers_pending").value(runtime.timersPending())
                .endObject();
        j.name("connections").beginObject()
                .name("open").value(openConnections)
                .name("accepted").value(acceptedConnections)
                .endObject();
        j.name("requests").beginObject()
                .name("total").value(requests)
                .name("handler_failures").value(handlerFailures)
                .name("by_status").beginObject();
        for (Map.Entry<Integer, Long> e : sortedStatuses()) {
            j.name(Integer.toString(e.getKey())).value(e.getValue());
        }
        j.endObject().endObject();
        j.name("per_worker").beginArray();
        for (WorkerStats w : runtime.workers()) {
            j.beginObject()
                    .name("index").value(w.index())
                    .name("polled").value(w.polled())
                    .name("stolen").value(w.stolen())
                    .name("parks").value(w.parks())
                    .name("io_operations").value(w.ioOperations())
                    .endObject();
        }
        j.endArray();
        return j.endObject().toString();
    }

    /**
     * This reading in the Prometheus text exposition format (version 0.0.4): every metric with
     * its {@code HELP} and {@code TYPE}, counters named {@code ..._total}, per-worker figures
     * labelled {@code worker}, responses labelled {@code code}.
     */
    public String toPrometheus() {
        StringBuilder m = new StringBuilder(4096);
        metric(m, "weft_info", "gauge", "The weft build and the I/O backend the runtime uses (always 1).");
        m.append("weft_info{version=\"").append(label(version)).append("\",backend=\"").append(label(backend()))
                .append("\"} 1\n");
        single(m, "weft_uptime_seconds", "gauge", "Seconds since the server started.",
                String.format(Locale.ROOT, "%.3f", uptimeSeconds));
        single(m, "weft_workers", "gauge", "Worker threads of the runtime.", runtime.workers().size());
        perWorker(m, "weft_run_queue_length", "gauge", "Tasks waiting in the worker's run queue.",
                w -> w.runQueueLength());
        perWorker(m, "weft_worker_polled_total", "counter", "Tasks and resumptions the worker took from a queue to run.",
                WorkerStats::polled);
        perWorker(m, "weft_worker_stolen_total", "counter", "Tasks the worker stole from other workers.",
                WorkerStats::stolen);
        perWorker(m, "weft_worker_parks_total", "counter", "Times the worker went to sleep for lack of work.",
                WorkerStats::parks);
        perWorker(m, "weft_worker_io_operations_total", "counter", "I/O operations started on the worker's driver.",
                WorkerStats::ioOperations);
        single(m, "weft_tasks_live", "gauge", "Tasks spawned and not yet ended.", tasksLive());
        single(m, "weft_tasks_spawned_total", "counter", "Tasks spawned since the runtime started.", tasksSpawned());
        single(m, "weft_tasks_completed_total", "counter", "Task bodies that ended since the runtime started.",
                tasksCompleted());
        single(m, "weft_tasks_failed_total", "counter", "Task bodies that threw since the runtime started.",
                runtime.failed());
        single(m, "weft_tasks_in_blocking_calls", "gauge", "Tasks parked in Task.blocking now.",
                runtime.blockingParked());
        single(m, "weft_timers_pending", "gauge", "Sleeps and timeouts waiting to fire.", runtime.timersPending());
        single(m, "weft_actors_live", "gauge", "Actors alive now.", actors.live());
        single(m, "weft_actors_parked_on_io", "gauge", "Actors waiting for I/O or a blocking call now.",
                actors.parkedOnIo());
        single(m, "weft_actors_sleeping", "gauge", "Actors in Actor.sleep now.", actors.sleeping());
        single(m, "weft_actor_restarts_total", "counter", "Children restarted by supervisors.", actors.restarts());
        single(m, "weft_actor_largest_mailbox_messages", "gauge", "The most messages waiting for one live actor.",
                actors.largestMailbox());
        single(m, "weft_http_connections_open", "gauge", "HTTP connections open now.", openConnections);
        single(m, "weft_http_connections_accepted_total", "counter", "HTTP connections accepted since start.",
                acceptedConnections);
        single(m, "weft_http_requests_total", "counter", "HTTP request heads parsed since start.", requests);
        single(m, "weft_http_handler_failures_total", "counter", "HTTP handlers that failed since start.",
                handlerFailures);
        metric(m, "weft_http_responses_total", "counter", "HTTP responses written since start, by status code.");
        for (Map.Entry<Integer, Long> e : sortedStatuses()) {
            m.append("weft_http_responses_total{code=\"").append(e.getKey()).append("\"} ").append(e.getValue())
                    .append('\n');
        }
        return m.toString();
    }

    private List<Map.Entry<Integer, Long>> sortedStatuses() {
        return responsesByStatus.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
    }

    private static void metric(StringBuilder m, String name, String type, String help) {
        m.append("# HELP ").append(name).append(' ').append(help).append('\n');
        m.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void single(StringBuilder m, String name, String type, String help, Object value) {
        metric(m, name, type, help);
        m.append(name).append(' ').append(value).append('\n');
    }

    private void perWorker(StringBuilder m, String name, String type, String help,
                           java.util.function.ToLongFunction<WorkerStats> value) {
        metric(m, name, type, help);
        for (WorkerStats w : runtime.workers()) {
            m.append(name).append("{worker=\"").append(w.index()).append("\"} ").append(value.applyAsLong(w))
                    .append('\n');
        }
    }

    /** A label value with backslash, quote and newline escaped, as the format asks. */
    private static String label(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
