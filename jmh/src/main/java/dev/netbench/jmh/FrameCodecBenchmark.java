package dev.netbench.jmh;

import dev.netbench.cpu.Baseline;
import dev.netbench.cpu.CpuUsage;
import dev.netbench.cpu.HostCpu;
import dev.netbench.cpu.ProcessCpu;
import dev.netbench.cpu.Softirqs;
import dev.netbench.protocol.ControlFrame;
import dev.netbench.protocol.DataRead;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.FrameDecoder;
import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.Protocol;
import dev.netbench.report.EndFigures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The wire codec: {@link FrameDecoder} on a stream of messages, and the control-frame encoding
 * ({@link Protocol#control}) and decoding ({@link Fields#decode}) of a RESULT frame.
 *
 * <p>Leak detection is off in the forks: with the default (sampled) level an occasional tracked buffer makes
 * forks bimodal, and the point is to measure netbench's code, not Netty's sampler.
 */
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class FrameCodecBenchmark {

    /**
     * An endless stream of messages of {@code msgSize} bytes (payload alone, as on the wire), cut into socket reads of
     * {@code readSize} bytes, fed to a {@link FrameDecoder} in a real pipeline.
     *
     * <p><b>Driver.</b> The decoder sits in an {@link EmbeddedChannel} (pipeline: FrameDecoder, then {@link Sink}),
     * but each read enters through {@code pipeline().fireChannelRead(buf)}, which is what a transport's read loop
     * does per read (head context, decoder, next handler). {@code EmbeddedChannel.writeInbound} is not used: it
     * adds per call a readComplete, a run of pending and scheduled tasks and an exception check, which a real
     * read loop pays once per batch of reads, not per buffer. It makes no difference for 1-byte and 1 KiB
     * messages, but for 64 KiB messages (four per read, ~140 ns) it cost ~1.7x the time per read in a
     * trial run, i.e. it would have measured EmbeddedChannel rather than the decoder.
     *
     * <p><b>Stream.</b> One direct buffer holds back-to-back copies of {@link Protocol#message}; it is periodic
     * with period {@code frameLength}, so a read at offset {@code o < frameLength} of {@code readSize} bytes is
     * one contiguous slice, and advancing {@code o} by {@code readSize} modulo {@code frameLength} walks an
     * endless stream. Reads therefore split messages at every possible place, as a socket does.
     * Each read is a {@code retainedSlice}, which the decoder releases, like the pooled buffer of a socket read.
     * The default {@code readSize} is the largest read netbench's receive allocator makes
     * ({@code Transport.recvAllocator()}: 256 KiB), i.e. a bandwidth receiver that keeps up.
     */
    @State(Scope.Thread)
    public static class DataStream {
        @Param({"1", "1024", "65536"})
        public int msgSize;

        @Param({"262144"})
        public int readSize;

        int frameLength;
        ByteBuf wire;
        int offset;
        EmbeddedChannel channel;
        ChannelPipeline pipeline;
        Sink sink;

        @Setup(Level.Trial)
        public void setUp() {
            frameLength = msgSize;
            ByteBuf frame = Protocol.message(msgSize);
            int frames = (frameLength - 1 + readSize + frameLength - 1) / frameLength;
            // Own allocator with the leak detector off, so no derived slice is ever tracked.
            wire = new UnpooledByteBufAllocator(true, true).directBuffer(frames * frameLength, frames * frameLength);
            for (int i = 0; i < frames; i++) {
                wire.writeBytes(frame, frame.readerIndex(), frame.readableBytes());
            }
            selfCheck();
            sink = new Sink();
            channel = new EmbeddedChannel(decoder(), sink);
            pipeline = channel.pipeline();
            offset = 0;
        }

        /**
         * Feeds a throwaway decoder the smallest number of reads that ends on a frame boundary and checks it
         * counted every message and every payload byte, so a broken stream cannot produce a fast, empty result.
         */
        private void selfCheck() {
            int reads = frameLength / gcd(frameLength, readSize);
            Sink check = new Sink();
            EmbeddedChannel ch = new EmbeddedChannel(decoder(), check);
            for (int i = 0; i < reads; i++) {
                ch.pipeline().fireChannelRead(nextRead());
            }
            ch.checkException();
            long messages = (long) reads * readSize / frameLength;
            if (offset != 0 || check.messages != messages || check.payloadBytes != messages * msgSize
                    || check.controlFrames != 0 || wire.refCnt() != 1) {
                throw new IllegalStateException("decoder self-check failed: " + check.messages + " messages / "
                        + check.payloadBytes + " bytes, expected " + messages + " / " + messages * msgSize);
            }
            ch.finishAndReleaseAll();
        }

        private FrameDecoder decoder() {
            FrameDecoder d = new FrameDecoder();
            d.expectMessages(msgSize);
            return d;
        }

        ByteBuf nextRead() {
            ByteBuf read = wire.retainedSlice(offset, readSize);
            offset = (int) ((offset + (long) readSize) % frameLength);
            return read;
        }

        @TearDown(Level.Iteration)
        public void checkDecoder() {
            // A ProtocolException in the decoder lands here, not in the benchmark method.
            channel.checkException();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            channel.finishAndReleaseAll();
            wire.release();
        }

        private static int gcd(int a, int b) {
            return b == 0 ? a : gcd(b, a % b);
        }
    }

    /** What the handler after the decoder sees; it consumes every DataRead and ControlFrame into counters. */
    static final class Sink extends ChannelInboundHandlerAdapter {
        long payloadBytes;
        long messages;
        long controlFrames;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DataRead read) {
                payloadBytes += read.bytes();
                messages += read.messagesCompleted();
            } else if (msg instanceof ControlFrame) {
                controlFrames++;
            } else {
                ReferenceCountUtil.release(msg);
                throw new IllegalStateException("unexpected message " + msg);
            }
        }
    }

    /**
     * Secondary results of {@link #decodeData}, as rates: {@code payloadBytes} is message payload per second as the
     * decoder counted it (netbench's goodput), {@code messages} is completed messages per second.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class DecodeCounters {
        public long payloadBytes;
        public long messages;

        @Setup(Level.Iteration)
        public void reset() {
            payloadBytes = 0;
            messages = 0;
        }
    }

    /**
     * One op = one socket read of {@code readSize} wire bytes (messages) decoded, so wire bytes/s =
     * ops/s x readSize. The {@code :payloadBytes} and {@code :messages} rows give payload bytes/s and messages/s.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void decodeData(DataStream s, DecodeCounters c) {
        s.pipeline.fireChannelRead(s.nextRead());
        Sink sink = s.sink;
        c.payloadBytes += sink.payloadBytes;
        c.messages += sink.messages;
        sink.payloadBytes = 0;
        sink.messages = 0;
    }

    /**
     * A RESULT frame as a server sends it: the 20 fields of {@link EndFigures#toFields()} with plausible values,
     * encoded through {@link ByteBufAllocator#DEFAULT} (what {@code ctx.alloc()} is in netbench, which does not
     * set an allocator), and its body decoded from a heap buffer (the decoder collects a control body into one).
     */
    @State(Scope.Thread)
    public static class ControlState {
        final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        Fields result;
        ByteBuf body;

        @Setup(Level.Trial)
        public void setUp() {
            CpuUsage cpu = new CpuUsage(10.000731246,
                    new ProcessCpu(3.27, 6.81), 0.12, null,
                    new HostCpu(3.52, 7.44, 0.0, 2.91, 0.0, 5.97, 0.01), new Softirqs(123_456, 789), null,
                    new Baseline(0.5, 0.04), null);
            result = new EndFigures(12_345_678_901L, 1_234_567L, 188_379L, 19L, 10_000_731_246L, cpu, null).toFields();
            if (result.asMap().size() != 20) {
                throw new IllegalStateException("RESULT has " + result.asMap().size() + " fields, expected 20");
            }
            ByteBuf frame = Protocol.control(alloc, FrameType.RESULT, result);
            try {
                if (frame.readUnsignedByte() != FrameType.RESULT.code()) {
                    throw new IllegalStateException("wrong frame type");
                }
                int length = frame.readInt();
                body = Unpooled.buffer(length, length).writeBytes(frame, length);
            } finally {
                frame.release();
            }
            if (!Fields.decode(body.duplicate()).equals(result)) {
                throw new IllegalStateException("RESULT does not survive encode + decode");
            }
        }
    }

    /** One op = encode the RESULT frame, then decode its body back into Fields (the frame's two ends). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Fields controlRoundTrip(ControlState s) {
        ByteBuf frame = Protocol.control(s.alloc, FrameType.RESULT, s.result);
        try {
            frame.skipBytes(1);
            int length = frame.readInt();
            return Fields.decode(frame.readSlice(length));
        } finally {
            frame.release();
        }
    }

    /** One op = encode the RESULT frame (header + body) into a buffer from the allocator and release it. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int controlEncode(ControlState s) {
        ByteBuf frame = Protocol.control(s.alloc, FrameType.RESULT, s.result);
        int length = frame.readableBytes();
        frame.release();
        return length;
    }

    /** One op = decode the RESULT body (already collected, as FrameDecoder hands it over) into Fields. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Fields controlDecode(ControlState s) {
        ByteBuf body = s.body;
        body.readerIndex(0);
        return Fields.decode(body);
    }
}
