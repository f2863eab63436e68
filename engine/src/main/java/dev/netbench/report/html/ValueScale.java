package dev.netbench.report.html;

/** A chart's value axis: a {@link Scale} whose labels are numbers in one {@link AxisUnit}. */
interface ValueScale extends Scale {
    AxisUnit unit();
}
