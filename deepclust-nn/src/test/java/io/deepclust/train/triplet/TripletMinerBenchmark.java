package io.deepclust.train.triplet;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.train.triplet.TripletMiner.NegativeMining;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Times mining on 20,000 x 64 unit vectors (the paper's phase-2 subset). Off by default; run with
 * {@code -Dtest=TripletMinerBenchmark -Ddeepclust.bench=true}.
 */
@EnabledIfSystemProperty(named = "deepclust.bench", matches = "true")
class TripletMinerBenchmark {
  @Test
  void mine20kBy64() {
    int n = 20_000;
    int d = 64;
    SplittableRandom r = new SplittableRandom(1);
    float[] v = new float[n * d];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        double g = r.nextDouble() - 0.5 + (i % 10) * (k % 10 == i % 10 ? 0.3 : 0);
        v[i * d + k] = (float) g;
        s += g * g;
      }
      for (int k = 0; k < d; k++) {
        v[i * d + k] = (float) (v[i * d + k] / Math.sqrt(s));
      }
    }
    FloatMatrix m = new FloatMatrix(n, d, v);
    for (NegativeMining mining : NegativeMining.values()) {
      TripletMiner miner =
          new TripletMiner(TripletMiner.Config.defaults().withNegativeMining(mining));
      for (int rep = 0; rep < 3; rep++) {
        long t0 = System.nanoTime();
        Triplets t = miner.mine(m, rep);
        System.err.printf(
            "%s 20000x64: %.3f s (mean d(a,p) %.3f, d(a,n) %.3f, below threshold %d,"
                + " semi-hard fallbacks %d)%n",
            mining,
            (System.nanoTime() - t0) / 1e9,
            t.meanPositiveDistance(),
            t.meanNegativeDistance(),
            t.belowThreshold(),
            t.semiHardFallbacks());
      }
    }
  }
}
