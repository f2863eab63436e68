package dev.netbench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Parallel streams' TCP_INFO figures as one, and the reason that stands in for figures that were not read. */
class SenderTcpTest {
    private static final TcpFigures A = new TcpFigures(3, 100_000, 1448, 1500, 200, 20);
    private static final TcpFigures B = new TcpFigures(5, 300_000, 1448, 1500, 400, 60);

    @Test
    void streamsSumRetransmitsAndWindowsTakeTheSmallestMssAndMtuAndTheMeanRtt() {
        assertEquals(new TcpFigures(8, 400_000, 1448, 1500, 300, 40), TcpFigures.sum(List.of(A, B)));
        assertEquals(new TcpFigures(3, 100_000, 1400, 1450, 200, 20),
                TcpFigures.sum(List.of(A, new TcpFigures(0, 0, 1400, 1450, 200, 20))));
    }

    @Test
    void oneStreamIsItself() {
        assertEquals(A, TcpFigures.sum(List.of(A)));
    }

    @Test
    void aStreamWithoutFiguresMakesTheSumUnavailableWithItsReason() {
        SenderTcp nio = SenderTcp.unavailable("NIO");
        SenderTcp sum = SenderTcp.of(List.of(SenderTcp.measured(A), nio));
        assertNull(sum.figures());
        assertEquals("NIO", sum.unavailable());
        assertEquals(SenderTcp.measured(TcpFigures.sum(List.of(A, B))), SenderTcp.of(List.of(SenderTcp.measured(A), SenderTcp.measured(B))));
    }

    @Test
    void figuresAndAReasonAreExclusive() {
        assertThrows(IllegalArgumentException.class, () -> new SenderTcp(A, "why"));
        assertThrows(IllegalArgumentException.class, () -> new SenderTcp(null, null));
    }
}
