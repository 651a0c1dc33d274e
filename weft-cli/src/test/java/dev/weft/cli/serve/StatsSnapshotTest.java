package dev.weft.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.actor.ActorStats;
import dev.weft.runtime.RuntimeStats;
import dev.weft.runtime.WorkerStats;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsSnapshotTest {

    /** Worker {@code i} with {@code spawned} and {@code completed} tasks and {@code queue} waiting. */
    private static WorkerStats worker(int i, long spawned, long completed, int queue) {
        return new WorkerStats(i, "weft-worker-" + i, 100 + i, completed, spawned, 0, 0, 7 + i, 30 + i, -1, "",
                queue, 50 + i, 0, 0, 0, 0);
    }

    private static StatsSnapshot snapshot(String version) {
        RuntimeStats rt = new RuntimeStats(List.of(worker(0, 40, 35, 3), worker(1, 20, 25, 0)), 5, 0, 2, 9,
                "io_uring", 1, "");
        ActorStats actors = new ActorStats(4, 2, 1, 6, 11, null, List.of());
        return new StatsSnapshot(version, 12.3456, rt, actors, 3, 17, 120, 1, Map.of(404, 2L, 200, 117L, 500, 1L));
    }

    @Test
    void theJsonHasEveryPromisedMemberWithItsFigure() throws Exception {
        JsonNode s = new ObjectMapper().readTree(snapshot("1.2.3").toJson());

        assertEquals("1.2.3", s.get("weft").asText());
        assertEquals(12.346, s.get("uptime_seconds").asDouble());
        assertEquals("io_uring", s.get("backend").asText());
        assertEquals(2, s.get("workers").asInt());
        assertEquals("[3,0]", s.get("run_queues").toString());
        assertEquals("{\"live\":5,\"spawned\":65,\"completed\":60,\"failed\":2}", s.get("tasks").toString());
        assertEquals("{\"live\":4,\"restarts\":6,\"largest_mailbox\":11}", s.get("actors").toString());
        assertEquals("{\"actors_on_io\":2,\"tasks_in_blocking_calls\":1}", s.get("parked").toString());
        assertEquals("{\"actors\":1,\"timers_pending\":9}", s.get("sleeping").toString());
        assertEquals("{\"open\":3,\"accepted\":17}", s.get("connections").toString());
        assertEquals("{\"total\":120,\"handler_failures\":1,\"by_status\":{\"200\":117,\"404\":2,\"500\":1}}",
                s.get("requests").toString());
        assertEquals("{\"index\":1,\"polled\":101,\"stolen\":8,\"parks\":31,\"io_operations\":51}",
                s.get("per_worker").get(1).toString());
    }

    @Test
    void liveTasksAreSpawnedLessCompletedAndNeverNegative() {
        StatsSnapshot s = snapshot("v");
        assertEquals(65, s.tasksSpawned()); // 40 + 20 on workers, 5 from outside
        assertEquals(60, s.tasksCompleted());
        assertEquals(5, s.tasksLive());

        RuntimeStats ahead = new RuntimeStats(List.of(worker(0, 1, 9, 0)), 0, 0, 0, 0, "nio", 0, "");
        StatsSnapshot read = new StatsSnapshot("v", 0, ahead, new ActorStats(0, 0, 0, 0, 0, null, List.of()),
                0, 0, 0, 0, Map.of());
        assertEquals(0, read.tasksLive(), "completions read after spawns can run ahead; live stays 0");
    }

    @Test
    void prometheusTextHasHelpAndTypeBeforeEverySampleAndLabelsPerWorkerAndCode() {
        String text = snapshot("1.2.3").toPrometheus();
        List<String> lines = text.lines().toList();

        assertTrue(text.endsWith("\n"), "the text ends with a line feed");
        assertTrue(lines.contains("weft_info{version=\"1.2.3\",backend=\"io_uring\"} 1"), text);
        assertTrue(lines.contains("weft_uptime_seconds 12.346"), text);
        assertTrue(lines.contains("weft_workers 2"), text);
        assertTrue(lines.contains("weft_run_queue_length{worker=\"0\"} 3"), text);
        assertTrue(lines.contains("weft_run_queue_length{worker=\"1\"} 0"), text);
        assertTrue(lines.contains("weft_tasks_spawned_total 65"), text);
        assertTrue(lines.contains("weft_http_connections_open 3"), text);
        assertTrue(lines.contains("weft_http_requests_total 120"), text);
        assertTrue(lines.contains("weft_http_responses_total{code=\"200\"} 117"), text);
        assertTrue(lines.contains("weft_http_responses_total{code=\"500\"} 1"), text);
        String seen = null;
        for (String line : lines) {
            if (line.startsWith("# HELP ")) {
                seen = line.split(" ")[2];
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                assertEquals(seen, line.split(" ")[2], "TYPE follows the HELP of its metric");
                String type = line.split(" ")[3];
                assertTrue(type.equals("gauge") || type.equals("counter"), line);
                assertEquals(type.equals("counter"), seen.endsWith("_total"), "counters, and only they, end in _total: " + line);
                continue;
            }
            String name = line.split("[{ ]")[0];
            assertEquals(seen, name, "a sample follows its metric's HELP and TYPE: " + line);
        }
    }

    @Test
    void labelValuesAreEscaped() {
        String text = snapshot("a\"b\\c\nd").toPrometheus();

        assertTrue(text.contains("weft_info{version=\"a\\\"b\\\\c\\nd\",backend=\"io_uring\"} 1\n"), text);
    }
}
