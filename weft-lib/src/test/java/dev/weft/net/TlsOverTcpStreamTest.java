package dev.weft.net;

import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.weft.net.NetTesting.CONNECT;
import static dev.weft.net.NetTesting.LOOPBACK_ANY_PORT;
import static dev.weft.net.NetTesting.call;
import static dev.weft.net.NetTesting.join;
import static dev.weft.net.NetTesting.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS 1.3 over a {@link TcpStream}: an {@link SSLEngine} driven over the stream as a
 * {@link java.nio.channels.ByteChannel} ({@link TlsSession}) handshakes and carries data, with
 * a weft peer and with the JDK's own {@link SSLSocket} / {@link SSLServerSocket} on a platform
 * thread, on both backends. The key is a self-signed EC certificate for 127.0.0.1 that
 * {@code keytool} (from the JDK that runs the tests) makes once per run in a temporary
 * directory; the clients trust it and check the host name against it.
 */
class TlsOverTcpStreamTest {

    private static final String PROTOCOL = "TLSv1.3";
    private static final char[] PASSWORD = "weft-test".toCharArray();
    /** Bytes each test sends, in chunks of {@link #CHUNK}, each echoed before the next is sent. */
    private static final int TOTAL = 200_000;
    private static final int CHUNK = 16_000;

    @TempDir
    static Path keys;
    private static SSLContext trusted;
    /** Trusts the JDK's own certificate authorities (cacerts), which never signed the test's key. */
    private static SSLContext trustsOnlyTheJdkAuthorities;

    private Weft rt;

