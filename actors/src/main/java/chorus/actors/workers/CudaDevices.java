package chorus.actors.workers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the GPUs a placement uses can run this ND4J CUDA build. nd4j-cuda-11.6 1.0.0-M2.1's libnd4jcuda.so
 * carries cubins for {@link #CUBINS} and no PTX (read from its {@code .nv_fatbin} section), so a GPU that none
 * of them runs on, such as a Hopper (9.0), would only fail at its first kernel. A cubin for sm_Xy runs on compute
 * capability X.z for z &ge; y (CUDA C++ Programming Guide, "Binary Compatibility"): 3.7 and 5.0 to 8.9 run.
 * <p>
 * One instance serves one {@link Placement#from} call: it reads each GPU once (name and capability, through
 * libnd4j's {@code cudaGetDeviceProperties}) and warns once if one cannot be read, which it then lets through.
 */
final class CudaDevices {

    private static final Logger LOG = LoggerFactory.getLogger(CudaDevices.class);

    /** The build whose kernels {@link #CUBINS} lists, as users see it in the pom. */
    static final String BUILD = "nd4j-cuda-11.6 1.0.0-M2.1";

    /** Architectures (10 * major + minor) of the cubins in {@link #BUILD}; it has no PTX to compile for others. */
    static final List<Integer> CUBINS = List.of(37, 50, 52, 60, 61, 70, 75, 80, 86);

    /** A GPU as the CUDA runtime describes it. */
    record Gpu(String name, int major, int minor) {
    }

    private final IntFunction<Gpu> read; // throws, or gives a capability of 0, when the GPU cannot be read
    private final Map<Integer, Optional<Gpu>> seen = new HashMap<>();
    private boolean warned;

    CudaDevices(IntFunction<Gpu> read) {
        this.read = read;
    }

    /** The GPUs of the CUDA backend in use, read through libnd4j. */
    static CudaDevices ofBackend() {
        return new CudaDevices(index -> {
            NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
            return new Gpu(ops.getDeviceName(index), ops.getDeviceMajor(index), ops.getDeviceMinor(index));
        });
    }

    /**
     * Why GPU {@code index}, asked for by {@code setting} ("key = value (origin)"), cannot run this build; empty
     * if it can, or if its capability could not be read (then the log says so, once).
     */
    Optional<String> refusal(String setting, int index) {
        return seen.computeIfAbsent(index, this::tryRead)
                .flatMap(gpu -> refusal(setting, gpu.name(), gpu.major(), gpu.minor()));
    }

    /**
     * The one line refusing a GPU named {@code name} of compute capability {@code major.minor}, asked for by
     * {@code setting}; empty when one of {@link #CUBINS} runs on it.
     */
    static Optional<String> refusal(String setting, String name, int major, int minor) {
        boolean runs = CUBINS.stream().anyMatch(sm -> sm / 10 == major && sm % 10 <= minor);
        if (runs) {
            return Optional.empty();
        }
        return Optional.of(setting + ": " + name + " has compute capability " + major + "." + minor + "; this ND4J"
                + " CUDA build (" + BUILD + ") has kernels for sm_37 and sm_50 to sm_86 and no PTX, which run on"
                + " compute capability 3.7 to 8.9 only; use a Kepler K80 to Ada Lovelace GPU or the CPU");
    }

    private Optional<Gpu> tryRead(int index) {
        try {
            Gpu gpu = read.apply(index);
            if (gpu.major() > 0) {
                return Optional.of(gpu);
            }
            warnOnce(index, "the CUDA runtime gave compute capability " + gpu.major() + "." + gpu.minor());
        } catch (RuntimeException | LinkageError e) {
            warnOnce(index, e.toString());
        }
        return Optional.empty();
    }

    private void warnOnce(int index, String why) {
        if (!warned) {
            warned = true;
            LOG.warn("Could not read the compute capability of cuda:{} ({}); not checking that {} has kernels for it",
                    index, why, BUILD);
        }
    }
}
