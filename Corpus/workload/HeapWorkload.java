// HeapWorkload: a small, dependency-free Java program whose heap behaviour is
// known by construction, used to generate real GC logs for the Headroom corpus.
//
// It retains a designed live set (byte[] chunks, filled once), then churns
// short-lived garbage at a fixed rate for a fixed time. Optionally it keeps
// medium-lived garbage (objects that survive several young collections, get
// promoted and then die in the old generation at scattered times), leaks at a fixed rate, grows
// until OutOfMemoryError, or calls System.gc() periodically / at the end.
//
// At the end (and on OutOfMemoryError) it writes a JSON report with what it
// built and what the JVM itself says through java.lang.management.
//
// Usage: java [jvm options] HeapWorkload [options]
//   --live-mb N              retained live set at start, MiB (default 0)
//   --garbage-mb-per-s N     short-lived garbage rate, MiB/s (default 0)
//   --medium-mb-per-s N      medium-lived garbage rate, MiB/s (default 0)
//   --medium-lived-mb N      size of the medium-lived pool, MiB (default 0)
//   --seconds S              churn duration in seconds (default 10)
//   --leak-mb-per-s R        additionally grow the retained set at R MiB/s
//   --leak-seconds S         stop that growth after S seconds (default: never),
//                            so the retained set grows, then holds steady
//   --oom                    grow the retained set until OutOfMemoryError
//                            (catch it, report, exit with code 3); the growth
//                            rate is --leak-mb-per-s (default 16)
//   --system-gc-every-s N    call System.gc() every N seconds while churning
//   --final-gc               call System.gc() once at the end
//   --chunk-kb N             size of one retained chunk, KiB (default 64)
//   --report FILE            where to write the JSON report
//
// Exit codes: 0 completed, 2 bad arguments, 3 OutOfMemoryError.

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

public final class HeapWorkload {
    private static final long MIB = 1024L * 1024L;

    // Configuration.
    private long liveMb = 0;
    private double garbageMbPerS = 0;
    private double mediumMbPerS = 0;
    private long mediumLivedMb = 0;
    private double seconds = 10;
    private double leakMbPerS = 0;
    private double leakSeconds = Double.POSITIVE_INFINITY;
    private boolean oom = false;
    private double systemGcEveryS = 0;
    private boolean finalGc = false;
    private int chunkKb = 64;
    private String reportPath = null;

    // State.
    private final List<byte[]> retained = new ArrayList<>();
    private long retainedBytes = 0;
    private long designedLiveStartBytes = 0;
    private byte[][] mediumRing = new byte[0][];
    private final Object[] sink = new Object[64];
    private int sinkNext = 0;
    private long garbageAllocatedBytes = 0;
    private long mediumAllocatedBytes = 0;
    private long leakedBytes = 0;
    private int systemGcCalls = 0;
    private long seed = 0x9E3779B97F4A7C15L;
    private long startNanos;
    private long churnStartNanos;
    private Long heapUsedAfterFinalGcBytes = null;

