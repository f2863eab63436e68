package dev.netbench.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UnitsTest {
    @Test
    void bitRatesUseDecimalPrefixesAndThreeFigures() {
        assertEquals("9.87 Gbit/s", Units.bitsPerSecond(9.87e9));
        assertEquals("15.6 Gbit/s", Units.bitsPerSecond(15.64e9));
        assertEquals("100 Mbit/s", Units.bitsPerSecond(99.97e6));
        assertEquals("1.00 Gbit/s", Units.bitsPerSecond(999.7e6));
        assertEquals("0 bit/s", Units.bitsPerSecond(0));
        assertEquals("n/a", Units.bitsPerSecond(Double.NaN));
    }

    @Test
    void bytesAndSizes() {
        assertEquals("12.0 GB", Units.bytes(12.0e9));
        assertEquals("128 KiB", Units.msgSize(131072));
        assertEquals("1.5 KiB", Units.msgSize(1536));
        assertEquals("1000 B", Units.msgSize(1000));
        assertEquals("16 MiB", Units.msgSize(16 * 1024 * 1024));
    }

    @Test
    void fixedFigures() {
        assertEquals("1.23", Units.fixed3(1.234));
        assertEquals("12.3", Units.fixed3(12.34));
        assertEquals("123", Units.fixed3(123.4));
        assertEquals("0.012", Units.fixed3(0.01234), "three decimals below 1");
        assertEquals("-1.50", Units.fixed3(-1.5));
    }
}
