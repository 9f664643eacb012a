package dev.vquant.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vquant.bench.accuracy.AccuracyTable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

/**
 * The report as one self-contained HTML page: the tables, and two charts drawn by Apache ECharts
 * (speedup per model and engine; latency float vs int8 beside PyTorch's int8), with the library
 * (its webjar's {@code dist/echarts.min.js}) and the data inlined, so the page opens offline. The
 * charts use ECharts' SVG renderer, so a headless browser's DOM shows what was drawn
 * ({@code tools/check-report-html.sh}).
 */
public final class HtmlReport {
    /** The id of the script element that holds the inlined library. */
    static final String LIBRARY_SCRIPT_ID = "echarts-library";
    /** The id of the script element that holds the report's data (JSON). */
    static final String DATA_SCRIPT_ID = "report-data";

    private HtmlReport() {
    }

    /**
     * The self-contained HTML page of the report: tables, ECharts charts (the library inlined) and the data as
     * JSON.
     *
     * @param d the report's data
     * @return the page
     */
    public static String page(ReportData d) {
        StringBuilder h = new StringBuilder(1_200_000);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>vquant report</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:12px 0}")
                .append("th,td{border:1px solid #ccc;padding:3px 8px;font-size:13px}td.n{text-align:right}th{background:#f3f3f3}")
                .append(".chart{width:1100px;height:420px;margin:8px 0 24px}p.note{font-size:13px;color:#555;max-width:1100px}\n")
                .append("</style>\n</head>\n<body>\n<h1>vquant: int8 vs float, batch 1</h1>\n");
        h.append("<p class=\"note\">").append(esc(d.machine())).append(". Medians of float and int8 runs interleaved in one JVM; ")
                .append("speedup = float ms / int8 ms on the same engine; vs PyTorch = vquant ms / PyTorch ms on this machine kind ")
                .append("(below 1: vquant faster; single-thread rows only).</p>\n");
        h.append("<h2>Speedup of int8 over float</h2>\n<div id=\"speedup\" class=\"chart\"></div>\n");
        h.append("<h2>Latency, float vs int8 (ms, log scale)</h2>\n<div id=\"latency\" class=\"chart\"></div>\n");
        latencyTable(d, h);
        accuracyTable(d, h);
        h.append("<h2>Models</h2>\n<ul>\n");
        for (ModelEntry e : d.models()) {
            h.append("<li><code>").append(esc(e.name())).append("</code>: ").append(esc(e.description())).append("</li>\n");
        }
        h.append("</ul>\n<p class=\"note\">PyTorch's figures: ").append(esc(TextReport.sources(d))).append(".</p>\n");
        h.append("<script id=\"").append(LIBRARY_SCRIPT_ID).append("\">\n").append(echarts()).append("\n</script>\n");
        h.append("<script id=\"").append(DATA_SCRIPT_ID).append("\" type=\"application/json\">").append(dataJson(d)).append("</script>\n");
        h.append("<script>\n").append(CHARTS_JS).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void latencyTable(ReportData d, StringBuilder h) {
        h.append("<h2>Latency and size</h2>\n<table>\n<tr><th>model</th><th>engine</th><th>threads</th><th>float ms</th>")
                .append("<th>int8 ms</th><th>speedup</th><th>size float/int8 MB</th><th>ratio</th><th>PyTorch float ms</th>")
                .append("<th>float vs PyTorch</th><th>PyTorch int8 ms</th><th>int8 vs PyTorch</th></tr>\n");
        for (ModelRow r : d.rows()) {
            h.append("<tr>");
            cell(h, r.model(), false);
            cell(h, r.engine() + " " + r.isa(), false);
            cell(h, Integer.toString(r.threads()), true);
            cell(h, TextReport.ms(r.floatMs()), true);
            cell(h, TextReport.ms(r.int8Ms()), true);
            cell(h, TextReport.ratio(r.speedup()), true);
            cell(h, TextReport.mb(r.floatBytes()) + " / " + TextReport.mb(r.int8Bytes()), true);
            cell(h, TextReport.ratio(r.sizeRatio()), true);
            cell(h, d.pytorchFloat(r).map(a -> TextReport.ms(a.floatMs())).orElse(""), true);
            cell(h, d.pytorchFloat(r).map(a -> TextReport.ratio(r.floatMs() / a.floatMs())).orElse(""), true);
            cell(h, d.pytorchInt8(r).map(a -> TextReport.ms(a.int8Ms()) + " (" + a.torch() + " " + a.engine() + ")").orElse(""), true);
            cell(h, d.pytorchInt8(r).map(a -> TextReport.ratio(r.int8Ms() / a.int8Ms())).orElse(""), true);
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void accuracyTable(ReportData d, StringBuilder h) {
        if (d.accuracy().isEmpty()) {
            return;
        }
        h.append("<h2>MNIST accuracy</h2>\n<table>\n<tr><th>model</th><th>scheme</th><th>engine</th><th>qconfig</th><th>split</th>")
                .append("<th>top-1 %</th><th>agree float %</th><th>agree PyTorch</th></tr>\n");
        for (AccuracyTable.Row a : d.accuracy()) {
            h.append("<tr>");
            cell(h, a.model(), false);
            cell(h, a.scheme(), false);
            cell(h, a.engine(), false);
            cell(h, a.qconfig(), false);
            cell(h, a.split(), false);
            cell(h, String.format(Locale.ROOT, "%.2f", a.top1()), true);
            cell(h, String.format(Locale.ROOT, "%.2f", a.agreeFloat()), true);
            cell(h, a.hasPyTorch() ? a.agreePyTorch() + "/" + a.total() : "n/a", true);
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void cell(StringBuilder h, String text, boolean numeric) {
        h.append(numeric ? "<td class=\"n\">" : "<td>").append(esc(text)).append("</td>");
    }

    /** The rows the charts draw, as JSON safe inside a script element. */
    static String dataJson(ReportData d) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode rows = root.putArray("rows");
        for (ModelRow r : d.rows()) {
            ObjectNode n = rows.addObject();
            n.put("model", r.model());
            n.put("engine", r.engine());
            n.put("threads", r.threads());
            n.put("float_ms", r.floatMs());
            n.put("int8_ms", r.int8Ms());
            n.put("speedup", r.speedup());
            d.pytorchInt8(r).ifPresent(a -> {
                n.put("pytorch_int8_ms", a.int8Ms());
                n.put("pytorch_int8", a.torch() + " " + a.engine());
            });
        }
        try {
            // "</" cannot end the script element early when written as "<\/" (the same JSON string)
            return json.writeValueAsString(root).replace("</", "<\\/").replace("<!--", "<\\!--");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report data to JSON", e);
        }
    }

    /** ECharts' minified bundle from its webjar (version from the build: webjars.properties). */
    static String echarts() {
        Properties versions = new Properties();
        try (InputStream in = HtmlReport.class.getResourceAsStream("webjars.properties")) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks dev/vquant/bench/report/webjars.properties");
            }
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String path = "/META-INF/resources/webjars/echarts/" + versions.getProperty("echarts.version") + "/dist/echarts.min.js";
        try (InputStream in = HtmlReport.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the class path lacks ECharts' " + path + " (org.webjars.npm:echarts)");
            }
            String js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (js.toLowerCase(Locale.ROOT).contains("</script")) {
                throw new IllegalStateException(path + " contains </script and cannot be inlined as is");
            }
            return js;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Draws the two charts from the data element with the inlined ECharts. */
    private static final String CHARTS_JS = """
            (function () {
              var data = JSON.parse(document.getElementById('report-data').textContent);
              var rows = data.rows;
              var models = [];
              rows.forEach(function (r) { if (models.indexOf(r.model) < 0) models.push(r.model); });
              var keys = [];
              rows.forEach(function (r) { var k = r.engine + ', ' + r.threads + (r.threads === 1 ? ' thread' : ' threads');
                if (keys.indexOf(k) < 0) keys.push(k); r.key = k; });
              var speedup = echarts.init(document.getElementById('speedup'), null, {renderer: 'svg'});
              speedup.setOption({
                animation: false,
                tooltip: {trigger: 'axis'},
                legend: {top: 0},
                grid: {left: 60, right: 20, top: 40, bottom: 60},
                xAxis: {type: 'category', data: models, axisLabel: {interval: 0, rotate: 15}},
                yAxis: {type: 'value', name: 'float ms / int8 ms'},
                series: keys.map(function (k) {
                  return {name: k, type: 'bar', label: {show: true, position: 'top', formatter: function (p) { return p.value == null ? '' : p.value.toFixed(2) + 'x'; }},
                    data: models.map(function (m) { var r = rows.find(function (x) { return x.model === m && x.key === k; });
                      return r ? r.speedup : null; }),
                    markLine: {silent: true, symbol: 'none', data: [{yAxis: 1}], lineStyle: {color: '#888'}}};
                })
              });
              var all = [];
              rows.forEach(function (r) { all.push(r.float_ms, r.int8_ms); if (r.pytorch_int8_ms != null) all.push(r.pytorch_int8_ms); });
              // log scale drawn on a value axis (ECharts' log axis grows bars from 1, not from the axis minimum):
              // bar height = log10(ms) above a power of ten below the smallest time, labels and tooltips in ms
              var low = Math.floor(Math.log10(Math.min.apply(null, all)));
              var toBar = function (ms) { return ms == null ? null : Math.log10(ms) - low; };
              var toMs = function (v) { var ms = Math.pow(10, v + low); return ms >= 100 ? ms.toFixed(0) : ms.toPrecision(3); };
              var cats = rows.map(function (r) { return r.model + '\\n' + r.key; });
              var latency = echarts.init(document.getElementById('latency'), null, {renderer: 'svg'});
              latency.setOption({
                animation: false,
                tooltip: {trigger: 'axis', valueFormatter: function (v) { return v == null ? '-' : toMs(v) + ' ms'; }},
                legend: {top: 0},
                grid: {left: 60, right: 20, top: 40, bottom: 90},
                xAxis: {type: 'category', data: cats, axisLabel: {interval: 0, fontSize: 10, margin: 14, lineHeight: 14}},
                yAxis: {type: 'value', name: 'ms (log scale)', min: 0, interval: 1, axisLabel: {formatter: toMs}},
                series: [
                  {name: 'vquant float', type: 'bar', data: rows.map(function (r) { return toBar(r.float_ms); })},
                  {name: 'vquant int8', type: 'bar', data: rows.map(function (r) { return toBar(r.int8_ms); })},
                  {name: 'PyTorch int8 (same engine, 1 thread)', type: 'bar',
                    data: rows.map(function (r) { return toBar(r.pytorch_int8_ms); })}
                ]
              });
              document.body.setAttribute('data-charts', 'drawn');
            })();
            """;
}
