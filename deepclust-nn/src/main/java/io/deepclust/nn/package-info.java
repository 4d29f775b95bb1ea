/**
 * Neural-network blocks on DJL, including an exact {@link io.deepclust.nn.ConvTranspose2d} for the
 * PyTorch engine (whose {@code Conv2dTranspose} is not implemented in DJL 0.35.1), small named
 * layer factories ({@link io.deepclust.nn.Layers}) and parameter counts / per-layer summaries
 * ({@link io.deepclust.nn.ModelSummary}), PyTorch's default initialisation ({@link
 * io.deepclust.nn.PyTorchInit}; Xavier in {@link io.deepclust.nn.WeightInit}), and the small
 * parameter-free blocks the models need ({@link io.deepclust.nn.L2Normalize}, {@link
 * io.deepclust.nn.Reshape}).
 *
 * <p>Architectures are typed data: {@link io.deepclust.nn.Architecture} is a family of immutable
 * records chosen in a recipe by {@code type} (Jackson {@code @JsonTypeInfo}): the named paper
 * models ({@link io.deepclust.nn.Architectures}: {@code cae-bn-000}, {@code triplet-cae-001};
 * {@link io.deepclust.nn.Architectures#create(String)} builds one with its defaults), the fully
 * connected form {@link io.deepclust.nn.MlpArchitecture} ({@code mlp}) and the layer-by-layer form
 * {@link io.deepclust.nn.ConvArchitecture} ({@code conv}) made of {@link
 * io.deepclust.nn.LayerSpec}s. A missing field takes its default; an invalid one is an {@link
 * java.lang.IllegalArgumentException} whose message starts with the field's snake-case name.
 *
 * <p>Memory rule for custom blocks: every op result is attached to the manager of its first
 * operand, so expressions in {@code forwardInternal} start from the input array; where a parameter
 * must be transformed first (flip, reshape), take a view of it and {@code attach} that view to the
 * input's manager before using it. Checked in tests by counting {@link
 * ai.djl.ndarray.NDManager#getManagedArrays()} of the parameters' manager before and after many
 * forwards run in closed per-batch sub-managers.
 */
package io.deepclust.nn;
