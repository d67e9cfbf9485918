package org.civharm.accountability.reports;

import java.math.BigDecimal;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows under named columns: the one shape every report and export is written from, as JSON objects or as CSV
 * (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote or line break).
 * <p>
 * Text cells that a spreadsheet would run as a formula (starting with {@code = + - @}, a tab or a carriage return)
 * are written with a leading apostrophe, so an exported place name or title can never execute in the reader's
 * spreadsheet. Numbers and dates are written as they are.
 */
public record Table(List<String> columns, List<List<Object>> rows) {

    public Table {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** Each row as an object, columns in order (null cells left out). */
    public List<Map<String, Object>> objects() {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            Map<String, Object> object = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                if (row.get(i) != null) {
                    object.put(columns.get(i), row.get(i));
                }
            }
            out.add(object);
        }
        return out;
    }

    public String csv() {
        StringBuilder out = new StringBuilder();
        line(out, new ArrayList<>(columns));
        for (List<Object> row : rows) {
            line(out, row);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof TemporalAccessor
                || value instanceof Enum<?>) {
            return quoteIfNeeded(value.toString());
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return quoteIfNeeded(text);
    }

    private static String quoteIfNeeded(String text) {
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
