package dev.netbench.report;

/**
 * The path's MTU as the mtu test found it: {@code pathMtu}, the largest IP packet (a UDP datagram of {@code
 * pathMtu - headerBytes} bytes of payload, with its {@code headerBytes} of IP and UDP headers: 28 over IPv4, 48 over
 * IPv6) that crossed the path and came back intact, with Don't Fragment set and never fragmented. {@code
 * localInterfaceMtu} and {@code remoteInterfaceMtu} are the MTUs of the interfaces each end's test socket uses (-1:
 * not known). {@code limit} says what stopped the search: {@code interface} (the smaller interface allowed no
 * more, which came back), {@code icmp} (a larger probe was answered by ICMP "too big" or refused by this end's
 * kernel), or {@code black_hole} (larger probes vanished, every try, with no word back); {@code blackHole} is then the
 * smallest IP packet lost every time, else null. {@code probes} datagrams were sent, {@code lostProbes} of them never
 * came back. {@code agentDontFragment}: the agent's answers carried Don't Fragment too (false: an agent whose transport
 * cannot set it answers from its shared socket, and its larger answers may have been fragmented on the way back).
 * {@code tcpSndMss} and {@code tcpPmtu}: TCP's view of the same path, from TCP_INFO of a connection to the agent (-1:
 * not read): the segment payload TCP sends and the path MTU the kernel knows.
 */
public record PathMtu(String family, int pathMtu, int headerBytes, int localInterfaceMtu, int remoteInterfaceMtu, String limit,
                      Integer blackHole, int probes, int lostProbes, boolean agentDontFragment, long tcpSndMss, long tcpPmtu) {

    /** As probed, TCP's view not yet read. */
    public PathMtu(String family, int pathMtu, int headerBytes, int localInterfaceMtu, int remoteInterfaceMtu, String limit,
                   Integer blackHole, int probes, int lostProbes, boolean agentDontFragment) {
        this(family, pathMtu, headerBytes, localInterfaceMtu, remoteInterfaceMtu, limit, blackHole, probes, lostProbes,
                agentDontFragment, -1, -1);
    }

    public PathMtu withTcp(long sndMss, long pmtu) {
        return new PathMtu(family, pathMtu, headerBytes, localInterfaceMtu, remoteInterfaceMtu, limit, blackHole, probes,
                lostProbes, agentDontFragment, sndMss, pmtu);
    }

    /**
     * Whether TCP would send packets larger than the path carries: the path MTU its segments are cut for above {@code
     * pathMtu}, where the search found the path's own limit (not the interfaces', nor UDP's 65,507 bytes, which TCP
     * does not share).
     */
    public boolean tcpAbovePath() {
        return !"interface".equals(limit) && tcpPmtu > pathMtu;
    }
}
