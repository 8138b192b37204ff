package ai.zmarty.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** deploy/k8s read as the cluster would: a pod's environment from its env, ConfigMap and Secret; its ports and probes. */
final class Kubernetes {
  /** A probe: a named port and, for httpGet, a path. */
  record Probe(String port, String path) {}

  /** One Deployment's pod template. */
  record Pod(Map<String, Object> labels, Map<String, String> env, Map<String, Integer> ports, List<Probe> probes) {
    int containerPort(String name) {
      return ports.getOrDefault(name, -1);
    }
  }

  private final List<Map<String, Object>> objects;
  private final List<String> kustomized;

  private Kubernetes(List<Map<String, Object>> objects, List<String> kustomized) {
    this.objects = objects;
    this.kustomized = kustomized;
  }

  static Kubernetes load(Path dir) throws IOException {
    List<Map<String, Object>> objects = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object d : DeployYaml.documents(f)) {
          objects.add(DeployYaml.cast(d));
        }
      }
    }
    Map<String, Object> kustomization = DeployYaml.map(dir.resolve("kustomization.yaml"));
    List<String> resources = DeployYaml.strings(kustomization, "resources");
    for (String r : resources) {
      if (!Files.exists(dir.resolve(r))) {
        throw new AssertionError("kustomization.yaml lists " + r + ", which does not exist");
      }
    }
    return new Kubernetes(objects, resources);
  }

  List<String> kinds() {
    return objects.stream().map(o -> (String) o.get("kind")).toList();
  }

  private Map<String, Object> find(String kind, String name) {
    return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(DeployYaml.child(o, "metadata").get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in deploy/k8s"));
  }

  /** Secrets applied with the kustomization (there must be none: the Secret is a template). */
  List<String> secretsInKustomization() throws IOException {
    List<String> found = new ArrayList<>();
    for (String r : kustomized) {
      for (Object d : DeployYaml.documents(Path.of("deploy/k8s", r))) {
        if ("Secret".equals(DeployYaml.cast(d).get("kind"))) {
          found.add(r);
        }
      }
    }
    return found;
  }

  String headlessService() {
    return objects.stream().filter(o -> "Service".equals(o.get("kind")) && "None".equals(DeployYaml.child(o, "spec").get("clusterIP")))
        .map(o -> (String) DeployYaml.child(o, "metadata").get("name")).findFirst().orElseThrow(() -> new AssertionError("no headless Service"));
  }

  boolean headlessSelects(Pod pod) {
    Map<String, Object> selector = DeployYaml.child(DeployYaml.child(find("Service", headlessService()), "spec"), "selector");
    return pod.labels().entrySet().containsAll(selector.entrySet());
  }

  /**
   * The pod of a Deployment, its environment resolved: ConfigMap and Secret (template) values,
   * fieldRefs (a pod IP, the namespace {@code zmarty} of kustomization.yaml) and $(VAR) references.
   */
  Pod pod(String deployment) {
    Map<String, Object> template = DeployYaml.child(DeployYaml.child(find("Deployment", deployment), "spec"), "template");
    Map<String, Object> container = DeployYaml.cast(DeployYaml.list(DeployYaml.child(template, "spec"), "containers").get(0));
    Map<String, String> env = new HashMap<>();
    for (Object from : DeployYaml.list(container, "envFrom")) {
      Map<String, Object> f = DeployYaml.cast(from);
      if (f.containsKey("configMapRef")) {
        DeployYaml.child(find("ConfigMap", (String) DeployYaml.child(f, "configMapRef").get("name")), "data").forEach((k, v) -> env.put(k, String.valueOf(v)));
      } else {
        DeployYaml.child(find("Secret", (String) DeployYaml.child(f, "secretRef").get("name")), "stringData").forEach((k, v) -> env.put(k, DeployYaml.placeholderFor(k)));
      }
    }
    for (Object e : DeployYaml.list(container, "env")) {
      Map<String, Object> var = DeployYaml.cast(e);
      String value;
      if (var.containsKey("value")) {
        value = String.valueOf(var.get("value"));
      } else {
        String field = (String) DeployYaml.child(DeployYaml.child(var, "valueFrom"), "fieldRef").get("fieldPath");
        value = field.equals("status.podIP") ? "10.1.2.3" : field.equals("metadata.namespace") ? "zmarty" : "unknown-" + field;
      }
      for (var known : env.entrySet()) {
        value = value.replace("$(" + known.getKey() + ")", known.getValue());
      }
      env.put((String) var.get("name"), value);
    }
    Map<String, Integer> ports = new HashMap<>();
    for (Object p : DeployYaml.list(container, "ports")) {
      Map<String, Object> port = DeployYaml.cast(p);
      ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
    }
    List<Probe> probes = new ArrayList<>();
    for (String kind : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
      Map<String, Object> probe = DeployYaml.child(container, kind);
      if (probe.containsKey("httpGet")) {
        probes.add(new Probe(String.valueOf(DeployYaml.child(probe, "httpGet").get("port")), (String) DeployYaml.child(probe, "httpGet").get("path")));
      } else if (probe.containsKey("tcpSocket")) {
        probes.add(new Probe(String.valueOf(DeployYaml.child(probe, "tcpSocket").get("port")), null));
      }
    }
    return new Pod(DeployYaml.child(DeployYaml.child(template, "metadata"), "labels"), env, ports, probes);
  }
}
