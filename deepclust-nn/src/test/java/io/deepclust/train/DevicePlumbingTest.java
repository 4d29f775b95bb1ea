package io.deepclust.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.deepclust.cluster.SoftAssignment;
import io.deepclust.embed.Embedder;
import io.deepclust.engine.DeviceChoice;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.ClusteringHead;
import io.deepclust.train.ReconstructionPhase.LossKind;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The device plumbing of training: with the model on the chosen device, every array a step creates
 * (the batch, activations, losses, the clustering head's centres and target, gradients, optimizer
 * state) lives on that device, so that the GPU path is this same code. Runs on the CPU in CI; on a
 * machine with a CUDA build, {@code DEEPCLUST_TEST_DEVICE=gpu} runs it on GPU 0.
 */
class DevicePlumbingTest {
  private static final int K = 3;

  /** Checks every array of the model's manager tree (and the step's) after each hook. */
  private static final class OnDevice implements Phase {
    final Phase inner;
    final Device device;
    final Model model;
    final List<String> wrong = new ArrayList<>();
    long checked;
    int losses;

    OnDevice(Phase inner, Device device, Model model) {
      this.inner = inner;
      this.device = device;
      this.model = model;
    }

    void check(String where, NDManager scope) {
      if (!scope.getDevice().equals(device)) {
        wrong.add(where + ": manager " + scope.getName() + " on " + scope.getDevice());
      }
      List<NDArray> arrays = new ArrayList<>(model.getNDManager().getManagedArrays());
      arrays.addAll(scope.getManagedArrays());
      for (NDArray a : arrays) {
        checked++;
        if (!a.getDevice().equals(device)) {
          wrong.add(where + ": " + a.getName() + " " + a.getShape() + " on " + a.getDevice());
        }
      }
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public int epochs() {
      return inner.epochs();
    }

    @Override
    public void beforePhase(PhaseContext ctx) {
      inner.beforePhase(ctx);
      check(name() + " beforePhase", ctx.manager());
    }

    @Override
    public BatchSource trainData(BatchSource runData) {
      return inner.trainData(runData);
    }

    @Override
    public void beforeFirstEpoch(PhaseContext ctx) {
      inner.beforeFirstEpoch(ctx);
      check(name() + " beforeFirstEpoch", ctx.manager());
    }

    @Override
    public void beforeEpoch(PhaseContext ctx) {
      inner.beforeEpoch(ctx);
      check(name() + " beforeEpoch", ctx.manager());
    }

    @Override
    public void beforeBatch(PhaseContext ctx, int batch) {
      inner.beforeBatch(ctx, batch);
      check(name() + " beforeBatch", ctx.manager());
    }

    @Override
    public boolean converged() {
      return inner.converged();
    }

    @Override
    public String convergenceNote() {
      return inner.convergenceNote();
    }

    @Override
    public void afterEpoch(PhaseContext ctx) {
      inner.afterEpoch(ctx);
      check(name() + " afterEpoch", ctx.manager());
    }

    @Override
    public void beforeValidation(PhaseContext ctx) {
      inner.beforeValidation(ctx);
    }

    @Override
    public void afterPhase(PhaseContext ctx) {
      inner.afterPhase(ctx);
      check(name() + " afterPhase", ctx.manager());
    }

    @Override
    public double divergenceFactor() {
      return inner.divergenceFactor();
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
      inner.saveState(out);
    }

    @Override
    public void loadState(DataInputStream in) throws IOException {
      inner.loadState(in);
    }

    @Override
    public NDArray loss(PhaseContext ctx, TrainBatch batch) {
      if (!batch.images().getDevice().equals(device)) {
        wrong.add(name() + ": batch on " + batch.images().getDevice());
      }
      NDArray loss = inner.loss(ctx, batch);
      losses++;
      if (!loss.getDevice().equals(device)) {
        wrong.add(name() + ": loss on " + loss.getDevice());
      }
      // the step's scope holds the batch and every intermediate of the forward pass and loss
      check(name() + " loss", ctx.manager());
      return loss;
    }
  }

  /** 64-16 encoder, 64 sigmoid decoder, a Student's t head with k = 3 on d = 16. */
  private static Autoencoder headed() {
    SequentialBlock enc =
        new SequentialBlock()
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(32).build())
            .add(Activation::relu)
            .add(Linear.builder().setUnits(16).build());
    SequentialBlock dec =
        new SequentialBlock().add(Linear.builder().setUnits(64).build()).add(Activation::sigmoid);
    return new Autoencoder(
        enc,
        dec,
        TinyModels.IMAGE,
        new ClusteringHead(K, 16, 1.0, SoftAssignment.Kernel.STUDENT_T));
  }

  private static Device chosen() {
    String asked = System.getenv("DEEPCLUST_TEST_DEVICE");
    return DeviceChoice.resolve(asked == null ? "cpu" : asked);
  }

  @Test
  void everyArrayOfATrainingStepIsOnTheChosenDevice() {
    Device device = chosen();
    Autoencoder ae = headed();
    BatchSource data =
        new BatchSource(
            TinyModels.blobs(96, 5), TinyModels.IMAGE, new BatchConfig(32, true, false), 7);
    try (Model model = Model.newInstance("plumbing", device)) {
      ae.initialize(model.getNDManager());
      model.setBlock(ae.block());
      OnDevice pretrain =
          new OnDevice(
              new ReconstructionPhase(
                  ae, new ReconstructionPhase.Config("pretrain", 1, LossKind.MSE)),
              device,
              model);
      OnDevice dec =
          new OnDevice(
              new DecPhase(ae, new DecPhase.Config("dec", 2, 2, 0.0, 1.0, LossKind.MSE, 2, 32)),
              device,
              model);
      List<String> afterEpochs = new ArrayList<>();
      TrainingLoop.builder(model, data)
          .optAdam(AdamConfig.withLearningRate(1e-3f))
          .addPhase(pretrain)
          .addPhase(dec, PhaseOptions.defaults().withOptimizer(SgdConfig.plain(0.01f)))
          .addListener(
              new TrainingListener() {
                @Override
                public void onEpochEnd(TrainingLoop loop, EpochResult r) {
                  // parameters, gradients and optimizer state once the step scopes are closed
                  for (NDArray a : model.getNDManager().getManagedArrays()) {
                    if (!a.getDevice().equals(device)) {
                      afterEpochs.add(r.phase() + " " + a.getShape() + " on " + a.getDevice());
                    }
                  }
                }
              })
          .build()
          .run();

      assertEquals(List.of(), pretrain.wrong);
      assertEquals(List.of(), dec.wrong);
      assertEquals(List.of(), afterEpochs);
      assertEquals(3, pretrain.losses);
      assertEquals(6, dec.losses);
      // the checks saw the parameters, the head's centres and the step's intermediates
      assertTrue(dec.checked > 100, "arrays checked: " + dec.checked);
      assertEquals(device, ae.head().centresParameter().getArray().getDevice());
      assertEquals(device, DeviceChoice.of(ae.block()));

      // embedding follows the encoder's device and brings only the embeddings back
      FloatMatrix z = new Embedder(ae.encoder(), TinyModels.IMAGE, 40).embed(data.images());
      assertEquals(96, z.rows());
      assertEquals(16, z.cols());
    }
  }
}
