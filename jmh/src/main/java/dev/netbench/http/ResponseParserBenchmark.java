package dev.netbench.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * {@link ResponseParser} on the HTTP load generator's path once per response: nginx's keep-alive answer to
 * {@code GET /index.html} (257 bytes, nine headers), from a direct buffer as the epoll transport reads it.
 * In this package because the parser is package-private.
 */
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResponseParserBenchmark {
    private static final String NGINX = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sat, 21 Nov 2026 10:21:37 GMT\r\n"
            + "Content-Type: text/html\r\nContent-Length: 21\r\nLast-Modified: Sat, 21 Nov 2026 09:45:00 GMT\r\n"
            + "Connection: keep-alive\r\nETag: \"6b01681c-15\"\r\nAccept-Ranges: bytes\r\n\r\nnetbench http target\n";

    private ByteBuf response;
    private ResponseParser parser;
    private long completed;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = NGINX.getBytes(StandardCharsets.US_ASCII);
        response = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        parser = new ResponseParser(new ResponseParser.Listener() {
            @Override
            public void onHead(int status, boolean keepAlive) {
            }

            @Override
            public void onServer(String software) {
            }

            @Override
            public boolean wantsServer() {
                return false;
            }

            @Override
            public void onBody(int bytes) {
            }

            @Override
            public void onComplete() {
                completed++;
            }
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        response.release();
    }

    @Benchmark
    public long nginxKeepAliveResponse() throws ResponseParser.HttpParseException {
        response.readerIndex(0);
        parser.feed(response);
        return completed;
    }
}
