package dev.vquant.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.bench.accuracy.AccuracyTable;
import dev.vquant.quant.Tensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Markdown, CSV and HTML forms of a report with made-up rows (no measurement). */
class ReportRenderingTest {
    private static final ModelEntry LSTM = ModelRegistry.byName("lstm_256x512_T32");
    private static final ModelEntry RESNET = new ModelEntry("resnet50", "made up for the test", false, () -> null,
            f -> f, (f, e) -> null, () -> Tensor.of(new float[1], 1));

    private final ReportData data = new ReportData("test machine", List.of(LSTM, RESNET), List.of(
            new ModelRow("lstm_256x512_T32", "fbgemm", "V512", 1, 3.6, 1.2, 6_000_000, 1_500_000),
            new ModelRow("lstm_256x512_T32", "fbgemm", "V512", 2, 2.0, 0.8, 6_000_000, 1_500_000),
            new ModelRow("resnet50", "qnnpack", "V128", 1, 100.0, 50.0, 100_000_000, 25_000_000)),
            List.of(new AccuracyTable.Row("cnn", "static_ptq", "fbgemm", "fbgemm", "test-public", 98.8, 100.0, 1498, 1500, true)),
            PyTorchAnchors.bundled());

    @Test
    void markdownRowsHaveTheHeadersColumnsAndTheRatiosToPyTorch() {
        String md = render(true);
        List<String> table = md.lines().filter(l -> l.startsWith("| ")).toList();
        int columns = table.get(0).split("\\|", -1).length;
        for (String l : table.subList(0, 4)) {
            assertEquals(columns, l.split("\\|", -1).length, l);
        }
        // 1 thread: float 3.6 / PyTorch's best 3.552; int8 1.2 / PyTorch 2.10 fbgemm 0.919
        assertTrue(md.contains("| lstm_256x512_T32 | fbgemm V512 | 1 | 3.60 | 1.20 | 3.00x | 6.00 / 1.50 | 4.00x | 3.55 | 1.01x "
                + "| 0.9190 (2.10 fbgemm) | 1.31x |"), md);
        // 2 threads: PyTorch's figures are single-thread, so no comparison
        assertTrue(md.contains("| lstm_256x512_T32 | fbgemm V512 | 2 | 2.00 | 0.8000 | 2.50x | 6.00 / 1.50 | 4.00x |  |  |  |  |"), md);
        assertTrue(md.contains("| resnet50 | qnnpack V128 | 1 | 100.0 | 50.00 | 2.00x | 100.0 / 25.0 | 4.00x | 79.16 | 1.26x "
                + "| 185.3 (2.10 qnnpack) | 0.27x |"), md);
        assertTrue(md.contains("| cnn | static_ptq | fbgemm | fbgemm | test-public | 98.80 | 100.00 | 1498/1500 |"), md);
        assertTrue(md.contains("anchors/models/RESULTS.md"), md);
    }

    @Test
    void csvRowsHaveTheHeadersFieldCount() {
        List<String> lines = render(false).lines().toList();
        assertEquals(TextReport.LATENCY_CSV_HEADER, lines.get(0));
        int fields = lines.get(0).split(",", -1).length;
        for (String l : lines.subList(1, 4)) {
            assertEquals(fields, l.split(",", -1).length, l);
        }
        assertTrue(lines.get(1).startsWith("lstm_256x512_T32,fbgemm,V512,1,3.6000,1.2000,3.0000,6000000,1500000,4.0000,3.5520,"), lines.get(1));
        assertEquals("", lines.get(4));
        assertEquals(AccuracyTable.CSV_HEADER, lines.get(5));
    }

