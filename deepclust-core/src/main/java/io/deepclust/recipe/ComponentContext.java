package io.deepclust.recipe;

/**
 * What a component may take from the run when it is built.
 *
 * @param seed the recipe's seed; a component derives its own streams with {@code Seeds.stream(seed,
 *     purpose)}
 */
public record ComponentContext(long seed) {}
