package org.civharm.infra.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/** The results chart, drawn with plain Java2D (headless): latency vs offered rate, throughputs, and register growth. */
final class Chart {

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0xd62728),
            new Color(0x2ca02c), new Color(0x9467bd), new Color(0x8c564b), new Color(0x17becf)};
    private static final int PANEL_W = 560;
    private static final int H = 460;

    private Chart() {
    }

    static void write(Path file, List<Integer> rates, Map<String, Double> m, List<double[]> growth, String title)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        int panels = growth.isEmpty() ? 2 : 3;
        BufferedImage image = new BufferedImage(PANEL_W * panels, H + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 22);

        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (String who : List.of("accountability", "notification")) {
            for (String p : List.of("p50", "p95", "p99")) {
                List<double[]> points = new ArrayList<>();
                for (int rate : rates) {
                    Double v = m.get("civharm.latency." + rate + "." + who + "_" + p + "_ms");
                    if (v != null && !v.isNaN()) {
                        points.add(new double[] {rate, v});
                    }
                }
                series.put(who + " " + p, points);
            }
        }
        lines(g, 0, "end-to-end latency (ms, log) vs offered rate (commands/s)", series, true);

        Map<String, Double> bars = new LinkedHashMap<>();
        bars.put("raw Kafka produce", m.get("raw.kafka.producer.records_per_s"));
        bars.put("raw Kafka consume", m.get("raw.kafka.consumer.records_per_s"));
        bars.put("raw Mongo insertOne", m.get("raw.mongo.insert_one.docs_per_s"));
        bars.put("raw Mongo insertMany", m.get("raw.mongo.insert_many100.docs_per_s"));
        bars.put("civharm HTTP cmd", m.get("civharm.http.commands_per_s"));
        bars.put("civharm append→Kafka", m.get("civharm.append.stored_and_on_kafka_per_s"));
        bars.put("civharm rebuild", m.get("civharm.rebuild.events_per_s"));
        bars(g, PANEL_W, "throughput (per second, log scale)", bars);

        if (!growth.isEmpty()) {
            Map<String, List<double[]>> g3 = new LinkedHashMap<>();
            g3.put("commands/s", growth);
            lines(g, 2 * PANEL_W, "throughput (commands/s) vs register size (cases)", g3, false);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void lines(Graphics2D g, int x0, String title, Map<String, List<double[]>> series, boolean logY) {
        int left = x0 + 60;
        int right = x0 + PANEL_W - 20;
        int top = 70;
        int bottom = H - 20;
        double maxX = 0;
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        for (List<double[]> s : series.values()) {
            for (double[] p : s) {
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
                minY = Math.min(minY, p[1]);
            }
        }
        frame(g, x0, left, right, top, bottom, title);
        if (maxX == 0) {
            g.drawString("no data", left + 20, top + 40);
            return;
        }
        double lo = logY ? Math.floor(Math.log10(Math.max(1, minY))) : 0;
        double hi = logY ? Math.ceil(Math.log10(Math.max(10, maxY))) : maxY * 1.1;
        if (hi <= lo) {
            hi = lo + 1;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            int y = bottom - (int) ((bottom - top) * i / 4.0);
            g.setColor(Color.LIGHT_GRAY);
            g.drawLine(left, y, right, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.0f", logY ? Math.pow(10, v) : v), x0 + 5, y + 4);
        }
        for (int i = 0; i <= 4; i++) {
            double v = maxX * i / 4;
            int x = left + (int) ((right - left) * i / 4.0);
            g.drawString(String.format("%.0f", v), x - 8, bottom + 14);
        }
        int c = 0;
        int legendY = top + 12;
        for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
            Color color = COLORS[c++ % COLORS.length];
            g.setColor(color);
            boolean dashed = s.getKey().startsWith("notification");
            g.setStroke(dashed ? new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0)
                    : new BasicStroke(2));
            int px = -1;
            int py = -1;
            for (double[] p : s.getValue()) {
                double yv = logY ? Math.log10(Math.max(1, p[1])) : p[1];
                int x = left + (int) ((right - left) * p[0] / maxX);
                int y = bottom - (int) ((bottom - top) * (yv - lo) / (hi - lo));
                g.fillOval(x - 3, y - 3, 6, 6);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.drawLine(left + 10, legendY - 4, left + 30, legendY - 4);
            g.setColor(Color.BLACK);
            g.drawString(s.getKey(), left + 35, legendY);
            legendY += 13;
        }
        g.setStroke(new BasicStroke(1));
    }

    private static void bars(Graphics2D g, int x0, String title, Map<String, Double> bars) {
        int left = x0 + 60;
        int right = x0 + PANEL_W - 20;
        int top = 70;
        int bottom = H - 80;
        frame(g, x0, left, right, top, bottom, title);
        double max = bars.values().stream().filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue).max()
                .orElse(10);
        double hi = Math.ceil(Math.log10(Math.max(10, max)));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int i = 0; i <= hi; i++) {
            int y = bottom - (int) ((bottom - top) * i / hi);
            g.setColor(Color.LIGHT_GRAY);
            g.drawLine(left, y, right, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.0f", Math.pow(10, i)), x0 + 5, y + 4);
        }
        int n = bars.size();
        int slot = (right - left) / n;
        int i = 0;
        for (Map.Entry<String, Double> bar : bars.entrySet()) {
            int x = left + i * slot + slot / 6;
            Double v = bar.getValue();
            g.setColor(COLORS[i % COLORS.length]);
            if (v != null && !v.isNaN() && v > 0) {
                int h = (int) ((bottom - top) * Math.log10(Math.max(1, v)) / hi);
                g.fillRect(x, bottom - h, slot * 2 / 3, h);
                g.setColor(Color.BLACK);
                g.drawString(String.format("%.0f", v), x, bottom - h - 3);
            }
            g.setColor(Color.BLACK);
            Graphics2D r = (Graphics2D) g.create();
            r.rotate(Math.toRadians(35), x, bottom + 10);
            r.drawString(bar.getKey(), x, bottom + 10);
            r.dispose();
            i++;
        }
    }

    private static void frame(Graphics2D g, int x0, int left, int right, int top, int bottom, String title) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString(title, x0 + 10, top - 20);
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);
    }
}
