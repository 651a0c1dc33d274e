package dev.weft.bench.http;

import dev.weft.bench.net.NettyEcho;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.Version;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * The Netty 4.2 peers' HTTP server: one {@link MultiThreadIoEventLoopGroup} of {@code workers}
 * event loops over the io_uring or epoll transport ({@link NettyEcho.Transport}), shared by the
 * listening channel and the connections. Each connection's pipeline is the one Netty's
 * documentation and examples give for an HTTP/1.1 server: {@link FlushConsolidationHandler}
 * (flushes of responses written while a read is in progress coalesced into one write, as its
 * maintainers recommend for pipelined requests), {@link HttpServerCodec},
 * {@link HttpServerKeepAliveHandler}, then the handler, which answers each request as it is
 * decoded with {@code writeAndFlush}. Fixed answers are slices of one unreleasable direct buffer;
 * files go out as a {@link DefaultFileRegion} (sendfile with epoll, splice with io_uring). Every
 * response has {@code Date} (formatted at most once a second per event loop), {@code Server},
 * {@code Content-Type} and {@code Content-Length}.
 */
final class NettyHttp implements PeerServer {

    private static final long CLOSE_TIMEOUT_SECONDS = 10;
    private static final ByteBuf PLAINTEXT = body(NginxConf.PLAINTEXT);
    private static final ByteBuf JSON = body(NginxConf.JSON);

    private final NettyEcho.Transport transport;
    private EventLoopGroup group;
    private Channel listener;

    NettyHttp(NettyEcho.Transport transport) {
        this.transport = transport;
    }

    private static ByteBuf body(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes)).asReadOnly();
    }

    @Override
    public String configuration() {
        Version v = Version.identify().get("netty-codec-http");
        return "netty " + (v == null ? "(version unknown)" : v.artifactVersion()) + " " + transport.impl()
                + ", sun.misc.Unsafe " + (PlatformDependent.hasUnsafe() ? "in use" : "NOT in use")
                + ", FlushConsolidationHandler + HttpServerCodec + HttpServerKeepAliveHandler, files by DefaultFileRegion";
    }

    @Override
    public int start(int workers, Path root) throws Exception {
        if (workers < 1) {
            throw new IllegalArgumentException(transport.impl() + ": workers must be >= 1, was " + workers);
        }
        transport.unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException(transport.impl() + " cannot start: " + reason);
        });
        Path files = root.toRealPath();
        group = new MultiThreadIoEventLoopGroup(workers, new DefaultThreadFactory("weft-bench-http-" + transport.impl()),
                transport.ioHandlers());
        try {
            listener = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new FlushConsolidationHandler(
                                            FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true),
                                    new HttpServerCodec(), new HttpServerKeepAliveHandler(), new Answer(files));
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync()
                    .channel();
        } catch (Exception e) {
            close();
            throw e;
        }
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            listener = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .awaitUninterruptibly(2 * CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            group = null;
        }
    }

    /** Answers each request of one connection. */
    private static final class Answer extends SimpleChannelInboundHandler<HttpRequest> {
        private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
        private final Path root;
        private long dateSecond = -1;
        private String date = "";

        Answer(Path root) {
            this.root = root;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) throws IOException {
            String uri = request.uri();
            switch (uri) {
                case "/plaintext" -> fixed(ctx, PLAINTEXT, "text/plain");
                case "/json" -> fixed(ctx, JSON, "application/json");
                default -> file(ctx, uri);
            }
        }

        private void fixed(ChannelHandlerContext ctx, ByteBuf body, String type) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    body.duplicate(), false);
            headers(r.headers(), type, body.readableBytes());
            ctx.writeAndFlush(r, ctx.voidPromise());
        }

        private void file(ChannelHandlerContext ctx, String uri) throws IOException {
            Path file = uri.startsWith("/") && !uri.contains("..") && uri.indexOf('?') < 0
                    ? root.resolve(uri.substring(1)).normalize() : null;
            if (file == null || !file.startsWith(root) || !Files.isRegularFile(file)) {
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                        Unpooled.EMPTY_BUFFER, false);
                headers(r.headers(), "text/plain", 0);
                ctx.writeAndFlush(r, ctx.voidPromise());
                return;
            }
            RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r");
            long length = raf.length();
            HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, false);
            headers(r.headers(), "application/octet-stream", length);
            ctx.write(r, ctx.voidPromise());
            ctx.write(new DefaultFileRegion(raf.getChannel(), 0, length), ctx.voidPromise());
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
        }

        private void headers(HttpHeaders h, String type, long length) {
            long second = System.currentTimeMillis() / 1000;
            if (second != dateSecond) {
                dateSecond = second;
                date = HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
            }
            h.set(HttpHeaderNames.CONTENT_TYPE, type)
                    .set(HttpHeaderNames.CONTENT_LENGTH, length)
                    .set(HttpHeaderNames.SERVER, "netty")
                    .set(HttpHeaderNames.DATE, date);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close().addListener(ChannelFutureListener.CLOSE); // a client that reset its connection
        }
    }
}
