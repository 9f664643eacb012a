package dev.vquant.bench.report;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PyTorchAnchorsTest {
    private final PyTorchAnchors bundled = PyTorchAnchors.bundled();

    @Test
    void bundledFiguresAreRESULTSmdsRowsEachWithItsSource() {
        assertEquals(25, bundled.rows().size());
        assertEquals(Set.of("resnet50", "mobilenet_v2", "bert_layer_s128", "bert_layer_s1", "lstm_256x512_T32"),
                bundled.rows().stream().map(PyTorchAnchors.Anchor::model).collect(Collectors.toSet()));
        for (PyTorchAnchors.Anchor a : bundled.rows()) {
            assertTrue(a.source().contains("anchors/models/RESULTS.md") && a.source().contains("PyTorch " + a.torch()), a.toString());
            assertEquals(1, a.threads(), a.toString());
            assertEquals(1, a.batch(), a.toString());
        }
    }

    @Test
    void int8PeerIsTheNewestPyTorchOnTheSameEngine() {
        PyTorchAnchors.Anchor fbgemm = bundled.int8Peer("resnet50", "fbgemm").orElseThrow();
        assertEquals("2.10", fbgemm.torch());
        assertEquals(24.424, fbgemm.int8Ms());
        PyTorchAnchors.Anchor qnnpack = bundled.int8Peer("lstm_256x512_T32", "qnnpack").orElseThrow();
        assertEquals("2.10", qnnpack.torch());
        assertEquals(6.995, qnnpack.int8Ms());
        assertFalse(bundled.int8Peer("resnet50", "reference").isPresent());
        assertFalse(bundled.int8Peer("mnist_cnn", "fbgemm").isPresent());
    }

    @Test
    void bestFloatIsTheFastestOverVersions() {
        assertEquals(79.158, bundled.bestFloat("resnet50").orElseThrow().floatMs());
        assertEquals(22.331, bundled.bestFloat("bert_layer_s128").orElseThrow().floatMs());
        assertEquals(1.406, bundled.bestFloat("bert_layer_s1").orElseThrow().floatMs());
        assertEquals(3.552, bundled.bestFloat("lstm_256x512_T32").orElseThrow().floatMs());
    }

    @Test
    void aDocumentWithoutSourcesOrWithBadTimesIsRefusedByName() {
        String noSource = "{\"rows\":[{\"model\":\"m\",\"torch\":\"2.10\",\"engine\":\"fbgemm\",\"threads\":1,\"batch\":1,\"float_ms\":1,\"int8_ms\":1}]}";
        IOException e = assertThrows(IOException.class, () -> parse(noSource));
        assertTrue(e.getMessage().startsWith("test doc: not a PyTorch anchors document") && e.getMessage().contains("source"), e.getMessage());
        String negative = "{\"rows\":[{\"model\":\"m\",\"torch\":\"2.10\",\"engine\":\"fbgemm\",\"threads\":1,\"batch\":1,\"float_ms\":-1,\"int8_ms\":1,\"source\":\"s\"}]}";
        e = assertThrows(IOException.class, () -> parse(negative));
        assertTrue(e.getMessage().contains("times must be positive"), e.getMessage());
        assertThrows(IOException.class, () -> parse("[]"));
    }

    private static PyTorchAnchors parse(String json) throws IOException {
        return PyTorchAnchors.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test doc");
    }
}
