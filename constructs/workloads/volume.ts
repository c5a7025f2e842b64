import type { IVariableSecret } from "./secret";

/** A written reason for a choice that weakens a secure default (kept as the policy suppression's reason). */
export interface Reason {
  readonly reason: string;
}

/** Key -> file path inside the volume. */
export type VolumeItems = Record<string, string>;

/** One source of a projected volume. Give exactly one field. */
export interface ProjectedSource {
  /** An existing ConfigMap of the pod's namespace, with the keys to project (@default - every key). */
  readonly configMap?: { readonly name: string; readonly items?: VolumeItems };
  /** A Secret of the pod's namespace (a VariableSecret or the name of an existing one). */
  readonly secret?: { readonly secret: IVariableSecret | string; readonly items?: VolumeItems };
  /**
   * A short-lived, audience-bound service-account token, refreshed by the kubelet. Works with
   * the automounted token off (the default): the app gets only this token, for this audience.
   */
  readonly serviceAccountToken?: {
    /** File name in the volume. */
    readonly path: string;
    /** @default - the API server's audience */
    readonly audience?: string;
    /** 600 or more. @default 3600 */
    readonly expirationSeconds?: number;
  };
}

/** @internal */
export type VolumeSource =
  | { kind: "emptyDir"; medium?: "Memory"; sizeLimit: string }
  | { kind: "configMap"; name: string; items?: VolumeItems; defaultMode: string }
  | { kind: "secret"; secret: IVariableSecret | string; items?: VolumeItems; defaultMode: string }
  | { kind: "projected"; sources: ProjectedSource[]; defaultMode: string }
  | { kind: "hostPath"; path: string; type?: string; reason: string };

/**
 * A pod volume. Mount it in containers with `mounts: [{ volume, path }]`; the pod declares each
 * volume once. File modes default to 0440 (owner and group read; with the pod's fsGroup the
 * non-root user reads them, nobody writes them).
 */
export class Volume {
  /**
   * Scratch space for the pod's lifetime. On the node's disk unless `medium: "Memory"` (then
   * it counts toward the memory limit). `sizeLimit` is required: past it the kubelet evicts the
   * pod, and on node disk it is added to the container's default ephemeral-storage request.
   */
  public static emptyDir(name: string, options: { sizeLimit: string; medium?: "Memory" }): Volume {
    return new Volume(name, { kind: "emptyDir", sizeLimit: options?.sizeLimit, medium: options?.medium });
  }
  /** An existing ConfigMap of the pod's namespace, as files. @default items - every key, as a file of its name */
  public static fromConfigMap(
    name: string,
    configMapName: string,
    options: { items?: VolumeItems; defaultMode?: string } = {},
  ): Volume {
    return new Volume(name, {
      kind: "configMap",
      name: configMapName,
      items: options.items,
      defaultMode: options.defaultMode ?? "0440",
    });
  }
  /** A Secret of the pod's namespace, as files. @default items - every key */
  public static fromSecret(
    name: string,
    secret: IVariableSecret | string,
    options: { items?: VolumeItems; defaultMode?: string } = {},
  ): Volume {
    return new Volume(name, {
      kind: "secret",
      secret,
      items: options.items,
      defaultMode: options.defaultMode ?? "0440",
    });
  }
  /** Several sources in one directory (ConfigMaps, Secrets, service-account tokens). */
  public static projected(name: string, sources: ProjectedSource[], options: { defaultMode?: string } = {}): Volume {
    return new Volume(name, { kind: "projected", sources, defaultMode: options.defaultMode ?? "0440" });
  }
  /**
   * A directory of the node (node agents: log shippers read /var/log). Only in namespaces of the
   * "privileged" Pod Security level (baseline and restricted forbid hostPath volumes) and never on
   * Fargate; the reason becomes the K8S12 suppression.
   */
  public static hostPath(
    name: string,
    path: string,
    options: Reason & { type?: "Directory" | "File" | "DirectoryOrCreate" },
  ) {
    return new Volume(name, { kind: "hostPath", path, type: options?.type, reason: options?.reason });
  }

  private constructor(
    /** The volume's name in the pod (a DNS label). */
    public readonly name: string,
    /** @internal */
    public readonly source: VolumeSource,
  ) {}
}