    @Test
    void htmlPageIsSelfContainedWellFormedAndCarriesTheChartData() throws Exception {
        String page = HtmlReport.page(data);
        String libraryOpen = "<script id=\"" + HtmlReport.LIBRARY_SCRIPT_ID + "\">";
        int lib = page.indexOf(libraryOpen);
        int libEnd = page.indexOf("</script>", lib);
        assertTrue(lib > 0 && libEnd > lib, "the inlined library's script element");
        String library = page.substring(lib + libraryOpen.length(), libEnd);
        assertTrue(library.length() > 500_000 && library.contains("echarts") && library.contains("5.3.1"), "ECharts inlined");
        String markup = page.substring(0, lib) + page.substring(libEnd + "</script>".length());
        // nothing to fetch: no URL, no src/href attribute, no stylesheet link or CSS url() in the page's own markup
        for (String banned : List.of("http://", "https://", "src=", "href=", "<link", "url(", "@import")) {
            assertFalse(markup.contains(banned), "page markup contains " + banned);
        }
        // the library's only URLs are XML namespace names and license comments (identifiers, never fetched)
        Matcher urls = Pattern.compile("https?://[A-Za-z0-9./_-]+").matcher(library);
        while (urls.find()) {
            assertTrue(urls.group().startsWith("http://www.w3.org/") || urls.group().contains("LICENSE"), urls.group());
        }
        assertBalanced(markup);
        Matcher json = Pattern.compile("<script id=\"" + HtmlReport.DATA_SCRIPT_ID + "\" type=\"application/json\">(.*?)</script>",
                Pattern.DOTALL).matcher(markup);
        assertTrue(json.find(), "data element");
        JsonNode rows = new ObjectMapper().readTree(json.group(1)).get("rows");
        assertEquals(3, rows.size());
        assertEquals("lstm_256x512_T32", rows.get(0).get("model").asText());
        assertEquals(3.0, rows.get(0).get("speedup").asDouble(), 1e-12);
        assertEquals(0.919, rows.get(0).get("pytorch_int8_ms").asDouble());
        assertFalse(rows.get(1).has("pytorch_int8_ms"), "2-thread rows have no PyTorch figure");
        assertTrue(markup.contains("<div id=\"speedup\"") && markup.contains("<div id=\"latency\"") && markup.contains("echarts.init("));
        assertTrue(markup.contains("<td>cnn</td>") && markup.contains("1498/1500"), "accuracy table");
    }

    @Test
    void dataJsonCannotCloseItsScriptElement() {
        ModelRow evil = new ModelRow("lstm_256x512_T32", "fbgemm", "V512", 1, 1, 1, 1, 1);
        String json = HtmlReport.dataJson(new ReportData("m", List.of(), List.of(evil), List.of(), new PyTorchAnchors(List.of(
                new PyTorchAnchors.Anchor("lstm_256x512_T32", "</script><!--", "fbgemm", 1, 1, 1, 1, "", "", "s")))));
        assertFalse(json.contains("</") || json.contains("<!--"), json);
    }

    /** Every element opened in the markup (outside scripts' bodies) is closed in order; void elements excepted. */
    private static void assertBalanced(String markup) {
        String noScripts = markup.replaceAll("(?s)(<script[^>]*>).*?(</script>)", "$1$2");
        Set<String> voids = Set.of("meta", "br", "img", "hr", "input", "link");
        Deque<String> open = new ArrayDeque<>();
        Matcher tag = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>").matcher(noScripts.replaceFirst("(?i)<!DOCTYPE html>", ""));
        while (tag.find()) {
            String name = tag.group(2).toLowerCase();
            if (voids.contains(name)) {
                continue;
            }
            if (tag.group(1).isEmpty()) {
                open.push(name);
            } else {
                assertFalse(open.isEmpty(), "</" + name + "> closes nothing");
                assertEquals(open.pop(), name, "closing tag at " + tag.start());
            }
        }
        assertTrue(open.isEmpty(), "unclosed: " + open);
    }

    private String render(boolean markdown) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(b, true, StandardCharsets.UTF_8);
        if (markdown) {
            TextReport.markdown(data, out);
        } else {
            TextReport.csv(data, out);
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
