package ai.zmarty.db;

import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The arguments of a set-based batch statement ({@code unnest($3::text[], $4::float8[], …)}): one
 * array per column, packed from a list of rows in one pass per column, after any plain leading
 * values. Column order is argument order.
 *
 * <pre>{@code
 * Columns.of(bars).value(symbol).timestamptz(Bar::time).float8(Bar::close).tuple()
 * }</pre>
 */
public final class Columns<T> {
  private final List<T> rows;
  private final Tuple tuple = Tuple.tuple();

  private Columns(List<T> rows) {
    this.rows = rows;
  }

  public static <T> Columns<T> of(List<T> rows) {
    return new Columns<>(rows);
  }

  /** A plain (non-array) argument, such as the pair the whole batch belongs to. */
  public Columns<T> value(Object value) {
    tuple.addValue(value);
    return this;
  }

  public Columns<T> text(Function<T, String> column) {
    return array(column, String[]::new);
  }

  public Columns<T> float8(Function<T, Double> column) {
    return array(column, Double[]::new);
  }

  public Columns<T> int4(Function<T, Integer> column) {
    return array(column, Integer[]::new);
  }

  public Columns<T> int8(Function<T, Long> column) {
    return array(column, Long[]::new);
  }

  public Columns<T> bool(Function<T, Boolean> column) {
    return array(column, Boolean[]::new);
  }

  /** Instants as UTC {@code timestamptz}; a null stays null. */
  public Columns<T> timestamptz(Function<T, Instant> column) {
    return array(r -> {
      Instant t = column.apply(r);
      return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }, OffsetDateTime[]::new);
  }

  public Tuple tuple() {
    return tuple;
  }

  private <V> Columns<T> array(Function<T, V> column, IntFunction<V[]> newArray) {
    V[] values = newArray.apply(rows.size());
    for (int i = 0; i < values.length; i++) {
      values[i] = column.apply(rows.get(i));
    }
    tuple.addValue(values);
    return this;
  }
}
