package io.deepclust.cluster;

import io.deepclust.linalg.FloatMatrix;
import java.util.Objects;

/**
 * The clusters of a trained clustering head (DEC, IDEC, DCEC): fixed centres μ learnt with the
 * network; a row's label is the argmax of its soft assignment q ({@link SoftAssignment#q}), and its
 * probabilities are q itself. "Fitting" learns nothing: it labels the rows it is given.
 *
 * <p>The centres live in the embedding space the head was trained in, so the rows given must be
 * that embedding (no reducer in between).
 */
public final class HeadClusterer implements Clusterer {
  private final FloatMatrix centres;
  private final double alpha;
  private final SoftAssignment.Kernel kernel;

  /**
   * @param centres {@code k x d} trained centres
   * @param alpha the head's α (&gt; 0)
   * @param kernel the head's kernel
   */
  public HeadClusterer(FloatMatrix centres, double alpha, SoftAssignment.Kernel kernel) {
    this.centres = Objects.requireNonNull(centres, "centres").copy();
    SoftAssignment.checkAlpha(alpha);
    this.alpha = alpha;
    this.kernel = Objects.requireNonNull(kernel, "kernel");
  }

  /** The head's centres, {@code k x d} (a copy). */
  public FloatMatrix centres() {
    return centres.copy();
  }

  @Override
  public ClusterResult fit(FloatMatrix x) {
    return fitPredictor(x).result();
  }

  @Override
  public Fitted fitPredictor(FloatMatrix x) {
    FloatMatrix q = proba(x);
    int[] labels = SoftAssignment.argmax(q);
    double inertia = 0;
    int d = x.cols();
    for (int i = 0; i < labels.length; i++) {
      for (int c = 0; c < d; c++) {
        double diff = (double) x.get(i, c) - centres.get(labels[i], c);
        inertia += diff * diff;
      }
    }
    ClusterResult r = new ClusterResult(labels, centres.copy(), inertia, 0, 0);
    return Fitted.of(r, new ClusterModel.Head(centres.copy(), alpha, kernel));
  }

  private FloatMatrix proba(FloatMatrix x) {
    if (x.cols() != centres.cols()) {
      throw new IllegalArgumentException(
          "the clustering head's centres are "
              + centres.cols()
              + "-dimensional but the rows given are "
              + x.cols()
              + "-dimensional; cluster the raw embedding (reduce: none)");
    }
    return SoftAssignment.q(x, centres, alpha, kernel);
  }
}
