#!/usr/bin/env bash
# test-arm.sh - the qnnpack engine's tests on an arm64 JVM (qemu-user, NEON at 128 bits).
#
#   usage:  tools/test-arm.sh [extra mvn args]      (as root or with sudo, on Debian/Ubuntu x86-64)
#
# 1. tools/arm-jdk.sh: arm64 OpenJDK 25 + qemu-user into .arm-jdk/ (skipped when already there).
# 2. mvn -B -P arm64 -pl kernels-arm -am verify: builds engine (its own tests are skipped here:
#    they are platform-independent and run in the normal build) and runs every kernels-arm test on
#    the arm64 JVM, including ArmBackendTest, which asserts os.arch == aarch64, 128-bit preferred
#    vectors and qnnpack as the automatic default engine there.
# 3. A direct check of the same facts through the engine's public API on the arm64 JVM (printed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
t0=$(date +%s)

arm_java="$(tools/arm-jdk.sh | tail -1)"

# a JDK 25 for Maven itself (the build runs on the host)
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
    for cand in /usr/lib/jvm/*; do
        if [ -x "$cand/bin/javac" ] && "$cand/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
            export JAVA_HOME="$cand"
            break
        fi
    done
fi
export PATH="$JAVA_HOME/bin:$PATH"

mvn -B -P arm64 -pl kernels-arm -am verify -Darm.jvm="$arm_java" \
    -Dtest='dev.vquant.arm.**' -Dsurefire.failIfNoSpecifiedTests=false "$@"

# the engine's own view on the arm64 JVM: architecture, vector width, default engine
cp="engine/target/classes:kernels-arm/target/classes"
cat > kernels-arm/target/ArmFacts.java <<'JAVA'
import dev.vquant.engine.QuantEngine;
public class ArmFacts {
    public static void main(String[] args) {
        String arch = System.getProperty("os.arch");
        int bits = jdk.incubator.vector.IntVector.SPECIES_PREFERRED.vectorBitSize();
        String engine = QuantEngine.get();
        System.out.println("arm64 JVM: os.arch=" + arch + ", preferred vector bits=" + bits + ", default engine=" + engine
                + " (" + QuantEngine.current().isaDescription() + "), supported=" + QuantEngine.supported());
        if (!arch.equals("aarch64") || bits != 128 || !engine.equals("qnnpack")) {
            System.err.println("FAIL: expected aarch64, 128-bit vectors and qnnpack as the default engine");
            System.exit(1);
        }
    }
}
JAVA
"$arm_java" --add-modules jdk.incubator.vector -cp "$cp" kernels-arm/target/ArmFacts.java 2>&1 | grep -v '^WARNING: Using incubator'
echo "test-arm.sh: passed in $(( $(date +%s) - t0 )) s"
