package io.etlpool.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code etlpool}: demo, run, status, reset, check. Exit codes: 0 done; 1 the job or check failed; 2 bad job file or
 * usage.
 */
@Command(name = "etlpool", mixinStandardHelpOptions = true, version = "etlpool 0.1.0",
        description = "A connection pool and ETL runner for PostgreSQL.",
        subcommands = {DemoCommand.class, RunCommand.class, StatusCommand.class, ResetCommand.class,
                CheckCommand.class})
public final class Main implements Runnable {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(e -> USAGE);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            // one clear line first, the details after
            commandLine.getErr().println("etlpool: " + commandLine.getCommandName() + " failed: " + e);
            e.printStackTrace(commandLine.getErr());
            return FAILED;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            cli.getErr().println("etlpool: " + e.getMessage());
            cli.getErr().println("Try 'etlpool " + (e.getCommandLine().getCommandName().equals("etlpool") ? ""
                    : e.getCommandLine().getCommandName() + " ") + "--help'.");
            return USAGE;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
