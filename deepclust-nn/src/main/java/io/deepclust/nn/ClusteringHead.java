package io.deepclust.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.deepclust.cluster.SoftAssignment;
import io.deepclust.linalg.FloatMatrix;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * A clustering head: k learnable centres μ (a {@code k x d} parameter named "centres") in the
 * embedding space, and the soft assignment of embeddings to them (DEC's clustering layer).
 *
 * <p>Shapes: forward maps embeddings {@code (B, d)} to soft assignments q {@code (B, k)}, rows
 * summing to 1, {@code q_ij ∝ (1 + ‖z_i − μ_j‖²/α)^e} with e = −(α+1)/2 for the Student's t kernel
 * (Xie et al. 2016, eq. 1; α = 1 in DEC, IDEC, DCEC) or e = −1 for paper 003's eq. 1 as written
 * ({@link SoftAssignment.Kernel}). The same formula in plain Java is {@link SoftAssignment#q}.
 *
 * <p>The centres start at zero; a phase sets them (e.g. by k-means on the pretrained embedding)
 * with {@link #setCentres} before it trains them.
 */
public final class ClusteringHead extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int k;
  private final int dims;
  private final double alpha;
  private final SoftAssignment.Kernel kernel;
  private final Parameter centres;

  /**
   * @param k clusters, at least 1
   * @param dims the embedding width d, at least 1
   * @param alpha α &gt; 0
   * @param kernel the similarity kernel
   * @throws IllegalArgumentException for a value out of range
   */
  @SuppressWarnings("this-escape")
  public ClusteringHead(int k, int dims, double alpha, SoftAssignment.Kernel kernel) {
    super(VERSION);
    if (k < 1 || dims < 1) {
      throw new IllegalArgumentException("k and dims must be >= 1, got " + k + " and " + dims);
    }
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be > 0 and finite, got " + alpha);
    }
    this.k = k;
    this.dims = dims;
    this.alpha = alpha;
    this.kernel = Objects.requireNonNull(kernel, "kernel");
    centres =
        addParameter(
            Parameter.builder()
                .setName("centres")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(k, dims))
                .optInitializer(Initializer.ZEROS)
                .build());
  }

  public int k() {
    return k;
  }

  /** The embedding width d. */
  public int dims() {
    return dims;
  }

  public double alpha() {
    return alpha;
  }

  public SoftAssignment.Kernel kernel() {
    return kernel;
  }

  /**
   * Soft assignments of {@code z} to {@code mu}, differentiable in both.
   *
   * @param z {@code (B, d)}
   * @param mu {@code (k, d)}
   * @return {@code (B, k)}, rows summing to 1, in z's manager
   */
  public static NDArray softAssign(
      NDArray z, NDArray mu, double alpha, SoftAssignment.Kernel kernel) {
    // ‖z − μ‖² by broadcasting (B, 1, d) − (1, k, d): exact, and k·d is small for a head
    NDArray diff = z.expandDims(1).sub(mu.expandDims(0));
    NDArray dist = diff.square().sum(new int[] {2});
    // libtorch-owned scalars: DJL frees its own before backward() reads them (TorchScalar)
    NDArray kv =
        dist.div(TorchScalar.of(dist, alpha))
            .add(1)
            .pow(TorchScalar.of(dist, kernel.exponent(alpha)));
    return kv.div(kv.sum(new int[] {1}, true));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray z = inputs.singletonOrThrow();
    if (z.getShape().dimension() != 2 || z.getShape().get(1) != dims) {
      throw new IllegalArgumentException(
          "the clustering head takes embeddings (B, " + dims + "), got " + z.getShape());
    }
    NDArray mu = store.getValue(centres, z.getDevice(), training);
    return new NDList(softAssign(z, mu, alpha, kernel));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), k)};
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    if (in.dimension() != 2 || in.get(1) != dims) {
      throw new IllegalArgumentException(
          "the clustering head was built for "
              + dims
              + "-dimensional embeddings but the encoder gives "
              + in);
    }
  }

  /** The centres' parameter (for freezing and optimizers). */
  public Parameter centresParameter() {
    return centres;
  }

  /**
   * The current centres.
   *
   * @return {@code k x d}
   * @throws IllegalStateException before the head is initialised
   */
  public FloatMatrix centres() {
    if (!centres.isInitialized()) {
      throw new IllegalStateException("the clustering head is not initialised");
    }
    return new FloatMatrix(k, dims, centres.getArray().toFloatArray());
  }

  /**
   * Replaces the centres (in place, so an optimizer keeps tracking the same array).
   *
   * @param values {@code k x d}
   * @throws IllegalArgumentException for another shape or a non-finite value
   */
  public void setCentres(FloatMatrix values) {
    if (values.rows() != k || values.cols() != dims) {
      throw new IllegalArgumentException(
          "centres must be " + k + " x " + dims + ", got " + values.rows() + " x " + values.cols());
    }
    for (float v : values.data()) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("centres must be finite, got " + v);
      }
    }
    NDArray target = centres.getArray();
    boolean trainable = centres.requiresGradient();
    // in place on a leaf is only allowed without gradient; copyTo would work too but makes
    // libtorch print a deprecation warning (AutoNonVariableTypeMode) on the console
    centres.freeze(true);
    try (NDManager scope = target.getManager().newSubManager()) {
      target.muli(0).addi(scope.create(values.data(), new Shape(k, dims)));
    } finally {
      centres.freeze(!trainable);
    }
  }

  @Override
  public void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    if (loadVersion != version) {
      throw new MalformedModelException(
          "unsupported ClusteringHead version " + loadVersion + " (expected " + version + ")");
    }
    readInputShapes(is);
  }

  @Override
  public String toString() {
    return "ClusteringHead(k=" + k + ", d=" + dims + ", alpha=" + alpha + ", " + kernel.id() + ")";
  }
}
