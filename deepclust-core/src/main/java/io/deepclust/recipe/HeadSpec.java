package io.deepclust.recipe;

import io.deepclust.cluster.SoftAssignment;

/**
 * The clustering head a phase trains: k centres in the embedding space and the soft assignment
 * {@code q_ij ∝ (1 + ‖z_i − μ_j‖²/α)^e} ({@link SoftAssignment}).
 *
 * @param k clusters
 * @param alpha α (&gt; 0)
 * @param kernel {@code student_t} (e = −(α+1)/2, DEC) or {@code inverse} (e = −1, paper 003)
 */
public record HeadSpec(int k, double alpha, SoftAssignment.Kernel kernel) {}
