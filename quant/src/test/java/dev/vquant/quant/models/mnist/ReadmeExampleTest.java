package dev.vquant.quant.models.mnist;

import dev.vquant.engine.DType;
import dev.vquant.engine.QuantEngine;
import dev.vquant.quant.QConfig;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.io.StateDicts;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.LSTM;
import dev.vquant.quant.nn.Module;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's example, as written there (on cnn_micro, to stay quick), runs and gives PyTorch's model. */
class ReadmeExampleTest {

    @Test
    void readmeExampleRuns() throws Exception {
        String before = QuantEngine.get();
        try {
            MnistCnn model = MnistCnn.cnnMicro();
            model.loadStateDict(StateDicts.load(MnistData.resource("cnn_micro_float.safetensors")));
            model.eval();
            QuantEngine.set("fbgemm");
            model.fuseModel();
            model.setQConfig(QConfig.defaultFor("fbgemm"));
            Module prepared = Quantize.prepare(model);
            Tensor all = MnistData.images("calibration");
            List<Tensor> calibration = List.of(MnistData.slice(all, 0, 100), MnistData.slice(all, 100, 200),
                    MnistData.slice(all, 200, 300), MnistData.slice(all, 300, 400), MnistData.slice(all, 400, 500));
            for (Tensor batch : calibration) {
                prepared.forward(batch);
            }
            Module int8 = Quantize.convert(prepared);
            Tensor images = MnistData.slice(MnistData.images("test-public"), 0, 8);
            Tensor logits = int8.forward(images);
            assertArrayEquals(new int[]{8, 10}, logits.shape());

            Path pytorchFile = MnistData.resource("int8/cnn_micro_ptq_fbgemm.safetensors");
            Module fromPyTorch = Quantize.convertFromState(model, StateDicts.load(pytorchFile)).model();
            assertArrayEquals(logits.toFloatArray(), fromPyTorch.forward(images).toFloatArray(),
                    "vquant's PTQ of cnn_micro is PyTorch's int8 model");

            MnistMlp mlp = MnistMlp.mlp();
            Module dyn = Quantize.quantizeDynamic(mlp, Set.of(Linear.class, LSTM.class), DType.QINT8);
            assertEquals(10, dyn.forward(Tensor.of(new float[784], 1, 784)).dim(1));
        } finally {
            QuantEngine.set(before);
        }
    }
}
