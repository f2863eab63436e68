package dev.netbench.cpu;

/** NET_RX and NET_TX softirqs raised on all CPUs (/proc/softirqs): how often the kernel ran its network bottom halves. */
public record Softirqs(long netRx, long netTx) {

    Softirqs minus(Softirqs o) {
        return new Softirqs(netRx - o.netRx, netTx - o.netTx);
    }

    /** Parses /proc/softirqs: a header of CPU names, then one row per softirq with a count per CPU. */
    static Softirqs parse(String text) {
        long rx = -1;
        long tx = -1;
        for (String line : text.split("\n")) {
            String t = line.trim();
            if (t.startsWith("NET_RX:")) {
                rx = sum(t);
            } else if (t.startsWith("NET_TX:")) {
                tx = sum(t);
            }
        }
        if (rx < 0 || tx < 0) {
            throw new IllegalArgumentException("no NET_RX/NET_TX rows in /proc/softirqs");
        }
        return new Softirqs(rx, tx);
    }

    private static long sum(String row) {
        long total = 0;
        String[] f = row.substring(row.indexOf(':') + 1).trim().split("\\s+");
        for (String v : f) {
            if (!v.isEmpty()) {
                total += Long.parseLong(v);
            }
        }
        return total;
    }
}
