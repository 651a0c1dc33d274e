package dev.weft.bench.net;

import dev.weft.bench.ProcessCpu;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.zip.DataFormatException;

/**
 * The load generator's own process: one JVM, started by the suite before the first measurement
 * and kept for the whole run, that runs the {@link LoadGenerator} against a server process on
 * request, and reads that process's CPU time ({@link ProcessCpu}) at both ends of the measured
 * period. It never runs in a server's JVM.
 *
 * <p>Requests ({@link BenchProcess}'s protocol): greeting {@code generator <pid>};
 * {@code echo <port> <server pid> <connections> <message bytes> <depth> <warm-up ns> <measure ns>}
 * answers {@code ok <messages> <period ns> <server cpu ns> <latency histogram>}, the histogram
 * compressed and in Base64; a server pid of 0 reads no CPU time ({@code -1}).
 */
final class GeneratorProcess implements AutoCloseable {

    private final BenchProcess process;

    private GeneratorProcess(BenchProcess process) {
        this.process = process;
    }

    /** Starts the generator's JVM behind {@code split}'s generator prefix. */
    static GeneratorProcess start(CpuSplit split) throws IOException {
        BenchProcess p = BenchProcess.start("generator", split.generatorPrefix(), List.of(), GeneratorProcess.class,
                List.of());
        if (!p.greeting().equals("generator " + p.pid())) {
            p.close();
            throw new IOException("the generator's process greeted '" + p.greeting() + "', expected 'generator "
                    + p.pid() + "'");
        }
        return new GeneratorProcess(p);
    }

    /** The generator's process id, as it reported it itself. */
    long pid() {
        return process.pid();
    }

    /** Whether its process still runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Drives the server on {@code port} whose process is {@code serverPid} (0: none to read).
     *
     * @throws CorruptEchoException when the echo was corrupt
     * @throws IOException          when the run failed, or the process did not answer within
     *                              {@code timeout} (it is then killed)
     */
    LoadGenerator.Outcome echo(int port, long serverPid, LoadGenerator.Load load, Duration warmup, Duration measure,
                               Duration timeout) throws IOException {
        String answer = process.request(String.join(" ", "echo", Integer.toString(port), Long.toString(serverPid),
                Integer.toString(load.connections()), Integer.toString(load.messageBytes()),
                Integer.toString(load.pipelineDepth()), Long.toString(warmup.toNanos()),
                Long.toString(measure.toNanos())), timeout);
        return decode(answer);
    }

    @Override
    public void close() {
        process.close();
    }

    /** The answer's payload for {@code o}. */
    static String encode(LoadGenerator.Outcome o) {
        ByteBuffer buffer = ByteBuffer.allocate(o.latencies().getNeededByteBufferCapacity());
        int length = o.latencies().encodeIntoCompressedByteBuffer(buffer);
        String histogram = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
        return o.messages() + " " + o.nanos() + " " + o.serverCpuNanos() + " " + histogram;
    }

    /** The outcome in an answer's payload. */
    static LoadGenerator.Outcome decode(String payload) throws IOException {
        String[] w = payload.split(" ");
        if (w.length != 4) {
            throw new IOException("the generator answered '" + payload + "': expected 4 fields");
        }
        try {
            Histogram latencies = Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(w[3])), 0);
            return new LoadGenerator.Outcome(Long.parseLong(w[0]), Long.parseLong(w[1]), latencies,
                    Long.parseLong(w[2]));
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IOException("the generator's answer does not decode: " + e.getMessage(), e);
        }
    }

    /** The child's side: answers {@code echo} requests until the end of input. */
    public static void main(String[] args) throws IOException {
        BenchProcess.serve("generator " + ProcessHandle.current().pid(), w -> {
            if (!w[0].equals("echo") || w.length != 8) {
                throw new IllegalArgumentException("unknown request '" + String.join(" ", w) + "'");
            }
            long serverPid = Long.parseLong(w[2]);
            LoadGenerator.Load load = new LoadGenerator.Load(Integer.parseInt(w[3]), Integer.parseInt(w[4]),
                    Integer.parseInt(w[5]));
            LoadGenerator.CpuClock cpu = serverPid == 0 ? null : () -> ProcessCpu.nanos(serverPid);
            return encode(new LoadGenerator(load).run(Integer.parseInt(w[1]), Duration.ofNanos(Long.parseLong(w[6])),
                    Duration.ofNanos(Long.parseLong(w[7])), cpu));
        });
    }
}
