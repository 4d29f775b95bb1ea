/**
 * The DJL engine: what it is and runs on ({@link io.deepclust.engine.EngineInfo}), how fast it
 * trains here ({@link io.deepclust.engine.TrainingBenchmark}, to compare with {@code
 * tools/bench/pytorch_*.py}), native memory settings for training ({@link
 * io.deepclust.engine.NativeMemory}), and tensor kernels that let heavy maths use it.
 */
package io.deepclust.engine;
