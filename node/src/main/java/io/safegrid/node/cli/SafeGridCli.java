package io.safegrid.node.cli;

import io.safegrid.node.analyze.AnalyzeCommand;
import io.safegrid.node.eval.EvalCommand;
import io.safegrid.node.load.LoadCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code safegrid} command. */
@Command(name = "safegrid", mixinStandardHelpOptions = true, version = "SafeGrid 0.1.0",
        description = "Video monitoring and early warning for county work-safety supervision (安全生产监管).",
        subcommands = {DemoCommand.class, RunCommand.class, CheckConfigCommand.class, SimulateCommand.class,
                LoadCommand.class, AnalyzeCommand.class, EvalCommand.class, DoctorCommand.class, ReportCommand.class})
public final class SafeGridCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new SafeGridCli());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
