package ai.zmarty.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnsTest {
  private record Row(String name, Double price, Integer n, Long id, Boolean ok, Instant at) {}

  @Test
  void packsOneArrayPerColumnInArgumentOrderAfterThePlainValues() {
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    List<Row> rows = List.of(new Row("a", 1.5, 1, 10L, true, t), new Row(null, null, null, null, null, null));
    Tuple args = Columns.of(rows).value("BTC/USDT").value(7).text(Row::name).float8(Row::price).int4(Row::n).int8(Row::id).bool(Row::ok).timestamptz(Row::at).tuple();
    assertThat(args.size()).isEqualTo(8);
    assertThat(args.getValue(0)).isEqualTo("BTC/USDT");
    assertThat(args.getValue(1)).isEqualTo(7);
    assertThat((String[]) args.getValue(2)).containsExactly("a", null);
    assertThat((Double[]) args.getValue(3)).containsExactly(1.5, null);
    assertThat((Integer[]) args.getValue(4)).containsExactly(1, null);
    assertThat((Long[]) args.getValue(5)).containsExactly(10L, null);
    assertThat((Boolean[]) args.getValue(6)).containsExactly(true, null);
    assertThat((OffsetDateTime[]) args.getValue(7)).containsExactly(t.atOffset(ZoneOffset.UTC), null);
  }

  @Test
  void anEmptyBatchGivesEmptyArrays() {
    Tuple args = Columns.of(List.<Row>of()).text(Row::name).tuple();
    assertThat((String[]) args.getValue(0)).isEmpty();
  }
}
