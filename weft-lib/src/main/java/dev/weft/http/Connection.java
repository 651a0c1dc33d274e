package dev.weft.http;

import dev.weft.fs.FileHandle;
import dev.weft.fs.FileOption;
import dev.weft.net.IoTimeoutException;
import dev.weft.net.TcpStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection's loop, run by one actor (a temporary child of the server's supervisor): read a
 * head, run the handler, write the response, and again while the connection is kept alive.
 *
 * <p>Input is one array with the unread bytes in {@code [start, end)}; a pipelined request that is
 * already there is parsed without a read. Responses are gathered in an output array and written
 * when the connection is about to wait for input (or when the array fills, or before a file or
 * streamed body), so the answers to a pipeline of requests leave in order and in few writes.
 *
 * <p>Idle protocol with {@link HttpServer#stop}: {@link #state} is BUSY while a request is being
 * read or answered and IDLE while the task waits for the first byte of the next one. The task
 * writes IDLE and then reads {@code server.stopping}; the stopper writes {@code stopping} and then
 * moves each IDLE connection to CLOSED and closes its stream (both volatile, so one of the two
 * sees the other's write: an idle connection is closed, a busy one sees the stop after its
 * response). The task leaves IDLE with a CAS to BUSY when bytes arrive; a failed CAS means the
 * stopper closed it, and the task ends.
 */
final class Connection {

    static final int BUSY = 0, IDLE = 1, CLOSED = 2;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER = "Server: weft\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Output gathered before a write; larger byte bodies are written from their own array. */
    private static final int OUT_FLUSH = 16 * 1024;
    /** Bytes read (and dropped) after an error response before the close, so the answer is not lost to a reset. */
    private static final int LINGER_BYTES = 64 * 1024;
    /**
     * How long, in all, that reading may last: a client that keeps sending (a slowloris client after
     * its 408, say) cannot hold the connection open past it.
     */
    private static final long LINGER_NANOS = Duration.ofMillis(500).toNanos();

    private final HttpServer server;
    private final TcpStream stream;
    final AtomicInteger state = new AtomicInteger(IDLE);
    private final HttpParser parser;
    private byte[] in = new byte[4096];
    private int start;
    private int end;
    private byte[] out = new byte[4096];
    private int outLength;
    private final int maxInput;
    private InetSocketAddress remote;
    private Throwable failure;
    /** The request being answered; null while a head is read (a refusal of it then answers no known method). */
    private RequestHead current;

    Connection(HttpServer server, TcpStream stream) {
        this.server = server;
        this.stream = stream;
        this.parser = new HttpParser(server.maxTargetBytes, server.maxHeaderBytes);
        this.maxInput = server.maxTargetBytes + server.maxHeaderBytes + 1024;
    }

    /** A handler's (or a response body's) failure that ended this connection, or null. */
    Throwable handlerFailure() {
        return failure;
    }

    private void failed(RequestHead head, Throwable e) {
        failure = e;
        server.handlerFailed(head, e);
    }

    /** Closes the connection if it waits for a request; called by the stopper after it set stopping. */
    void closeIfIdle() {
        if (state.compareAndSet(IDLE, CLOSED)) {
            stream.close();
        }
    }

    /** Closes the connection whatever it does (the grace period is over). */
    void abort() {
        state.set(CLOSED);
        stream.close();
    }

    void run() {
        try {
            try {
                remote = stream.remoteAddress();
            } catch (IOException e) {
                return; // the peer is gone already
            }
            boolean first = true;
            for (;;) {
                current = null;
                RequestHead head = readHead(first);
                if (head == null) {
                    return;
                }
                current = head;
                first = false;
                if (!serve(head) || server.stopping) {
                    flush();
                    return;
                }
            }
        } catch (HttpException e) {
            answerErrorAndClose(e.status(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            // a reset, a timeout or a close by the stopper: nothing more to say to this peer
        } finally {
            stream.close();
        }
    }

    /** The next request's head, or null when the connection should close quietly. */
    private RequestHead readHead(boolean first) throws IOException {
        parser.reset();
        long deadline = 0;
        for (;;) {
            if (start < end) {
                if (deadline == 0) {
                    deadline = System.nanoTime() + server.headerTimeout.toNanos();
                }
                RequestHead head = parser.parse(in, start, end);
                if (head != null) {
                    start += head.length();
                    return head;
                }
            }
            int n;
            if (start == end && parser.idle()) {
                flush();
                state.set(IDLE);
                if (server.stopping) {
                    return null;
                }
                n = readIdle(first ? server.headerTimeout : server.idleTimeout);
                if (n <= 0 || !state.compareAndSet(IDLE, BUSY)) {
                    return null;
                }
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new HttpException(408, "the request head did not arrive within " + server.headerTimeout);
                }
                try {
                    n = fill(Duration.ofNanos(left));
                } catch (IoTimeoutException e) {
                    throw new HttpException(408, "the request head did not arrive within " + server.headerTimeout);
                }
                if (n < 0) {
                    return null; // the client left in the middle of a head
                }
            }
        }
    }

    private int readIdle(Duration timeout) throws IOException {
        try {
            return fill(timeout);
        } catch (IoTimeoutException e) {
            return -1;
        }
    }

    /** Reads more input after {@code end}, making room first; flushes pending output before it waits. */
    private int fill(Duration timeout) throws IOException {
        flush();
        if (end == in.length) {
            if (start > 0) {
                System.arraycopy(in, start, in, 0, end - start);
                end -= start;
                start = 0;
            } else if (in.length < maxInput) {
                in = Arrays.copyOf(in, Math.min(in.length * 2, maxInput));
            } else {
                // the parser's limits stop a head before this; a body reader consumes as it goes
                throw new HttpException(431, "the request head passed " + maxInput + " bytes");
            }
        }
        stream.readTimeout(timeout);
        int n = stream.read(ByteBuffer.wrap(in, end, in.length - end));
        if (n > 0) {
            end += n;
        }
        return n;
    }

    /** Answers one request; whether the connection stays open for another. */
    private boolean serve(RequestHead head) throws IOException {
        server.requests.increment();
        if (head.contentLength() > server.maxBodyBytes) {
            throw new HttpException(413, "Content-Length " + head.contentLength() + " is over the body limit of "
                    + server.maxBodyBytes + " bytes");
        }
        Routes.Match match = server.routes.match(head.method(), head.path());
        Body body = new Body(head);
        Response response;
        try {
            Handler h = match.handler();
            Request request = new Request(head, match.params(), body, remote, server.maxBodyBytes);
            if (h == null && match.allowed() != null) {
                response = Response.text(405, "405 Method Not Allowed\n")
                        .header("Allow", String.join(", ", match.allowed()));
            } else {
                response = (h == null ? server.fallback : h).handle(request);
            }
            if (response == null) {
                throw new NullPointerException("the handler for " + head.method() + " " + head.path()
                        + " returned no response");
            }
        } catch (HttpException e) {
            throw e;
        } catch (IOException e) {
            if (stream.isClosed() || body.broken) {
                throw e; // the client left or stalled while the handler read its body: nobody to answer
            }
            failed(head, e);
            answerErrorAndClose(500, null);
            return false;
        } catch (Exception | Error e) {
            if (e instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                throw new IOException("the connection's task was cancelled", e); // the server is stopping
            }
            failed(head, e);
            answerErrorAndClose(500, null);
            return false;
        }
        boolean keepAlive = head.keepAlive() && !response.close && !server.stopping;
        if (head.hasBody() && !body.finished()) {
            if (head.expectContinue() && !body.continued) {
                keepAlive = false; // the client waits for a 100 that will not come: do not wait for its body
            } else {
                body.skipRest(); // framing errors here are the client's: a 400 and close
                keepAlive &= !server.stopping; // a stop that came while the rest of the body did
            }
        }
        return write(head, response, keepAlive);
    }

    private boolean write(RequestHead head, Response r, boolean keepAlive) throws IOException {
        boolean bodyAllowed = !head.method().equals("HEAD") && r.status() != 204 && r.status() != 304;
        FileHandle file = null;
        long fileLength = 0;
        try {
            if (r.file != null) {
                try {
                    file = FileHandle.open(r.file, FileOption.READ);
                    long size = file.size();
                    fileLength = r.fileLength < 0 ? Math.max(0, size - r.fileOffset) : r.fileLength;
                    if (r.fileOffset + fileLength > size) {
                        throw new IOException("the file region " + r.fileOffset + "+" + fileLength + " of " + r.file
                                + " passes its end (" + size + " bytes)");
                    }
                } catch (IOException e) {
                    failed(head, e);
                    answerErrorAndClose(500, null);
                    return false;
                }
            }
            boolean chunked = r.writer != null && bodyAllowed && head.minorVersion() == 1;
            if (r.writer != null && bodyAllowed && !chunked) {
                keepAlive = false; // HTTP/1.0: the close ends the body
            }
            statusLine(r.status());
            for (int i = 0; i < r.headerNames.size(); i++) {
                ascii(r.headerNames.get(i));
                ascii(": ");
                latin1(r.headerValues.get(i));
                put(CRLF);
            }
            if (r.status() != 204 && r.status() != 304) {
                if (r.bytes != null) {
                    ascii("Content-Length: ");
                    ascii(Integer.toString(r.bytes.length));
                    put(CRLF);
                } else if (r.file != null) {
                    ascii("Content-Length: ");
                    ascii(Long.toString(fileLength));
                    put(CRLF);
                } else if (chunked) {
                    ascii("Transfer-Encoding: chunked\r\n");
                } else if (r.writer == null) {
                    ascii("Content-Length: 0\r\n");
                }
            }
            if (!keepAlive) {
                ascii("Connection: close\r\n");
            } else if (head.minorVersion() == 0) {
                ascii("Connection: keep-alive\r\n");
            }
            put(CRLF);
            if (!bodyAllowed) {
                return keepAlive;
            }
            if (r.bytes != null) {
                if (r.bytes.length <= OUT_FLUSH) {
                    put(r.bytes);
                } else {
                    flush();
                    stream.writeAll(ByteBuffer.wrap(r.bytes));
                }
            } else if (file != null) {
                flush();
                long sent = 0;
                while (sent < fileLength) {
                    long n = file.transferTo(r.fileOffset + sent, fileLength - sent, stream);
                    if (n <= 0) {
                        throw new IOException(r.file + " shrank while it was sent: " + sent + " of " + fileLength
                                + " bytes went");
                    }
                    sent += n;
                }
            } else if (r.writer != null) {
                BodyOutput bo = new BodyOutput(chunked);
                try {
                    r.writer.writeTo(bo);
                } catch (IOException | RuntimeException | Error e) {
                    if (!stream.isClosed()) {
                        failed(head, e);
                    }
                    throw new IOException("the body writer failed after the head was sent", e);
                }
                bo.close();
                if (!chunked) {
                    flush();
                }
            }
            if (outLength >= OUT_FLUSH) {
                flush();
            }
            return keepAlive;
        } finally {
            if (file != null) {
                file.close();
            }
        }
    }

    private void statusLine(int status) {
        server.responded(status);
        ascii("HTTP/1.1 ");
        ascii(Integer.toString(status));
        put((byte) ' ');
        ascii(Response.reason(status));
        put(CRLF);
        put(SERVER);
        put(DateHeader.line());
    }

    /** The whole answer for a refused request: status line, Server, Date, a short text body, Connection: close. */
    static byte[] errorAnswer(int status, String detail) {
        return errorAnswer(status, detail, true);
    }

    /** As {@link #errorAnswer(int, String)}; without the body (its Content-Length kept) for a HEAD request. */
    static byte[] errorAnswer(int status, String detail, boolean withBody) {
        byte[] text = (status + " " + Response.reason(status) + (detail == null ? "" : ": " + detail) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 " + status + " " + Response.reason(status) + "\r\nServer: weft\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] framing = ("Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + text.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] date = DateHeader.line();
        byte[] all = new byte[head.length + date.length + framing.length + (withBody ? text.length : 0)];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(date, 0, all, head.length, date.length);
        System.arraycopy(framing, 0, all, head.length + date.length, framing.length);
        if (withBody) {
            System.arraycopy(text, 0, all, head.length + date.length + framing.length, text.length);
        }
        return all;
    }

    /** Writes a short error answer with {@code Connection: close}, then closes after a bounded linger. */
    private void answerErrorAndClose(int status, String detail) {
        if (stream.isClosed()) {
            return;
        }
        try {
            server.errors.increment();
            server.responded(status);
            put(errorAnswer(status, detail, current == null || !current.method().equals("HEAD")));
            flush();
            stream.shutdownOutput();
            // read what the client still sends (bounded in bytes and time), so that our close does not
            // reset the answer away
            long deadline = System.nanoTime() + LINGER_NANOS;
            ByteBuffer sink = ByteBuffer.wrap(in);
            int drained = 0;
            while (drained < LINGER_BYTES) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                stream.readTimeout(Duration.ofNanos(left));
                int n = stream.read(sink.clear());
                if (n < 0) {
                    break;
                }
                drained += n;
            }
        } catch (IOException | RuntimeException e) {
            // the client left: nothing to answer
        }
    }

    private void flush() throws IOException {
        if (outLength > 0) {
            stream.writeTimeout(server.ioTimeout);
            int n = outLength;
            outLength = 0;
            stream.writeAll(ByteBuffer.wrap(out, 0, n));
        }
    }

    private void room(int n) {
        if (outLength + n > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outLength + n));
        }
    }

    private void put(byte b) {
        room(1);
        out[outLength++] = b;
    }

    private void put(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, out, outLength, b.length);
        outLength += b.length;
    }

    private void put(byte[] b, int off, int len) {
        room(len);
        System.arraycopy(b, off, out, outLength, len);
        outLength += len;
    }

    private void ascii(String s) {
        latin1(s);
    }

    private void latin1(String s) {
        int n = s.length();
        room(n);
        for (int i = 0; i < n; i++) {
            out[outLength++] = (byte) s.charAt(i);
        }
    }

    /** A request body read from the connection's input: Content-Length bytes, or chunked and decoded. */
    private final class Body extends InputStream {

        private final RequestHead head;
        private final ChunkedDecoder chunks;
        private long left; // Content-Length bytes not read yet
        private int dataStart;
        private int dataLeft; // decoded bytes at in[dataStart...] not handed out yet
        boolean continued;
        /** A read of the body from the connection failed (end of stream, timeout, reset). */
        boolean broken;

        Body(RequestHead head) {
            this.head = head;
            this.chunks = head.chunked() ? new ChunkedDecoder(server.maxBodyBytes, server.maxHeaderBytes) : null;
            this.left = head.chunked() ? 0 : Math.max(0, head.contentLength());
        }

        boolean finished() {
            return chunks == null ? left == 0 : chunks.done() && dataLeft == 0;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (chunks == null) {
                if (left == 0) {
                    return -1;
                }
                if (start == end) {
                    more();
                }
                int n = (int) Math.min(Math.min(len, left), end - start);
                System.arraycopy(in, start, b, off, n);
                start += n;
                left -= n;
                return n;
            }
            while (dataLeft == 0) {
                if (chunks.done()) {
                    return -1;
                }
                if (start == end) {
                    more();
                }
                start = chunks.advance(in, start, end);
                dataStart = chunks.dataStart();
                dataLeft = chunks.dataLength();
            }
            int n = Math.min(len, dataLeft);
            System.arraycopy(in, dataStart, b, off, n);
            dataStart += n;
            dataLeft -= n;
            return n;
        }

        @Override
        public int available() {
            return chunks == null ? (int) Math.min(left, end - start) : dataLeft;
        }

        /** Reads more body bytes into the input array: sends 100 Continue first if the client waits for it. */
        private void more() throws IOException {
            if (head.expectContinue() && !continued) {
                continued = true;
                put(CONTINUE);
            }
            continued = true;
            if (dataLeft == 0 && start == end) {
                start = 0; // nothing unread: reuse the array from its start
                end = 0;
            }
            int n;
            try {
                n = fill(server.ioTimeout);
            } catch (IOException e) {
                broken = true;
                throw e;
            }
            if (n < 0) {
                broken = true;
                throw new java.io.EOFException("the client closed the connection in the middle of the request body");
            }
        }

        /** Reads and drops what the handler left of the body. */
        void skipRest() throws IOException {
            byte[] sink = new byte[8192];
            while (read(sink, 0, sink.length) >= 0) {
                // drop
            }
        }
    }

    /** The OutputStream a {@link Response.BodyWriter} writes to: chunk-framed for HTTP/1.1, raw for 1.0. */
    private final class BodyOutput extends OutputStream {

        private final boolean chunked;
        private boolean closed;

        BodyOutput(boolean chunked) {
            this.chunked = chunked;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException("the response body was ended already");
            }
            if (len == 0) {
                return;
            }
            if (chunked) {
                ascii(Integer.toHexString(len));
                put(CRLF);
                put(b, off, len);
                put(CRLF);
            } else {
                put(b, off, len);
            }
            if (outLength >= OUT_FLUSH) {
                Connection.this.flush();
            }
        }

        @Override
        public void flush() throws IOException {
            Connection.this.flush();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (chunked) {
                    ascii("0\r\n\r\n");
                }
            }
        }
    }
}