    @BeforeAll
    static void makeKeys() throws Exception {
        Path store = keys.resolve("weft-test.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        assertTrue(Files.isExecutable(keytool), "the tests make their TLS key with " + keytool
                + ", which is missing: run them on a JDK, not a JRE");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "weft", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD), "-noprompt")
                .redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool did not finish in 60 s");
        assertEquals(0, p.exitValue(), "keytool failed: " + new String(output, StandardCharsets.UTF_8));

        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, PASSWORD);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("weft", keyStore.getCertificate("weft"));
        trusted = context(kmf, trust);
        trustsOnlyTheJdkAuthorities = context(kmf, null);
    }

    /** A context with the test's key, trusting what {@code trust} holds (null: the JDK's cacerts). */
    private static SSLContext context(KeyManagerFactory kmf, KeyStore trust) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance(PROTOCOL);
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    @AfterEach
    void stop() throws InterruptedException {
        NetTesting.stop(rt);
    }

    private static SSLEngine serverEngine() {
        SSLEngine e = trusted.createSSLEngine();
        e.setUseClientMode(false);
        e.setEnabledProtocols(new String[] {PROTOCOL});
        return e;
    }

    /** A client engine that checks the server's certificate names 127.0.0.1 (HTTPS host-name rules). */
    private static SSLEngine clientEngine(SSLContext ctx, InetSocketAddress server) {
        SSLEngine e = ctx.createSSLEngine(server.getHostString(), server.getPort());
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        p.setProtocols(new String[] {PROTOCOL});
        p.setEndpointIdentificationAlgorithm("HTTPS");
        e.setSSLParameters(p);
        return e;
    }

    /**
     * A weft TLS echo server for one connection: handshakes, echoes until the client's close_notify,
     * answers with its own, closes. Returns the protocol and the number of bytes echoed.
     */
    private JoinHandle<String> serveOneTlsEcho(TcpListener l) {
        return rt.spawn(() -> {
            try (TcpStream s = l.accept()) {
                TlsSession tls = new TlsSession(serverEngine(), s);
                tls.handshake();
                ByteBuffer buf = ByteBuffer.allocate(8192);
                long echoed = 0;
                for (int n; (n = tls.read(buf.clear())) >= 0; ) {
                    tls.write(buf.flip());
                    echoed += n;
                }
                tls.closeOutbound();
                return tls.engine().getSession().getProtocol() + " " + echoed;
            }
        });
    }

    /**
     * In a weft task: connects to an echo server at {@code addr}, handshakes (checking the
     * server's certificate), sends {@link #TOTAL} bytes through it, then closes the session as
     * TLS 1.3 does (close_notify each way). Returns the protocol used.
     */
    private static String echoAsTlsClient(InetSocketAddress addr) throws IOException {
        try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
            TlsSession tls = new TlsSession(clientEngine(trusted, addr), c);
            tls.handshake();
            X509Certificate cert = (X509Certificate) tls.engine().getSession().getPeerCertificates()[0];
            assertEquals("CN=localhost", cert.getSubjectX500Principal().getName());
            echoThrough(tls);
            tls.closeOutbound();
            assertEquals(-1, tls.read(ByteBuffer.allocate(1)), "the server's close_notify ends the stream");
            return tls.engine().getSession().getProtocol();
        }
    }

    /** Sends {@link #TOTAL} bytes in chunks through {@code tls}, each echoed back before the next. */
    private static void echoThrough(TlsSession tls) throws IOException {
        byte[] msg = pattern(TOTAL, 11);
        for (int off = 0; off < TOTAL; off += CHUNK) {
            int len = Math.min(CHUNK, TOTAL - off);
            tls.write(ByteBuffer.wrap(msg, off, len));
            ByteBuffer back = ByteBuffer.allocate(len);
            while (back.hasRemaining()) {
                assertTrue(tls.read(back) > 0, "the TLS stream ended with " + back.remaining() + " bytes to come");
            }
            assertArrayEquals(Arrays.copyOfRange(msg, off, off + len), back.array(), "chunk at " + off);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(60)
    void weftClientAndWeftServerEchoOverTls13(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (TcpListener l = call(rt, () -> TcpListener.bind(LOOPBACK_ANY_PORT, 4))) {
            InetSocketAddress addr = l.localAddress();
            JoinHandle<String> server = serveOneTlsEcho(l);
            String client = call(rt, () -> echoAsTlsClient(addr));
            assertEquals(PROTOCOL, client);
            assertEquals(PROTOCOL + " " + TOTAL, join(server));
        }
    }

    /** The JDK's SSLSocket, on a platform thread over java.net, talks to the weft server's SSLEngine. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(60)
    void jdkSslSocketClientTalksToAWeftTlsServer(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (TcpListener l = call(rt, () -> TcpListener.bind(LOOPBACK_ANY_PORT, 4))) {
            InetSocketAddress addr = l.localAddress();
            JoinHandle<String> server = serveOneTlsEcho(l);
            try (SSLSocket s = (SSLSocket) trusted.getSocketFactory().createSocket()) {
                SSLParameters p = s.getSSLParameters();
                p.setProtocols(new String[] {PROTOCOL});
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                s.connect(addr, 10_000);
                s.setSoTimeout(20_000);
                s.startHandshake();
                assertEquals(PROTOCOL, s.getSession().getProtocol());
                byte[] msg = pattern(TOTAL, 11);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                for (int off = 0; off < TOTAL; off += CHUNK) {
                    int len = Math.min(CHUNK, TOTAL - off);
                    out.write(msg, off, len);
                    assertArrayEquals(Arrays.copyOfRange(msg, off, off + len), in.readNBytes(len), "chunk at " + off);
                }
                s.shutdownOutput(); // TLS 1.3 half close: sends close_notify
                assertEquals(-1, in.read(), "the server's close_notify ends the stream");
            }
            assertEquals(PROTOCOL + " " + TOTAL, join(server));
        }
    }

    /** A weft client's SSLEngine talks to the JDK's SSLServerSocket on a platform thread. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(60)
    void weftTlsClientTalksToAJdkSslServerSocket(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (SSLServerSocket ss = (SSLServerSocket) trusted.getServerSocketFactory()
                .createServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            ss.setEnabledProtocols(new String[] {PROTOCOL});
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", ss.getLocalPort());
            JoinHandle<String> client = rt.spawn(() -> echoAsTlsClient(addr));
            try (SSLSocket s = (SSLSocket) ss.accept()) {
                s.setSoTimeout(20_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[8192];
                long echoed = 0;
                for (int n; (n = in.read(buf)) >= 0; echoed += n) {
                    out.write(buf, 0, n);
                }
                s.shutdownOutput();
                assertEquals(TOTAL, echoed);
            }
            assertEquals(PROTOCOL, join(client));
        }
    }

    /**
     * A client that does not trust the certificate fails its handshake with
     * {@link SSLHandshakeException}; the server's handshake fails too (the client's alert, or the
     * connection's end), and neither side hangs.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(60)
    void anUntrustedCertificateFailsBothHandshakes(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (TcpListener l = call(rt, () -> TcpListener.bind(LOOPBACK_ANY_PORT, 4))) {
            InetSocketAddress addr = l.localAddress();
            JoinHandle<Throwable> server = rt.spawn(() -> {
                try (TcpStream s = l.accept()) {
                    new TlsSession(serverEngine(), s).handshake();
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            Exception e = assertThrows(Exception.class, () -> call(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    new TlsSession(clientEngine(trustsOnlyTheJdkAuthorities, addr), c).handshake();
                    return null;
                }
            }));
            SSLHandshakeException he = assertInstanceOf(SSLHandshakeException.class, e, () -> describe(e));
            assertTrue(he.getMessage().contains("certification path") || he.getMessage().contains("PKIX"),
                    he.getMessage());
            Throwable serverFailure = join(server);
            assertTrue(serverFailure instanceof IOException, "the server's handshake ended with " + serverFailure);
            List<String> expected = List.of("certificate_unknown", "before the peer's TLS close_notify", "reset");
            assertTrue(expected.stream().anyMatch(serverFailure.toString()::contains), serverFailure.toString());
        }
    }

    private static String describe(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
