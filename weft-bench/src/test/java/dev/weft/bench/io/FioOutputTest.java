package dev.weft.bench.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FioOutputTest {

    /** The shape of fio 3.x's JSON report (fields cut down), after a warning fio prints first. */
    static final String RANDREAD = """
            fio: file hash not empty on exit
            {
              "fio version" : "fio-3.33",
              "timestamp" : 1765100000,
              "global options" : {"rw" : "randread"},
              "jobs" : [
                {
                  "jobname" : "randread-4k-qd32",
                  "groupid" : 0,
                  "error" : 0,
                  "job options" : {"name" : "randread-4k-qd32", "bs" : "4096", "iodepth" : "32"},
                  "read" : {
                    "io_bytes" : 4096000000,
                    "bw_bytes" : 2048000000,
                    "iops" : 500000.123,
                    "runtime" : 2000,
                    "total_ios" : 1000000,
                    "clat_ns" : {"min" : 100, "percentile" : {"50.000000" : 1800, "99.000000" : 4200}},
                    "bw_agg" : 100.0
                  },
                  "write" : {"io_bytes" : 0, "bw_bytes" : 0, "iops" : 0.0, "runtime" : 0, "total_ios" : 0},
                  "trim" : {"io_bytes" : 0, "iops" : 0.0},
                  "job_runtime" : 2000,
                  "usr_cpu" : 20.5,
                  "sys_cpu" : 79.5,
                  "ctx" : 12,
                  "latency_ns" : {"2" : 0.0, "1000" : 1.5e-2},
                  "note" : "a \\"quoted\\" word, a tab\\t and \\u00e9"
                }
              ],
              "disk_util" : []
            }
            """;

    @Test
    void readsTheJobsCountsRatesAndCpuAfterLeadingWarnings() {
        FioOutput o = FioOutput.parse(RANDREAD);

        assertEquals(1_000_000, o.readIos());
        assertEquals(500000.123, o.readIops(), 1e-9);
        assertEquals(2.048e9, o.readBw(), 1e-3);
        assertEquals(0, o.writeIos());
        assertEquals(20.5, o.usrCpu(), 1e-12);
        assertEquals(79.5, o.sysCpu(), 1e-12);
        assertEquals(2000, o.runtimeMs());
        assertEquals(0, o.error());
    }

    @Test
    void cpuPerTransferIsTheJobsCpuOverItsRunTimeSpreadOverItsTransfers() {
        // 100% of a core for 2 s = 2 s of CPU over 10^6 transfers = 2 µs each.
        assertEquals(2.0, FioOutput.parse(RANDREAD).cpuMicrosPerOp(), 1e-9);
    }

    @Test
    void readsWrites() {
        String write = RANDREAD.replace("\"write\" : {\"io_bytes\" : 0, \"bw_bytes\" : 0, \"iops\" : 0.0, \"runtime\" : 0,"
                + " \"total_ios\" : 0}", "\"write\" : {\"io_bytes\" : 8192, \"bw_bytes\" : 40960, \"iops\" : 10.0,"
                + " \"runtime\" : 200, \"total_ios\" : 2}");

        FioOutput o = FioOutput.parse(write);

        assertEquals(2, o.writeIos());
        assertEquals(10.0, o.writeIops(), 1e-12);
        assertEquals(40960, o.writeBw(), 1e-12);
    }

    @Test
    void textWithoutAReportFailsQuotingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FioOutput.parse("fio: pid=0, err=22/file:filesetup.c:805, func=open, error=Invalid argument\n"));
        assertTrue(e.getMessage().contains("no JSON report") && e.getMessage().contains("Invalid argument"),
                e.getMessage());
    }

    @Test
    void aCutShortReportFailsSayingWhere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FioOutput.parse(RANDREAD.substring(0, RANDREAD.indexOf("\"write\""))));
        assertTrue(e.getMessage().contains("malformed") && e.getMessage().contains("at character"), e.getMessage());
    }

    @Test
    void aReportWithoutJobsFails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FioOutput.parse("{\"fio version\" : \"fio-3.33\", \"jobs\" : []}"));
        assertTrue(e.getMessage().contains("no job"), e.getMessage());
    }

    @Test
    void aJobWithoutItsCountsFailsNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FioOutput.parse(RANDREAD.replace("\"total_ios\" : 1000000", "\"total\" : 1000000")));
        assertTrue(e.getMessage().contains("total_ios"), e.getMessage());
    }
}
