package ai.zmarty.cli;

import ai.zmarty.backtest.Backtest;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows a long loop's progress on stderr: a bar redrawn in place ({@code \r}) on a terminal, else
 * a plain line every 10 % so logs stay readable.
 */
final class ProgressBar implements Backtest.Progress {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final boolean terminal;
  private int shown = -1;

  ProgressBar(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public void bars(int done, int total) {
    int percent = (int) (100L * done / total);
    if (terminal) {
      if (percent == shown && done != total) {
        return;
      }
      shown = percent;
      int filled = WIDTH * done / total;
      err.printf(Locale.ROOT, "\r[%s%s] %3d%% %,d/%,d bars", "#".repeat(filled), ".".repeat(WIDTH - filled), percent, done, total);
      if (done == total) {
        err.println();
      }
      err.flush();
    } else {
      int decile = percent / 10;
      if (decile == shown) {
        return;
      }
      shown = decile;
      err.printf(Locale.ROOT, "backtest: %d%% %,d/%,d bars%n", percent, done, total);
      err.flush();
    }
  }
}
