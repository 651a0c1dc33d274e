package dev.weft.http;

import dev.weft.runtime.Weft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** curl, a real client, against the server over loopback (skipped where curl is not installed). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpCurlTest {

    private static boolean curlInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "curl"))) {
                return true;
            }
        }
        return false;
    }

    /** Runs curl with {@code args}, feeding {@code stdin}; its standard output and error, together. */
    private static String curl(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl ended");
        assertEquals(0, p.exitValue(), "curl's exit status; it said:\n" + out);
        return out;
    }

    @Test
    void curlReusesOneConnectionForTwoRequests() throws Exception {
        assumeTrue(curlInstalled(), "curl is not installed");
        try (Weft rt = Weft.start();
             HttpServer server = HttpServer.builder(rt).bind("127.0.0.1", 0)
                     .get("/{n}", r -> Response.text("n=" + r.pathParam("n") + "\n")).build().start()) {
            String base = "http://127.0.0.1:" + server.port();
            String out = curl("", "--verbose", base + "/1", base + "/2");
            assertTrue(out.contains("n=1\n") && out.contains("n=2\n"), out);
            assertTrue(out.contains("Re-using existing connection"), out);
            assertEquals(1, server.acceptedConnections());
        }
    }

    @Test
    void curlUploadsAChunkedBody() throws Exception {
        assumeTrue(curlInstalled(), "curl is not installed");
        try (Weft rt = Weft.start();
             HttpServer server = HttpServer.builder(rt).bind("127.0.0.1", 0)
                     .post("/count", r -> Response.text(r.body().length + " bytes\n")).build().start()) {
            String body = "x".repeat(100_000);
            String out = curl(body, "-H", "Transfer-Encoding: chunked", "--data-binary", "@-",
                    "http://127.0.0.1:" + server.port() + "/count");
            assertEquals("100000 bytes\n", out);
        }
    }
}
