package ai.zmarty.voice;

/** Credits for spoken characters: {@code ceil(characters / 1000 × pricePer1k)}. */
public final class VoicePricing {
  private VoicePricing() {}

  public static long credits(long characters, long pricePer1k) {
    long thousandths = Math.max(0, characters) * Math.max(0, pricePer1k);
    return (thousandths + 999) / 1000;
  }
}
