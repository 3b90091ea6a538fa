package dev.tether.ws.bench.report;

import java.util.List;
import java.util.function.DoubleFunction;

/**
 * The repeats of one figure (a client in a row): their median, lowest and highest, and how a
 * Tether figure compares with another client's over all repeats, not just medians.
 */
record Spread(double median, double min, double max, int n) {

    /** How a row went for Tether, repeat against repeat. */
    enum Verdict {
        /** Tether's worst repeat beats the other's best. */
        LEAD,
        /** The repeats overlap. */
        TIE,
        /** Tether's best repeat is behind the other's worst. */
        LOSS;

        String label() {
            return switch (this) {
                case LEAD -> "**lead**";
                case TIE -> "tie";
                case LOSS -> "**loss**";
            };
        }
    }

    /** The spread of the given repeats; null when there are none (NaN values do not count). */
    static Spread of(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return null;
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Spread(median, v[0], v[v.length - 1], v.length);
    }

    double best(boolean higherIsBetter) {
        return higherIsBetter ? max : min;
    }

    double worst(boolean higherIsBetter) {
        return higherIsBetter ? min : max;
    }

    /** Whether this median is better than {@code other}'s. */
    boolean betterThan(Spread other, boolean higherIsBetter) {
        return higherIsBetter ? median > other.median : median < other.median;
    }

    /** Tether's verdict against {@code other}. */
    static Verdict verdict(Spread tether, Spread other, boolean higherIsBetter) {
        if (beats(tether.worst(higherIsBetter), other.best(higherIsBetter), higherIsBetter)) {
            return Verdict.LEAD;
        }
        if (beats(other.worst(higherIsBetter), tether.best(higherIsBetter), higherIsBetter)) {
            return Verdict.LOSS;
        }
        return Verdict.TIE;
    }

    private static boolean beats(double a, double b, boolean higherIsBetter) {
        return higherIsBetter ? a > b : a < b;
    }

    /** Ratio of medians, above 1 when {@code tether} is ahead. */
    static double ratio(Spread tether, Spread other, boolean higherIsBetter) {
        return higherIsBetter ? tether.median / other.median : other.median / tether.median;
    }

    /** "median (min–max)", or the median alone for one repeat. */
    String cell(DoubleFunction<String> format) {
        String m = format.apply(median);
        return n < 2 ? m : m + " (" + format.apply(min) + "–" + format.apply(max) + ")";
    }
}
