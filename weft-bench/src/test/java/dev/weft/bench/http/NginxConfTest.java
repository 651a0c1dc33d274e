package dev.weft.bench.http;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NginxConfTest {

    private static final Path DIR = Path.of("/tmp/weft-nginx");
    private static final Path ROOT = Path.of("/tmp/weft-static");

    @Test
    void theConfigurationHasTheIssuesSettings() {
        String text = new NginxConf(DIR, 8123, 2, ROOT).text();

        for (String line : new String[] {"worker_processes 2;", "daemon off;", "master_process on;",
                "pid /tmp/weft-nginx/nginx.pid;", "error_log /tmp/weft-nginx/error.log warn;", "access_log off;",
                "sendfile on;", "tcp_nopush on;", "open_file_cache max=1000 inactive=60s;",
                "keepalive_requests 1000000000;", "client_body_temp_path /tmp/weft-nginx/client_body;",
                "listen 127.0.0.1:8123;", "root /tmp/weft-static;",
                "location = /plaintext {\n            default_type text/plain;\n            return 200 \"Hello, World!\";",
                "location = /json {\n            default_type application/json;\n"
                        + "            return 200 '{\"message\":\"Hello, World!\"}';"}) {
            assertTrue(text.contains(line), "missing '" + line + "' in:\n" + text);
        }
        assertEquals(DIR.resolve("nginx.conf"), new NginxConf(DIR, 8123, 2, ROOT).file());
    }

    @Test
    void badValuesAreRejectedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NginxConf(DIR, 0, 1, ROOT));
        assertTrue(e.getMessage().contains("port must be in 1..65535, was 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NginxConf(DIR, 80, 0, ROOT));
        assertTrue(e.getMessage().contains("workers must be >= 1, was 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NginxConf(Path.of("rel"), 80, 1, ROOT));
        assertTrue(e.getMessage().contains("absolute paths"), e.getMessage());
    }

    @Test
    void theCommandRunsNginxOnTheGeneratedFileBehindThePrefix() {
        NginxConf conf = new NginxConf(DIR, 8123, 1, ROOT);

        assertEquals(List.of("taskset", "-c", "1", "/usr/sbin/nginx", "-p", "/tmp/weft-nginx/", "-e",
                        "/tmp/weft-nginx/error.log", "-c", "/tmp/weft-nginx/nginx.conf"),
                NginxTarget.command(List.of("taskset", "-c", "1"), Path.of("/usr/sbin/nginx"), conf));
    }

    @Test
    void nginxAcceptsTheGeneratedConfiguration(@TempDir Path dir) throws Exception {
        Path nginx = NginxTarget.executable().orElse(null);
        Assumptions.assumeTrue(nginx != null, "nginx is not installed (Debian: apt-get install -y nginx)");
        Path root = Files.createDirectories(dir.resolve("root"));
        NginxConf conf = new NginxConf(dir, ChildServer.freePort(), 1, root);
        Files.writeString(conf.file(), conf.text(), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(NginxTarget.command(List.of(), nginx, conf));
        command.add(1, "-t");

        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));

        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("test is successful"), out);
    }
}
