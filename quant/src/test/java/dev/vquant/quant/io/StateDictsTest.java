package dev.vquant.quant.io;

import dev.vquant.engine.DType;
import dev.vquant.engine.QTensor;
import dev.vquant.quant.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** State dicts from PyTorch's flattened int8 files, and back to the same bytes of information. */
class StateDictsTest {

    private static Path pytorchFile() throws URISyntaxException {
        return Path.of(StateDictsTest.class.getResource("/safetensors/cnn_micro_ptq_qnnpack.safetensors").toURI());
    }

    @Test
    void pytorchInt8FileBecomesQuantizedWeightsAndOutputQParams() throws Exception {
        Map<String, Tensor> sd = StateDicts.load(pytorchFile());
        Tensor w = sd.get("stem1.0.weight");
        assertTrue(w.isQuantized());
        assertArrayEquals(new int[]{2, 1, 3, 3}, w.shape());
        QTensor q = w.toQuantizedContiguous();
        assertEquals(DType.QINT8, q.dtype());
        SafeTensorsFile raw = SafeTensors.read(pytorchFile());
        assertArrayEquals(raw.get("stem1.0.weight").toByteArray(), q.bytes());
        assertEquals(raw.get("stem1.0.weight_scale").toDoubleArray()[0], q.qparams().scale(0));
        assertFalse(sd.containsKey("stem1.0.weight_scale"), "companions fold into the quantized entry");
        assertEquals((float) raw.get("quant.scale").toDoubleArray()[0], sd.get("quant.scale").toFloatArray()[0]);
        assertEquals(raw.get("fc.zero_point").toLongArray()[0], (long) sd.get("fc.zero_point").toFloatArray()[0]);
    }

    @Test
    void saveThenLoadKeepsEveryValue(@TempDir Path tmp) throws Exception {
        Map<String, Tensor> sd = StateDicts.load(pytorchFile());
        Path out = tmp.resolve("again.safetensors");
        StateDicts.save(out, sd);
        SafeTensorsFile original = SafeTensors.read(pytorchFile());
        SafeTensorsFile written = SafeTensors.read(out);
        assertEquals(original.names(), written.names());
        for (String name : original.names()) {
            assertEquals(original.get(name).dtype(), written.get(name).dtype(), name);
            assertArrayEquals(original.get(name).toBytes(), written.get(name).toBytes(), name);
        }
    }

    @Test
    void inconsistentCompanionsNameTheEntry(@TempDir Path tmp) throws IOException {
        Path bad = tmp.resolve("bad.safetensors");
        SafeTensors.write(bad, Map.of("w", StoredTensor.ofByte(new long[]{3, 2}, new byte[6]),
                "w_scale", StoredTensor.ofDouble(new long[]{2}, new double[]{0.1, 0.2}),
                "w_zero_point", StoredTensor.ofLong(new long[]{2}, new long[]{0, 0})));
        IOException e = assertThrows(IOException.class, () -> StateDicts.load(bad));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("2 scales"), e.getMessage());
        assertTrue(Files.exists(bad));
    }
}
