package io.deepclust.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code deepclust} command. */
@Command(
    name = "deepclust",
    mixinStandardHelpOptions = true,
    version = "deepclust 0.1.0",
    description = "Deep clustering of images: train, embed, cluster, evaluate, report.",
    subcommands = {EngineCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Runs the command line and returns its exit code. */
  public static int execute(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
