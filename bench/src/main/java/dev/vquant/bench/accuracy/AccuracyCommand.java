package dev.vquant.bench.accuracy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.bench.EngineConverter;
import dev.vquant.bench.PrintingCommand;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.data.Idx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code vquant accuracy [--data DIR] [--pytorch FILE] [--engine NAME]... [--csv] [--qat]}: the MNIST
 * accuracy table of the seed (float, static PTQ and dynamic int8 top-1, agreement with float and
 * with PyTorch), from the bundled weights and data, or from a folder of IDX splits named like
 * ../shared/mnist ({@code <split>-images-idx3-ubyte}, {@code <split>-labels-idx1-ubyte}; every split
 * but train and calibration is evaluated; calibration comes from the folder when it has one).
 * {@code --qat} adds vquant's own QAT fine-tuning of cnn_tiny and cnn_micro per qconfig
 * ({@link dev.vquant.quant.models.mnist.QatFineTune}, on the bundled training images or the
 * folder's {@code train-*} split): rows {@code qat_vquant} beside PyTorch's {@code qat} rows, and a
 * {@code #} line per epoch (time, loss; on standard error with {@code --csv}).
 */
@Command(name = "accuracy", description = {"MNIST int8 accuracy vs float and PyTorch.",
        "--qat also runs vquant's own QAT fine-tuning (minutes)."})
public final class AccuracyCommand extends PrintingCommand {
    @Option(names = "--data", paramLabel = "DIR",
            description = "A folder of IDX splits (<split>-images-idx3-ubyte, <split>-labels-idx1-ubyte); default: the bundled ones.")
    Path data;

    @Option(names = "--pytorch", paramLabel = "FILE", description = "PyTorch's predictions (JSON); default: the bundled ones.")
    Path pytorchFile;

    @Option(names = "--engine", paramLabel = "NAME", converter = EngineConverter.class,
            description = "An engine to evaluate (repeatable); default: every vector engine that runs here.")
    List<KernelBackend> engines = new ArrayList<>();

    @Option(names = "--csv", description = "CSV instead of the table (epoch lines on standard error).")
    boolean csv;

    @Option(names = "--qat", description = "Add vquant's own QAT fine-tuning of cnn_tiny and cnn_micro per qconfig.")
    boolean qat;

    /**
     * The command, printing the table on {@code out}.
     *
     * @param out where the table or CSV is printed
     * @param err where the {@code #} notes go with {@code --csv}
     */
    public AccuracyCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    /** {@return the names of the engines to evaluate: those given, or every vector engine that runs here} */
    List<String> engines() {
        return engines.isEmpty() ? AccuracyTable.defaultEngines() : engines.stream().map(KernelBackend::name).toList();
    }

    /**
     * Evaluates each model and qconfig on each engine and prints a row each.
     *
     * @return the exit status, 0
     * @throws IOException when a data or predictions file cannot be read
     */
    @Override
    public Integer call() throws IOException {
        List<String> chosen = engines();
        AccuracyTable.Split train = !qat ? null : data != null && hasSplit(data, "train") ? split(data, "train") : MnistBundle.train();
        AccuracyTable table;
        if (data == null && pytorchFile == null) {
            table = AccuracyTable.bundled(chosen, train);
        } else {
            List<AccuracyTable.Split> splits = data == null ? List.of(bundledSplit("test-public")) : splits(data);
            Tensor calibration = data != null && Files.exists(data.resolve("calibration-images-idx3-ubyte"))
                    ? Idx.readImages(data.resolve("calibration-images-idx3-ubyte")) : MnistBundle.images("calibration");
            JsonNode pytorch = pytorchFile != null ? new ObjectMapper().readTree(pytorchFile.toFile()) : MnistBundle.predictions();
            table = new AccuracyTable(splits, calibration, pytorch, chosen, train);
        }
        if (csv) {
            out.println(AccuracyTable.CSV_HEADER);
        }
        PrintStream notes = csv ? err : out;
        table.run(row -> out.println(csv ? row.csv() : row.line()), note -> notes.println("# " + note));
        return 0;
    }

    private static AccuracyTable.Split bundledSplit(String name) throws IOException {
        return new AccuracyTable.Split(name, MnistBundle.images(name), MnistBundle.labels(name));
    }

    /** Whether {@code dir} has the images of {@code name}, plain or gzipped. */
    private static boolean hasSplit(Path dir, String name) {
        return Files.exists(dir.resolve(name + "-images-idx3-ubyte")) || Files.exists(dir.resolve(name + "-images-idx3-ubyte.gz"));
    }

    /** The split {@code name} of {@code dir}: its images and labels, each plain or gzipped ({@code .gz}). */
    private static AccuracyTable.Split split(Path dir, String name) throws IOException {
        Path images = plainOrGzipped(dir, name + "-images-idx3-ubyte");
        Path labels = plainOrGzipped(dir, name + "-labels-idx1-ubyte");
        if (!Files.exists(labels)) {
            throw new IllegalArgumentException("split " + name + " in " + dir + " has images but no " + labels.getFileName());
        }
        Tensor x = Idx.readImages(images);
        int[] y = Idx.readLabels(labels);
        if (y.length != x.dim(0)) {
            throw new IllegalArgumentException("split " + name + ": " + x.dim(0) + " images but " + y.length + " labels");
        }
        return new AccuracyTable.Split(name, x, y);
    }

    private static Path plainOrGzipped(Path dir, String file) {
        Path plain = dir.resolve(file);
        return Files.exists(plain) ? plain : dir.resolve(file + ".gz");
    }

    /** Every {@code <split>-images-idx3-ubyte} with its labels in {@code dir}, except train and calibration. */
    private static List<AccuracyTable.Split> splits(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--data " + dir + " is not a folder");
        }
        List<AccuracyTable.Split> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path images : files.filter(p -> p.getFileName().toString().endsWith("-images-idx3-ubyte")).sorted().toList()) {
                String name = images.getFileName().toString().replace("-images-idx3-ubyte", "");
                if (name.equals("train") || name.equals("calibration")) {
                    continue;
                }
                out.add(split(dir, name));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no <split>-images-idx3-ubyte files (other than train/calibration) in " + dir);
        }
        return out;
    }
}
