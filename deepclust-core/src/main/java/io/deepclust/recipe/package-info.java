/** Recipes: YAML files that pick and parameterise stages. */
package io.deepclust.recipe;
