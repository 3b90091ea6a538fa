package dev.tether.ws.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A horizontal bar chart, written by hand: one block per row (a size, a text), one bar per
 * stack, each bar's length relative to the fastest stack of its row (rows differ by orders of
 * magnitude), labelled with its figure.
 */
final class Svg {
    private static final String[] COLORS = {
        "#d1495b", "#8d99ae", "#2e86ab", "#f18f01", "#6a994e", "#7b2cbf", "#3d405b", "#bc6c25"};
    private static final int WIDTH = 900;
    private static final int LABEL = 170;
    private static final int BAR = 16;
    private static final int GAP = 4;

    private Svg() {
    }

    static String chart(String title, List<ReportGenerator.Figure> figures, Map<String, String> names) {
        List<String> stacks = ReportGenerator.stacks(figures);
        var rows = ReportGenerator.rows(figures);
        int rowHeight = 22 + stacks.size() * (BAR + GAP) + 10;
        int height = 40 + rows.size() * rowHeight;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">\n", WIDTH, height, WIDTH, height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"24\" font-size=\"16\" font-weight=\"bold\">%s</text>\n",
                esc(title)));
        int y = 40;
        int maxBar = WIDTH - LABEL - 110;
        for (String r : rows) {
            Map<String, ReportGenerator.Figure> row = ReportGenerator.row(figures, r);
            double max = row.values().stream().mapToDouble(ReportGenerator.Figure::value).max().orElse(1);
            s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>\n", y + 14, esc(r)));
            y += 22;
            for (int i = 0; i < stacks.size(); i++) {
                ReportGenerator.Figure f = row.get(stacks.get(i));
                String name = names.getOrDefault(stacks.get(i), stacks.get(i));
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
                        LABEL - 6, y + BAR - 4, esc(name)));
                if (f != null) {
                    int w = Math.max(1, (int) Math.round(maxBar * f.value() / max));
                    s.append(String.format(Locale.ROOT,
                            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n",
                            LABEL, y, w, BAR, COLORS[i % COLORS.length]));
                    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>\n",
                            LABEL + w + 6, y + BAR - 4, esc(ReportGenerator.fmt(f.value()))));
                }
                y += BAR + GAP;
            }
            y += 10;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
