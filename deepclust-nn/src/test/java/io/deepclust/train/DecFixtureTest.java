package io.deepclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.cluster.SoftAssignment;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.nn.ClusteringHead;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DEC's soft assignment q, target distribution p, KL loss and its gradients against torch 1.13
 * ({@code tools/fixtures/gen_dec.py}): the Java reference ({@link SoftAssignment}) and the libtorch
 * path the phase trains with ({@link ClusteringHead#softAssign}, {@link Losses#klDivergence}).
 */
class DecFixtureTest {

  static List<JsonNode> cases() throws IOException {
    try (InputStream in = DecFixtureTest.class.getResourceAsStream("/fixtures/dec.json")) {
      List<JsonNode> out = new ArrayList<>();
      new ObjectMapper().readTree(in).get("cases").forEach(out::add);
      return out;
    }
  }

  private static FloatMatrix matrix(JsonNode rows) {
    int n = rows.size();
    int d = rows.get(0).size();
    float[] v = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        v[i * d + j] = (float) rows.get(i).get(j).asDouble();
      }
    }
    return new FloatMatrix(n, d, v);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void javaSoftAssignmentAndTargetMatchTorch(JsonNode c) {
    SoftAssignment.Kernel kernel = SoftAssignment.Kernel.parse(c.get("kernel").asText());
    FloatMatrix q =
        SoftAssignment.q(
            matrix(c.get("z")), matrix(c.get("mu")), c.get("alpha").asDouble(), kernel);
    assertArrayEquals(matrix(c.get("q")).data(), q.data(), 1e-6f);
    FloatMatrix p = SoftAssignment.targetDistribution(q);
    assertArrayEquals(matrix(c.get("p")).data(), p.data(), 1e-6f);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void libtorchLossAndGradientsMatchTorch(JsonNode c) {
    SoftAssignment.Kernel kernel = SoftAssignment.Kernel.parse(c.get("kernel").asText());
    double alpha = c.get("alpha").asDouble();
    FloatMatrix z = matrix(c.get("z"));
    FloatMatrix mu = matrix(c.get("mu"));
    FloatMatrix p = matrix(c.get("p"));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray za = m.create(z.data(), new Shape(z.rows(), z.cols()));
      NDArray ma = m.create(mu.data(), new Shape(mu.rows(), mu.cols()));
      za.setRequiresGradient(true);
      ma.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray q = ClusteringHead.softAssign(za, ma, alpha, kernel);
        assertArrayEquals(matrix(c.get("q")).data(), q.toFloatArray(), 1e-6f);
        NDArray loss =
            Losses.klDivergence(m.create(p.data(), new Shape(p.rows(), p.cols())), q)
                .mul((float) c.get("gamma").asDouble());
        assertEquals(c.get("loss").asDouble(), loss.getFloat(), 1e-6);
        gc.backward(loss);
      }
      assertArrayEquals(matrix(c.get("grad_z")).data(), za.getGradient().toFloatArray(), 1e-6f);
      assertArrayEquals(matrix(c.get("grad_mu")).data(), ma.getGradient().toFloatArray(), 1e-6f);
    }
  }
}
