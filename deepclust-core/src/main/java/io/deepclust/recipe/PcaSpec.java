package io.deepclust.recipe;

import ai.djl.Device;
import io.deepclust.engine.TorchMatrixProducts;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.reduce.FittedReducer;
import io.deepclust.reduce.Pca;
import io.deepclust.reduce.PcaConfig;
import io.deepclust.reduce.RandomizedPca;
import io.deepclust.reduce.RandomizedPcaConfig;
import io.deepclust.reduce.Reducer;

/**
 * {@code type: pca}: principal component analysis, as scikit-learn's {@code PCA}.
 *
 * @param components output dimensions (required, at least 1, at most {@code min(n, d)})
 * @param whiten scale each component to unit variance (default false)
 * @param solver {@code auto} (default): exact (covariance eigendecomposition) up to {@value
 *     #EXACT_MAX_DIM} input dimensions, randomized (Halko et al. 2011, scikit-learn's choice for
 *     wide data; libtorch products) above; {@code exact} or {@code randomized} to force one
 */
public record PcaSpec(Integer components, Boolean whiten, String solver) implements ReducerSpec {

  /** Up to this many input dimensions {@code auto} is exact; a d x d eigenproblem is O(d^3). */
  public static final int EXACT_MAX_DIM = 2048;

  /** Checks the fields; fills defaults. */
  public PcaSpec {
    Checks.require(
        components != null && components >= 1,
        "components",
        "give a positive number of PCA components, e.g. 50; got " + components);
    whiten = Checks.orDefault(whiten, false);
    solver = Checks.orDefault(solver, "auto");
    Checks.require(
        solver.equals("auto") || solver.equals("exact") || solver.equals("randomized"),
        "solver",
        "'" + solver + "' is not a PCA solver; use auto, exact or randomized");
  }

  @Override
  public int checkFits(int rows, int dims) {
    Checks.require(
        components <= Math.min(rows, dims),
        "components",
        components
            + " is more than min(images, dimensions) = min("
            + rows
            + ", "
            + dims
            + "); use at most "
            + Math.min(rows, dims));
    return components;
  }

  @Override
  public Reducer build(ComponentContext context) {
    PcaConfig cfg = new PcaConfig(components, whiten);
    return x -> fit(cfg, x, context.seed(), context.device());
  }

  private FittedReducer fit(PcaConfig cfg, FloatMatrix x, long seed, Device device) {
    boolean exact = solver.equals("exact") || (solver.equals("auto") && x.cols() <= EXACT_MAX_DIM);
    if (exact) {
      return new Pca(cfg).fit(x);
    }
    try (TorchMatrixProducts products =
        new TorchMatrixProducts(device, TorchMatrixProducts.DEFAULT_BLOCK_ROWS)) {
      return new RandomizedPca(RandomizedPcaConfig.of(cfg, seed), products).fit(x);
    }
  }
}
