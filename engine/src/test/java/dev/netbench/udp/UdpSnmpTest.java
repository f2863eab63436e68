package dev.netbench.udp;

import dev.netbench.protocol.Fields;
import dev.netbench.report.UdpErrors;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdpSnmpTest {
    /** /proc/net/snmp's UDP part as Linux 6.x writes it; UdpLite has the same columns and must not be read. */
    private static final List<String> SNMP = List.of(
            "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs",
            "Tcp: 1 200 120000 -1 58 11 0 2 4 39219",
            "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors",
            "Udp: 723966 3 797217 1521199 797210 0 7 0 0",
            "UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors",
            "UdpLite: 0 0 55 0 66 0 0 0 0");

    @Test
    void readsTheUdpColumnsByName() {
        UdpErrors e = UdpSnmp.parse(SNMP);
        assertTrue(e.available());
        assertEquals(797210, e.rcvbufErrors());
        assertEquals(797217, e.inErrors());
    }

    @Test
    void columnsAreFoundByNameNotPosition() {
        UdpErrors e = UdpSnmp.parse(List.of("Udp: RcvbufErrors InDatagrams InErrors", "Udp: 5 100 9"));
        assertEquals(5, e.rcvbufErrors());
        assertEquals(9, e.inErrors());
    }

    @Test
    void aFileWithoutTheUdpLinesOrColumnsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> UdpSnmp.parse(List.of("Tcp: InSegs", "Tcp: 1")));
        assertThrows(IllegalArgumentException.class, () -> UdpSnmp.parse(List.of("Udp: InDatagrams InErrors", "Udp: 1 2")));
        assertThrows(IllegalArgumentException.class, () -> UdpSnmp.parse(List.of("Udp: InErrors RcvbufErrors", "Udp: 1")));
    }

    @Test
    void readingThisHostGivesCountsOrAReasonNeverSilentZeros() {
        UdpErrors e = UdpSnmp.read();
        assertTrue(e.available() ? e.rcvbufErrors() >= 0 && e.inErrors() >= e.rcvbufErrors() : !e.unavailable().isEmpty(), e.toString());
    }

    @Test
    void aDeltaIsUnavailableWhenEitherReadingIs() {
        UdpErrors start = new UdpErrors(10, 12, null);
        UdpErrors end = new UdpErrors(15, 20, null);
        assertEquals(new UdpErrors(5, 8, null), end.since(start));
        UdpErrors missing = UdpErrors.unavailable("cannot read /proc/net/snmp: no such file");
        assertEquals(missing, end.since(missing));
        assertEquals(missing, missing.since(start));
        assertFalse(missing.available());
    }

    @Test
    void travelsInFieldsAndAnOlderAgentsAbsenceIsUnavailable() {
        UdpErrors e = new UdpErrors(5, 8, null);
        assertEquals(e, UdpErrors.fromFields(e.toFields()));
        UdpErrors missing = UdpErrors.unavailable("cannot read /proc/net/snmp: no such file");
        assertEquals(missing, UdpErrors.fromFields(missing.toFields()));
        UdpErrors old = UdpErrors.fromFields(Fields.EMPTY);
        assertFalse(old.available());
        assertTrue(old.unavailable().contains("older"), old.unavailable());
    }
}
