package ai.zmarty.market;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the shipped history files: a header line, then {@code ts,open,high,low,close,volume} with
 * {@code ts} the bar's open time in epoch milliseconds, sorted by time.
 */
public final class CandleCsv {
  private CandleCsv() {}

  /** The candles of a classpath resource such as {@code market/btc_usd_4h.csv}. */
  public static List<Candle> resource(String path) {
    InputStream in = CandleCsv.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IllegalArgumentException("no resource " + path + " on the classpath");
    }
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return read(reader, path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses the whole file; a line that is not a candle, or out of order, is an error naming its line. */
  public static List<Candle> read(Reader reader, String name) throws IOException {
    BufferedReader lines = new BufferedReader(reader);
    List<Candle> out = new ArrayList<>(32_768);
    String line = lines.readLine();
    if (line == null || !line.startsWith("ts,")) {
      throw new IllegalArgumentException(name + ": expected the header ts,open,high,low,close,volume");
    }
    int number = 1;
    long last = Long.MIN_VALUE;
    while ((line = lines.readLine()) != null) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      try {
        if (f.length != 6) {
          throw new IllegalArgumentException("expected 6 fields, got " + f.length);
        }
        long ts = Long.parseLong(f[0].trim());
        if (ts <= last) {
          throw new IllegalArgumentException("not after the previous bar");
        }
        last = ts;
        out.add(new Candle(Instant.ofEpochMilli(ts), d(f[1]), d(f[2]), d(f[3]), d(f[4]), d(f[5])));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + " line " + number + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static double d(String s) {
    return Double.parseDouble(s.trim());
  }
}
