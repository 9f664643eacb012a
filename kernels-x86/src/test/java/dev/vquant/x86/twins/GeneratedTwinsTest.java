package dev.vquant.x86.twins;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed 256-bit and 512-bit kernel twins are exactly what {@link TwinGenerator} makes of
 * their templates, and every file bannered as generated has a template: a hand edit of a twin, or
 * a template edit without regenerating, fails the build.
 */
class GeneratedTwinsTest {
    /** Surefire runs in the module directory. */
    private static final Path MODULE = Path.of("");

    @Test
    void committedTwinsAreWhatTheTemplatesGenerate() throws IOException {
        List<Path> templates = TwinGenerator.templates(MODULE);
        assertFalse(templates.isEmpty(), "no templates under src/template/java");
        List<String> stale = new ArrayList<>();
        Set<Path> generated = new HashSet<>();
        for (Path t : templates) {
            for (TwinGenerator.Output o : TwinGenerator.generate(MODULE, t)) {
                generated.add(o.path().normalize());
                Path file = MODULE.resolve(o.path());
                String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
                if (!o.text().equals(committed)) {
                    stale.add(o.path() + (committed == null ? " (missing)" : " (differs)") + " from " + t);
                }
            }
        }
        assertTrue(stale.isEmpty(), "generated twins are stale; edit the template, not the twin, then run `java "
                + TwinGenerator.SELF + "` from the repository root:\n  " + String.join("\n  ", stale));
        List<String> orphans = new ArrayList<>();
        try (Stream<Path> s = Files.walk(MODULE.resolve("src/main/java"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(p, StandardCharsets.UTF_8);
                if (text.startsWith(TwinGenerator.BANNER_START) && !generated.contains(p.normalize())) {
                    orphans.add(p.toString());
                }
            }
        }
        assertTrue(orphans.isEmpty(), "files bannered as generated but made by no template: " + orphans);
    }

    @Test
    void placeholdersPickTheirWidth() {
        String t = "class KV$W$ { int l = $[8|16]$; // $[all 16 ymm|32 zmm]$\n}";
        assertEquals("class KV256 { int l = 8; // all 16 ymm\n}",
                TwinGenerator.instantiate(t, TwinGenerator.Width.V256, "t"));
        assertEquals("class KV512 { int l = 16; // 32 zmm\n}",
                TwinGenerator.instantiate(t, TwinGenerator.Width.V512, "t"));
    }

    @Test
    void anUnbalancedPlaceholderIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TwinGenerator.instantiate("int l = $[8 16]$;", TwinGenerator.Width.V256, "Fam.java.template"));
        assertTrue(e.getMessage().contains("Fam.java.template") && e.getMessage().contains("$[8 16]$"),
                e.getMessage());
    }
}
