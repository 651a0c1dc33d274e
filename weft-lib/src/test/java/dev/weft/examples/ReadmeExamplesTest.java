package dev.weft.examples;

import dev.weft.device.DeviceHandle;
import dev.weft.device.DeviceId;
import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The README's examples, but for the TCP server's ({@link TcpServerExamplesTest}). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadmeExamplesTest {

    static long count(String what) {
        return what.length();
    }

    /** README, "Tasks on the work-stealing scheduler". */
    static void tasks() throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(4).build())) {
            JoinHandle<Long> total = rt.spawn(() -> {
                JoinHandle<Long> a = Task.spawn(() -> count("a"));   // to this worker's run queue
                JoinHandle<Long> b = Task.spawn(() -> count("b"));
                Task.sleep(Duration.ofMillis(5));                     // frees the worker meanwhile
                return a.join() + b.join();
            });
            System.out.println(total.join());
        }
    }

    @Test
    void tasksPrintTheSumOfTheirChildren() throws Exception {
        assertEquals("2", Printed.by(ReadmeExamplesTest::tasks).strip());
    }

    /** A device service: the jobs it ran, and its free memory. */
    static final class Kernels {
        final DeviceId id;
        final List<String> ran = new ArrayList<>();

        Kernels(DeviceId id) {
            this.id = id;
        }

        void enqueue(String job) {
            ran.add(job);
        }

        long freeMemory() {
            return 1024L - ran.size();
        }
    }

    static long freeAfterOneJob;

    /** README, "Device service runners". */
    static void device() throws Exception {
        String job = "saxpy";
        DeviceId gpu = new DeviceId(0, 0);
        DeviceHandle<Kernels> kernels = DeviceHandle.open(gpu, Kernels.class, id -> new Kernels(id));

        kernels.submit(k -> k.enqueue(job));                     // fire and forget, in order per thread
        kernels.flush();                                          // eligible to run now
        long free = kernels.submitBlocking(k -> k.freeMemory()); // runs on the runner, returns the answer

        DeviceHandle.shutdown(gpu, Duration.ofSeconds(5));        // runs what is queued, then stops
        freeAfterOneJob = free;
    }

    @Test
    void aDeviceRunsTheSubmittedJobBeforeTheBlockingCall() throws Exception {
        device();
        assertEquals(1023, freeAfterOneJob);
    }

    /** README, "TCP on io_uring": a line-oriented connection on the stream views. */
    static void upperCaseLines(TcpStream conn) throws IOException {
        try (conn;
             BufferedReader in = new BufferedReader(new InputStreamReader(conn.inputStream(), StandardCharsets.UTF_8));
             Writer out = new BufferedWriter(new OutputStreamWriter(conn.outputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {      // a refill is one read on the stream
                out.write(line.toUpperCase(Locale.ROOT) + "\n");
                out.flush();                                            // one write: all of it
            }
        }
    }

    @Test
    void theLineConnectionAnswersEachLineInUpperCase() throws Exception {
        try (Weft rt = Weft.start()) {
            TcpListener listener = rt.spawn(() -> TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 4))
                    .join(Duration.ofSeconds(20));
            try (listener) {
                JoinHandle<Void> served = rt.spawn(() -> {
                    upperCaseLines(listener.accept());
                    return null;
                });
                try (Socket client = new Socket()) {
                    client.connect(listener.localAddress(), 10_000);
                    client.setSoTimeout(20_000);
                    OutputStream out = client.getOutputStream();
                    out.write("hello\nstra\u00dfe\n".getBytes(StandardCharsets.UTF_8));
                    client.shutdownOutput();
                    BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                    assertEquals("HELLO", in.readLine());
                    assertEquals("STRASSE", in.readLine());
                    assertNull(in.readLine(), "the connection closes after the client's end of stream");
                }
                served.join(Duration.ofSeconds(20));
            }
        }
    }
}
