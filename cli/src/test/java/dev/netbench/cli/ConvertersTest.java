package dev.netbench.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConvertersTest {
    @Test
    void valuesConvertAsSizesParsesThem() {
        assertEquals(Duration.ofMillis(300), new Converters.Seconds().convert("0.3"));
        assertEquals(Duration.ZERO, new Converters.SecondsOrZero().convert("0"));
        assertEquals(65536, new Converters.Size().convert("64K"));
        assertEquals(256L << 20, new Converters.Memory().convert("256M"));
        assertEquals(2_500_000_000L, new Converters.Bitrate().convert("2.5G"));
        assertEquals(List.of(1, 4, 16), new Converters.SizeSweep().convert("1:16:*4").sizes());
    }

    @Test
    void aBadValueIsPicocliConversionErrorWithSizesReason() {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> new Converters.Seconds().convert("0"));
        assertEquals("'0' seconds out of range (0.001 to 86400)", e.getMessage());
        assertThrows(TypeConversionException.class, () -> new Converters.Bitrate().convert("fast"));
        assertThrows(TypeConversionException.class, () -> new Converters.SizeSweep().convert("1:64K:*1"));
    }

    @Test
    void secondsAreWrittenBackAsAUserWritesThem() {
        assertEquals("5", Converters.format(Duration.ofSeconds(5)));
        assertEquals("0.3", Converters.format(Duration.ofMillis(300)));
        assertEquals("0", Converters.format(Duration.ZERO));
    }
}
