package io.etlpool.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code etlpool} as a user would: a separate JVM, its own environment, no terminal. */
final class CliProcess {

    final int exitCode;
    final String out;
    final String err;

    private CliProcess(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    static CliProcess run(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return start(workDir, env, args).await();
    }

    /** A started {@code etlpool}, to signal (kill -TERM its pid) before awaiting it. */
    static final class Running {
        final Process process;
        private final String[] args;
        private final CompletableFuture<String> out;
        private final CompletableFuture<String> err;

        private Running(Process process, String[] args) {
            this.process = process;
            this.args = args;
            this.out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            this.err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        }

        CliProcess await() throws InterruptedException {
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("etlpool " + String.join(" ", args) + " did not finish in 180 s");
            }
            return new CliProcess(process.exitValue(), out.join(), err.join());
        }
    }

    static Running start(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(List.of(), workDir, env, args);
    }

    /** As {@link #start(Path, Map, String...)}, the JVM started with these options. */
    static Running start(List<String> jvmOptions, Path workDir, Map<String, String> env, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().remove("PGPASSWORD");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        return new Running(p, args);
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
