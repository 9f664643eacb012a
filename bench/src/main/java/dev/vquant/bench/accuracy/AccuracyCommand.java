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
 * {@code vquant accuracy [--data DIR] [--pytorch FILE] [--engine NAME]... [--csv]}: the MNIST
 * accuracy table of the seed (float, static PTQ and dynamic int8 top-1, agreement with float and
 * with PyTorch), from the bundled weights and data, or from a folder of IDX splits named like
 * ../shared/mnist ({@code <split>-images-idx3-ubyte}, {@code <split>-labels-idx1-ubyte}; every split
 * but train and calibration is evaluated; calibration comes from the folder when it has one).
 */
public final class AccuracyCommand implements Command {

    @Override
    public String name() {
        return "accuracy";
    }

    @Override
    public String summary() {
        return "[--data DIR] [--pytorch FILE] [--engine NAME]... [--csv]  MNIST int8 accuracy vs float and PyTorch";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Path data = null;
        Path pytorchFile = null;
        boolean csv = false;
        List<String> engines = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--data" -> data = Path.of(value(args, ++i, a));
                case "--pytorch" -> pytorchFile = Path.of(value(args, ++i, a));
                case "--engine" -> engines.add(QuantEngine.backend(value(args, ++i, a)).name());
                case "--csv" -> csv = true;
                default -> throw new UsageException("unknown argument " + a);
            }
        }
        List<String> chosen = engines.isEmpty() ? AccuracyTable.defaultEngines() : engines;
        AccuracyTable table;
        if (data == null && pytorchFile == null) {
            table = AccuracyTable.bundled(chosen);
        } else {
            List<AccuracyTable.Split> splits = data == null ? List.of(bundledSplit("test-public")) : splits(data);
            Tensor calibration = data != null && Files.exists(data.resolve("calibration-images-idx3-ubyte"))
                    ? Idx.readImages(data.resolve("calibration-images-idx3-ubyte")) : MnistBundle.images("calibration");
            JsonNode pytorch = pytorchFile != null ? new ObjectMapper().readTree(pytorchFile.toFile()) : MnistBundle.predictions();
            table = new AccuracyTable(splits, calibration, pytorch, chosen);
        }
        if (csv) {
            out.println(AccuracyTable.CSV_HEADER);
        }
        boolean finalCsv = csv;
        table.run(row -> out.println(finalCsv ? row.csv() : row.line()));
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
                Path labels = dir.resolve(name + "-labels-idx1-ubyte");
                if (!Files.exists(labels)) {
                    throw new IllegalArgumentException("split " + name + " in " + dir + " has images but no " + labels.getFileName());
                }
                Tensor x = Idx.readImages(images);
                int[] y = Idx.readLabels(labels);
                if (y.length != x.dim(0)) {
                    throw new IllegalArgumentException("split " + name + ": " + x.dim(0) + " images but " + y.length + " labels");
                }
                out.add(new AccuracyTable.Split(name, x, y));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no <split>-images-idx3-ubyte files (other than train/calibration) in " + dir);
        }
        return out;
    }
}
