package ai.zmarty.market;

import java.nio.charset.StandardCharsets;

/**
 * The simulated market's randomness: hashes fixed by their definitions (not by the JVM), so every
 * node computes the same candles from the same seed.
 */
final class SeededHash {
  private SeededHash() {}

  /** FNV-1a over UTF-8: a string hash fixed by its definition, not by the JVM. */
  static long fnv(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A uniform number in [0, 1) from the top 53 bits. */
  static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }

  /** A standard normal variate, near enough: the sum of four 16-bit uniforms (Irwin–Hall), rescaled. */
  static double gaussian(long h) {
    double sum = 0;
    for (int i = 0; i < 4; i++) {
      sum += ((h >>> (16 * i)) & 0xffff) / 65536.0;
    }
    return (sum - 2.0) * 1.7320508075688772;
  }
}
