package dev.netbench.report.html;

/**
 * How series are told apart: colour (the Okabe–Ito palette, safe for the common colour-vision deficiencies), and
 * also marker shape and line dash, so a grey-scale print or a reader who sees no colour can follow each series.
 */
final class Style {
    static final String[] COLOURS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C6D1F"};
    static final String[] DASHES = {"", "7 4", "2 3", "9 3 2 3", "4 4", "12 4", "2 6", "6 2 2 2 2 2"};
    static final String[] SHAPES = {"circle", "square", "triangle", "diamond", "down", "cross", "plus", "star"};

    private Style() {
    }

    static String colour(int i) {
        return COLOURS[Math.floorMod(i, COLOURS.length)];
    }

    /** Past the eighth series, dash and shape shift against the colour, so no two of the first 64 look alike. */
    static String dash(int i) {
        return DASHES[Math.floorMod(i + 3 * Math.floorDiv(i, COLOURS.length), DASHES.length)];
    }

    static String shape(int i) {
        return SHAPES[Math.floorMod(i + Math.floorDiv(i, COLOURS.length), SHAPES.length)];
    }

    /** An SVG path of marker {@code shape} centred on (x, y), about 2r across. */
    static String marker(String shape, double x, double y, double r) {
        String X = Html.px(x);
        String Y = Html.px(y);
        return switch (shape) {
            case "square" -> "M" + Html.px(x - r * .85) + " " + Html.px(y - r * .85) + "h" + Html.px(r * 1.7) + "v" + Html.px(r * 1.7)
                    + "h" + Html.px(-r * 1.7) + "Z";
            case "triangle" -> "M" + X + " " + Html.px(y - r * 1.1) + "L" + Html.px(x + r) + " " + Html.px(y + r * .75) + "L"
                    + Html.px(x - r) + " " + Html.px(y + r * .75) + "Z";
            case "down" -> "M" + X + " " + Html.px(y + r * 1.1) + "L" + Html.px(x + r) + " " + Html.px(y - r * .75) + "L"
                    + Html.px(x - r) + " " + Html.px(y - r * .75) + "Z";
            case "diamond" -> "M" + X + " " + Html.px(y - r * 1.2) + "L" + Html.px(x + r) + " " + Y + "L" + X + " "
                    + Html.px(y + r * 1.2) + "L" + Html.px(x - r) + " " + Y + "Z";
            case "cross" -> "M" + Html.px(x - r) + " " + Html.px(y - r) + "L" + Html.px(x + r) + " " + Html.px(y + r) + "M"
                    + Html.px(x + r) + " " + Html.px(y - r) + "L" + Html.px(x - r) + " " + Html.px(y + r);
            case "plus" -> "M" + Html.px(x - r * 1.2) + " " + Y + "H" + Html.px(x + r * 1.2) + "M" + X + " " + Html.px(y - r * 1.2)
                    + "V" + Html.px(y + r * 1.2);
            case "star" -> "M" + Html.px(x - r) + " " + Y + "H" + Html.px(x + r) + "M" + Html.px(x - r * .6) + " " + Html.px(y - r)
                    + "L" + Html.px(x + r * .6) + " " + Html.px(y + r) + "M" + Html.px(x + r * .6) + " " + Html.px(y - r) + "L"
                    + Html.px(x - r * .6) + " " + Html.px(y + r);
            default -> "M" + Html.px(x - r) + " " + Y + "a" + Html.px(r) + " " + Html.px(r) + " 0 1 0 " + Html.px(2 * r) + " 0a"
                    + Html.px(r) + " " + Html.px(r) + " 0 1 0 " + Html.px(-2 * r) + " 0Z";
        };
    }

    /** Shapes drawn as strokes only (no area to fill). */
    static boolean open(String shape) {
        return shape.equals("cross") || shape.equals("plus") || shape.equals("star");
    }
}
