/**
 * Neural-network blocks on DJL, including an exact {@link io.deepclust.nn.ConvTranspose2d} for the
 * PyTorch engine (whose {@code Conv2dTranspose} is not implemented in DJL 0.35.1), small named
 * layer factories ({@link io.deepclust.nn.Layers}) and parameter counts / per-layer summaries
 * ({@link io.deepclust.nn.ModelSummary}), PyTorch's default initialisation ({@link
 * io.deepclust.nn.PyTorchInit}), the registry of paper architectures ({@link
 * io.deepclust.nn.Architectures}: {@code cae-bn-000}, {@code triplet-cae-001}) and the small
 * parameter-free blocks they need ({@link io.deepclust.nn.L2Normalize}, {@link
 * io.deepclust.nn.Reshape}).
 *
 * <p>Memory rule for custom blocks: every op result is attached to the manager of its first
 * operand, so expressions in {@code forwardInternal} start from the input array; where a parameter
 * must be transformed first (flip, reshape), take a view of it and {@code attach} that view to the
 * input's manager before using it. Checked in tests by counting {@link
 * ai.djl.ndarray.NDManager#getManagedArrays()} of the parameters' manager before and after many
 * forwards run in closed per-batch sub-managers.
 */
package io.deepclust.nn;
