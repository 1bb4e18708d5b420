package io.etlpool.embedded.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short helper commands (pg_config, tar, kill) and reports their outcome. */
public final class Commands {

    private Commands() {
    }

    /** The command's standard output, or null when it could not run or exited non-zero. */
    public static String outputOrNull(List<String> command) {
        try {
            Result r = run(command, 30);
            return r.exitCode == 0 ? r.output : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Runs a command with stderr merged into stdout; fails when it does not end in time. */
    public static Result run(List<String> command, long timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Exit code and combined output of a finished command. */
    public static final class Result {
        public final int exitCode;
        public final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }
    }
}
