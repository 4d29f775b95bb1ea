package io.deepclust.train;

/**
 * The optimizer of a {@link TrainingLoop}: {@link AdamConfig} (torch.optim.Adam) or {@link
 * SgdConfig} (torch.optim.SGD). One optimizer carries on across all phases of a run; a phase's
 * {@link LrSchedule} starts from {@link #learningRate()}.
 */
public sealed interface OptimizerConfig permits AdamConfig, SgdConfig {
  /** The base learning rate, &gt; 0. */
  float learningRate();

  /** The optimizer's name as written in logs and config files: "adam" or "sgd". */
  String kind();
}
