package io.deepclust.cli;

import io.deepclust.report.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code deepclust} command. */
@Command(
    name = "deepclust",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Deep clustering of images: train, embed, cluster, evaluate, report.",
    subcommands = {
      EngineCommand.class,
      DataCommand.class,
      BaselineCommand.class,
      RecipesCommand.class,
      RunCommand.class,
      BenchCommand.class,
      ReportCommand.class,
      PredictCommand.class,
      EmbedCommand.class,
      EvaluateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Runs the command line and returns its exit code. */
  public static int execute(String... args) {
    return new CommandLine(new Main()).setExecutionExceptionHandler(Main::report).execute(args);
  }

  /**
   * Users get the message, which names the file, field and fix; the stack trace only with
   * DEEPCLUST_DEBUG=1.
   */
  private static int report(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    cmd.getErr().println("deepclust " + cmd.getCommandName() + ": " + ex.getMessage());
    if ("1".equals(System.getenv("DEEPCLUST_DEBUG"))) {
      ex.printStackTrace(cmd.getErr());
    }
    return 1;
  }

  /** {@code --version}: the build's version and source commit (a copied jar still names it). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {Provenance.versionLine()};
    }
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
