package dev.vquant.bench.accuracy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.bench.Command;
import dev.vquant.engine.QuantEngine;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.data.Idx;

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
public final class AccuracyCommand implements Command {

    /** The command, stateless: each {@link #run} builds its own table. */
    public AccuracyCommand() {
    }

    @Override
    public String name() {
        return "accuracy";
    }

    @Override
    public String summary() {
        return "[--data DIR] [--pytorch FILE] [--engine NAME]... [--csv] [--qat]  MNIST int8 accuracy vs float and PyTorch"
                + " (--qat: also vquant's own QAT fine-tuning, minutes)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Path data = null;
        Path pytorchFile = null;
        boolean csv = false;
        boolean qat = false;
        List<String> engines = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--data" -> data = Path.of(value(args, ++i, a));
                case "--pytorch" -> pytorchFile = Path.of(value(args, ++i, a));
                case "--engine" -> engines.add(QuantEngine.backend(value(args, ++i, a)).name());
                case "--csv" -> csv = true;
                case "--qat" -> qat = true;
                default -> throw new UsageException("unknown argument " + a);
            }
        }
        List<String> chosen = engines.isEmpty() ? AccuracyTable.defaultEngines() : engines;
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
        boolean finalCsv = csv;
        PrintStream notes = csv ? System.err : out;
        table.run(row -> out.println(finalCsv ? row.csv() : row.line()), note -> notes.println("# " + note));
        return 0;
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
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
