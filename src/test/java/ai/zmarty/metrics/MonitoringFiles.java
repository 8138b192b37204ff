package ai.zmarty.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shipped alert rules, their unit tests and the Grafana dashboard, read as data. */
final class MonitoringFiles {
  static final Path ALERTS = Path.of("deploy/prometheus/alerts.yml");
  static final Path ALERTS_TEST = Path.of("deploy/prometheus/alerts_test.yml");
  static final Path DASHBOARD = Path.of("deploy/grafana/zmarty.json");

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+\\w+");
  private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "by", "without", "on", "ignoring", "group_left", "group_right", "offset");

  private MonitoringFiles() {}

  private static JsonNode yaml(Path file) throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
  }

  /** Each alert's name and expression. */
  static Map<String, String> alerts() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode group : yaml(ALERTS).get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        out.put(rule.get("alert").asText(), rule.get("expr").asText());
      }
    }
    return out;
  }

  /** The alerts that some unit test expects to fire. */
  static Set<String> alertsTestedFiring() throws IOException {
    Set<String> out = new TreeSet<>();
    for (JsonNode test : yaml(ALERTS_TEST).get("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        if (check.path("exp_alerts").size() > 0) {
          out.add(check.get("alertname").asText());
        }
      }
    }
    return out;
  }

  /** Every panel query of the dashboard. */
  static List<String> panelQueries() throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode panel : new ObjectMapper().readTree(Files.readString(DASHBOARD)).get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        out.add(target.get("expr").asText());
      }
    }
    return out;
  }

  /** The series names a PromQL expression selects (not its functions, keywords, labels or durations). */
  static Set<String> metricNames(String expr) {
    String e = STRING.matcher(expr).replaceAll("\"\"");
    e = MATCHERS.matcher(e).replaceAll(" ");
    e = GROUPING.matcher(e).replaceAll(" ");
    e = RANGE.matcher(e).replaceAll(" ");
    e = OFFSET.matcher(e).replaceAll(" ");
    Set<String> out = new TreeSet<>();
    Matcher m = IDENT.matcher(e);
    while (m.find()) {
      String name = m.group();
      String rest = e.substring(m.end()).stripLeading();
      boolean function = rest.startsWith("(");
      boolean partOfNumber = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1));
      if (!function && !partOfNumber && !KEYWORDS.contains(name)) {
        out.add(name);
      }
    }
    return out;
  }
}
