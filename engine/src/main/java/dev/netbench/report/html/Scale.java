package dev.netbench.report.html;

import java.util.List;

/** Maps a data value to a position on a chart axis, and says where that axis's labelled ticks go. */
interface Scale {
    /** The position of {@code v}, between the range's ends for a value inside the domain. */
    double map(double v);

    /** The values that get a tick and a label, ascending, inside the domain. */
    List<Double> ticks();

    /** The text of a tick's label. */
    String label(double tick);
}
