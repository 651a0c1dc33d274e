package dev.weft.io;

import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A task takes and gives back staging buffers between reserving its SQE and parking, and a worker
 * gives them back while it reaps completions (a runner's search among them): in both places the
 * code works on its worker's own driver, so the mapping and unmapping must never let the calling
 * task leave that worker. Each call here must end on the worker it started on. (They used to
 * allocate their {@code errno} capture state in an automatic arena, whose registration with the
 * JDK's cleaner takes a monitor; a task that met it contended left its worker, as JDK 24 lets a
 * virtual thread do at a monitor, and went on with the first worker's ring and operation table
 * from another: on the simulated Linux 5.11 run, where every heap read stages, a burst of heap
 * sends and receives then waited for good for completions of SQEs that were never submitted.)
 */
class StagingBuffersCarrierTest {

    @Test
    @Timeout(60)
    void mappingAndUnmappingNeverMoveTheTaskToAnotherWorker() throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(2).io(IoMode.URING).build())) {
            List<JoinHandle<String>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                tasks.add(rt.spawn(() -> {
                    for (int round = 0; round < 400; round++) {
                        UringDriver d = UringDriver.current();
                        StagingBuffers pool = d.stagingBuffers();
                        List<MemorySegment> taken = new ArrayList<>();
                        for (int i = 0; i < StagingBuffers.KEPT + 8; i++) { // beyond the kept: maps
                            taken.add(pool.acquire(StagingBuffers.MAX_LENGTH)); // a large buffer
                            if (UringDriver.current() != d) {
                                return "moved to another worker while mapping, round " + round;
                            }
                        }
                        for (MemorySegment s : taken) { // beyond the kept: unmaps
                            pool.release(s);
                            if (UringDriver.current() != d) {
                                return "moved to another worker while unmapping, round " + round;
                            }
                        }
                        if (round % 100 == 99) {
                            System.gc(); // the cleaner thread's removals contend for the monitor too
                        }
                    }
                    return "stayed";
                }));
            }
            for (JoinHandle<String> h : tasks) {
                assertEquals("stayed", h.join(Duration.ofSeconds(50)));
            }
        }
    }
}