    public static void main(String[] args) {
        HeapWorkload w = new HeapWorkload();
        try {
            w.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("HeapWorkload: " + e.getMessage());
            System.exit(2);
        }
        System.exit(w.run());
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--live-mb": liveMb = Long.parseLong(value(args, ++i, a)); break;
                case "--garbage-mb-per-s": garbageMbPerS = Double.parseDouble(value(args, ++i, a)); break;
                case "--medium-mb-per-s": mediumMbPerS = Double.parseDouble(value(args, ++i, a)); break;
                case "--medium-lived-mb": mediumLivedMb = Long.parseLong(value(args, ++i, a)); break;
                case "--seconds": seconds = Double.parseDouble(value(args, ++i, a)); break;
                case "--leak-mb-per-s": leakMbPerS = Double.parseDouble(value(args, ++i, a)); break;
                case "--leak-seconds": leakSeconds = Double.parseDouble(value(args, ++i, a)); break;
                case "--oom": oom = true; break;
                case "--system-gc-every-s": systemGcEveryS = Double.parseDouble(value(args, ++i, a)); break;
                case "--final-gc": finalGc = true; break;
                case "--chunk-kb": chunkKb = Integer.parseInt(value(args, ++i, a)); break;
                case "--report": reportPath = value(args, ++i, a); break;
                default: throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (chunkKb <= 0) throw new IllegalArgumentException("--chunk-kb must be positive");
        if (oom && leakMbPerS <= 0) leakMbPerS = 16;
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) throw new IllegalArgumentException(name + " needs a value");
        return args[i];
    }

    private int run() {
        startNanos = System.nanoTime();
        String exitReason = "completed";
        int exitCode = 0;
        String oomMessage = null;
        try {
            buildLiveSet();
            churn();
            if (finalGc) {
                System.gc();
                systemGcCalls++;
                heapUsedAfterFinalGcBytes = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            }
        } catch (OutOfMemoryError e) {
            // Free what we hold so that the report can be written.
            long heldBytes = retainedBytes;
            int heldChunks = retained.size();
            retained.clear();
            mediumRing = new byte[0][];
            Arrays.fill(sink, null);
            retainedBytes = heldBytes;
            exitReason = "OutOfMemoryError";
            exitCode = 3;
            oomMessage = String.valueOf(e.getMessage());
            System.out.println("HeapWorkload: caught java.lang.OutOfMemoryError: " + oomMessage
                    + " after retaining " + heldBytes + " bytes in " + heldChunks + " chunks");
        }
        double runSeconds = (System.nanoTime() - startNanos) / 1e9;
        String report = report(exitReason, exitCode, oomMessage, runSeconds);
        if (reportPath != null) {
            try {
                Files.write(Paths.get(reportPath), report.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                System.err.println("HeapWorkload: cannot write report: " + e);
                return 1;
            }
        } else {
            System.out.println(report);
        }
        System.out.println("HeapWorkload: " + exitReason + " after "
                + String.format(Locale.ROOT, "%.1f", runSeconds) + " s, retained " + retainedBytes + " bytes");
        return exitCode;
    }

    private void buildLiveSet() {
        long chunk = chunkKb * 1024L;
        long target = liveMb * MIB;
        while (retainedBytes + chunk <= target) {
            retainChunk((int) chunk);
        }
        designedLiveStartBytes = retainedBytes;
        if (mediumLivedMb > 0) {
            // Medium-lived objects are 16 KiB each.
            mediumRing = new byte[(int) (mediumLivedMb * MIB / (16 * 1024))][];
        }
    }

    private void retainChunk(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) (retained.size() | 1));
        retained.add(b);
        retainedBytes += size;
    }

    private int nextSize(int min, int max) {
        // xorshift; deterministic, no allocation.
        seed ^= seed << 13;
        seed ^= seed >>> 7;
        seed ^= seed << 17;
        return min + (int) Long.remainderUnsigned(seed, (long) (max - min + 1));
    }

    private void churn() throws OutOfMemoryError {
        churnStartNanos = System.nanoTime();
        long durationNanos = (long) (seconds * 1e9);
        long chunk = chunkKb * 1024L;
        long nextSystemGc = systemGcEveryS > 0 ? (long) (systemGcEveryS * 1e9) : Long.MAX_VALUE;
        while (true) {
            long elapsed = System.nanoTime() - churnStartNanos;
            if (!oom && elapsed >= durationNanos) break;
            double t = elapsed / 1e9;

            // Short-lived garbage: arrays of 32 B .. 32 KiB, dropped almost at once.
            long garbageTarget = (long) (garbageMbPerS * MIB * t);
            while (garbageAllocatedBytes < garbageTarget) {
                int size = nextSize(32, 32 * 1024);
                byte[] g = new byte[size];
                g[size - 1] = 1;
                sink[sinkNext] = g;
                sinkNext = (sinkNext + 1) & (sink.length - 1);
                garbageAllocatedBytes += size;
            }

            // Medium-lived garbage: a fixed-size pool of 16 KiB arrays; each new
            // one replaces a randomly chosen slot. The pool's size stays constant
            // but lifetimes spread widely (mean = pool size / rate), so promoted
            // objects die at different times and leave old regions partly live:
            // that is what concurrent marking and mixed collections are for.
            if (mediumRing.length > 0) {
                long mediumTarget = (long) (mediumMbPerS * MIB * t);
                while (mediumAllocatedBytes < mediumTarget) {
                    byte[] m = new byte[16 * 1024];
                    m[0] = 1;
                    mediumRing[nextSize(0, mediumRing.length - 1)] = m;
                    mediumAllocatedBytes += m.length;
                }
            }

            // Leak (or growth to OOM): retained set grows steadily.
            if (leakMbPerS > 0) {
                long leakTarget = (long) (leakMbPerS * MIB * Math.min(t, leakSeconds));
                while (leakedBytes + chunk <= leakTarget) {
                    retainChunk((int) chunk);
                    leakedBytes += chunk;
                }
            }

            if (elapsed >= nextSystemGc) {
                System.gc();
                systemGcCalls++;
                nextSystemGc += (long) (systemGcEveryS * 1e9);
            }

            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    // ---- report -------------------------------------------------------------

    private String report(String exitReason, int exitCode, String oomMessage, double runSeconds) {
        Json j = new Json();
        j.begin();
        j.field("designedLiveBytes", retainedBytes);
        j.field("designedLiveStartBytes", designedLiveStartBytes);
        j.field("designedLiveEndBytes", retainedBytes);
        j.field("retainedChunks", retained.isEmpty() ? retainedBytes / (chunkKb * 1024L) : retained.size());
        j.field("chunkBytes", chunkKb * 1024L);
        j.field("arrayHeaderBytes", 16);
        j.field("mediumLivedBytes", (long) mediumRing.length * 16 * 1024);
        j.field("garbageAllocatedBytes", garbageAllocatedBytes);
        j.field("mediumAllocatedBytes", mediumAllocatedBytes);
        j.field("leakedBytes", leakedBytes);
        j.field("systemGcCalls", systemGcCalls);

        Runtime rt = Runtime.getRuntime();
        j.field("maxHeapBytes", rt.maxMemory());
        j.field("totalHeapBytesAtEnd", rt.totalMemory());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        j.field("heapUsedAtEndBytes", heap.getUsed());
        j.field("heapCommittedAtEndBytes", heap.getCommitted());
        j.field("heapInitBytes", heap.getInit());
        if (heapUsedAfterFinalGcBytes != null) j.field("heapUsedAfterFinalGcBytes", heapUsedAfterFinalGcBytes);

        long usedAfterLastGc = 0;
        j.key("heapPools");
        j.beginArray();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() != MemoryType.HEAP) continue;
            j.begin();
            j.field("name", p.getName());
            MemoryUsage u = p.getUsage();
            j.field("usedBytes", u.getUsed());
            j.field("committedBytes", u.getCommitted());
            j.field("maxBytes", u.getMax());
            MemoryUsage cu = p.getCollectionUsage(); // null when the pool does not support it
            if (cu != null) {
                j.field("usedAfterLastGcBytes", cu.getUsed());
                usedAfterLastGc += cu.getUsed();
            } else {
                j.nullField("usedAfterLastGcBytes");
            }
            j.field("peakUsedBytes", p.getPeakUsage().getUsed());
            j.end();
        }
        j.endArray();
        j.field("usedAfterLastGcBytes", usedAfterLastGc);

        List<String> names = new ArrayList<>();
        j.key("gcBeans");
        j.beginArray();
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            names.add(b.getName());
            j.begin();
            j.field("name", b.getName());
            j.field("collectionCount", b.getCollectionCount());
            j.field("collectionTimeMillis", b.getCollectionTime());
            j.end();
        }
        j.endArray();
        j.key("gcBeanNames");
        j.beginArray();
        for (String n : names) j.value(n);
        j.endArray();

        RuntimeMXBean r = ManagementFactory.getRuntimeMXBean();
        j.field("javaVersion", System.getProperty("java.version"));
        j.field("javaRuntimeVersion", System.getProperty("java.runtime.version"));
        j.field("vmName", r.getVmName());
        j.field("availableProcessors", rt.availableProcessors());
        j.key("jvmInputArguments");
        j.beginArray();
        for (String a : r.getInputArguments()) j.value(a);
        j.endArray();
        j.field("jvmUptimeMillisAtEnd", r.getUptime());

        j.field("churnSeconds", seconds);
        j.field("runSeconds", Math.round(runSeconds * 1000) / 1000.0);
        j.field("exitReason", exitReason);
        j.field("exitCode", exitCode);
        if (oomMessage != null) j.field("outOfMemoryMessage", oomMessage);
        j.key("options");
        j.begin();
        j.field("liveMb", liveMb);
        j.field("garbageMbPerS", garbageMbPerS);
        j.field("mediumMbPerS", mediumMbPerS);
        j.field("mediumLivedMb", mediumLivedMb);
        j.field("seconds", seconds);
        j.field("leakMbPerS", leakMbPerS);
        if (!Double.isInfinite(leakSeconds)) j.field("leakSeconds", leakSeconds);
        j.field("oom", oom);
        j.field("systemGcEveryS", systemGcEveryS);
        j.field("finalGc", finalGc);
        j.field("chunkKb", chunkKb);
        j.end();
        j.end();
        return j.toString();
    }

    /** Minimal JSON writer (no dependencies). */
    private static final class Json {
        private final StringBuilder sb = new StringBuilder();
        private boolean needComma = false;
        private int depth = 0;

        void begin() { sep(); sb.append('{'); depth++; needComma = false; }
        void end() { depth--; nl(); sb.append('}'); needComma = true; if (depth == 0) sb.append('\n'); }
        void beginArray() { sb.append('['); needComma = false; }
        void endArray() { sb.append(']'); needComma = true; }
        void key(String k) { sep(); nl(); str(k); sb.append(": "); needComma = false; }
        void field(String k, long v) { key(k); sb.append(v); needComma = true; }
        void field(String k, double v) { key(k); sb.append(num(v)); needComma = true; }
        void field(String k, boolean v) { key(k); sb.append(v); needComma = true; }
        void field(String k, String v) { key(k); str(v); needComma = true; }
        void nullField(String k) { key(k); sb.append("null"); needComma = true; }
        void value(String v) { sep(); str(v); needComma = true; }

        private static String num(double v) {
            if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
            return Double.toString(v);
        }
        private void sep() { if (needComma) sb.append(", "); }
        private void nl() { sb.append('\n'); for (int i = 0; i < depth; i++) sb.append("  "); }
        private void str(String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"': sb.append("\\\""); break;
                    case '\\': sb.append("\\\\"); break;
                    case '\n': sb.append("\\n"); break;
                    case '\r': sb.append("\\r"); break;
                    case '\t': sb.append("\\t"); break;
                    default:
                        if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        else sb.append(c);
                }
            }
            sb.append('"');
        }
        @Override public String toString() { return sb.toString(); }
    }

}
