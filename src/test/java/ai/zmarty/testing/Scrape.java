package ai.zmarty.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code GET /metrics} answer, parsed from the Prometheus text format into samples. */
public final class Scrape {
  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One sample: a series and its value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;
  private final String text;

  private Scrape(String text) {
    this.text = text;
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line.trim());
      if (!m.matches()) {
        throw new AssertionError("not a Prometheus sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3).replace("Inf", "Infinity"))));
    }
    this.samples = List.copyOf(out);
  }

  /** GET /metrics on 127.0.0.1:{@code port}, failing unless 200 in the Prometheus text format. */
  public static Scrape of(WebClient client, int port) throws Exception {
    HttpResponse<Buffer> r = client.get(port, "127.0.0.1", "/metrics").send().await(30, TimeUnit.SECONDS);
    if (r.statusCode() != 200 || !r.getHeader("content-type").startsWith("text/plain")) {
      throw new AssertionError("/metrics answered " + r.statusCode() + " " + r.getHeader("content-type") + ": " + r.bodyAsString());
    }
    return new Scrape(r.bodyAsString());
  }

  /** Parses Prometheus text (e.g. a registry's own {@code scrape()}). */
  public static Scrape parse(String text) {
    return new Scrape(text);
  }

  public List<Sample> samples() {
    return samples;
  }

  public String text() {
    return text;
  }

  /** The sum of {@code name}'s samples whose labels include {@code labels} (pairs: key, value, …); 0 when none. */
  public double sum(String name, String... labels) {
    double total = 0;
    for (Sample s : samples) {
      if (s.name().equals(name) && matches(s, labels)) {
        total += s.value();
      }
    }
    return total;
  }

  /** Whether any sample of {@code name} has {@code labels}. */
  public boolean has(String name, String... labels) {
    return samples.stream().anyMatch(s -> s.name().equals(name) && matches(s, labels));
  }

  /** Every series name in the scrape. */
  public Set<String> names() {
    Set<String> out = new TreeSet<>();
    samples.forEach(s -> out.add(s.name()));
    return out;
  }

  private static boolean matches(Sample s, String[] labels) {
    for (int i = 0; i < labels.length; i += 2) {
      if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
        return false;
      }
    }
    return true;
  }
}
