package chorus.models.nn.kernel;

/**
 * Whether {@link VectorMath} can be used: the JVM resolved {@code jdk.incubator.vector} (the build's
 * JVM flags and {@code ./chorus} add it; a JVM started without it falls back to libnd4j's ops, with
 * the same results up to float rounding). Apart from {@link VectorMath} so that asking links nothing.
 */
final class VectorMathSupport {

    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("chorus.no-vector-math");

    private VectorMathSupport() {
    }
}
