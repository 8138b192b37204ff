package ai.zmarty.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU used between two readings, from Linux's {@code /proc}: the whole machine's busy time, this
 * JVM's, and every {@code postgres} process's (the embedded PostgreSQL and its backends: pg_ctl
 * starts it detached, so it is found by name, and another PostgreSQL on the machine would count
 * too). One tick is 10 ms ({@code USER_HZ} 100 on Linux).
 */
record CpuMeter(long machineBusyTicks, long machineTotalTicks, long jvmNanos, long postgresTicks) {
  private static final double MS_PER_TICK = 10.0;

  static CpuMeter read() {
    long busy = 0;
    long total = 0;
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal …
      for (int i = 1; i <= 8 && i < f.length; i++) {
        long v = Long.parseLong(f[i]);
        total += v;
        busy += i == 4 || i == 5 ? 0 : v; // idle and iowait are not busy
      }
    } catch (IOException | RuntimeException e) {
      return new CpuMeter(-1, -1, jvm(), -1); // not Linux: the machine's figures are left out
    }
    long postgres = ProcessHandle.allProcesses().filter(CpuMeter::isPostgres).mapToLong(CpuMeter::ticksOf).sum();
    return new CpuMeter(busy, total, jvm(), postgres);
  }

  /** This JVM's CPU time so far, ns. */
  static long jvm() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static boolean isPostgres(ProcessHandle p) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(p.pid()), "comm")).trim().equals("postgres");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** utime + stime of one process, 0 when it is gone. */
  static long ticksOf(ProcessHandle p) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // fields from the state on: utime is the 12th after it
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** "CPU per signal: …" from {@code before} to this reading, over {@code units} signals. */
  String since(CpuMeter before, long units) {
    double jvm = (jvmNanos - before.jvmNanos) / 1e6 / units;
    if (machineTotalTicks < 0 || before.machineTotalTicks < 0) {
      return String.format(Locale.ROOT, "CPU per signal: this JVM %.2f ms", jvm);
    }
    double machine = (machineBusyTicks - before.machineBusyTicks) * MS_PER_TICK / units;
    double pg = (postgresTicks - before.postgresTicks) * MS_PER_TICK / units;
    double idle = 100.0 * (1 - (double) (machineBusyTicks - before.machineBusyTicks) / Math.max(1, machineTotalTicks - before.machineTotalTicks));
    return String.format(Locale.ROOT, "CPU per signal: machine %.2f ms = this JVM (node, poster, subscribers) %.2f + PostgreSQL %.2f + other %.2f; machine idle %.0f %%",
        machine, jvm, pg, machine - jvm - pg, idle);
  }
}
