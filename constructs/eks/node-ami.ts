import { fail, show } from "../private/validation";
import { architectureOf, CpuArchitecture, isNvidiaInstanceType } from "./instance-types";
import type { NodeOsFamily } from "./launch-template";

// The node group's AMI rules: which EKS-optimized AMI types exist, their architecture, OS and GPU
// flavour, the default instance types for each, and which instance types each can boot.

/**
 * The EKS-optimized AMI family nodes boot from. EKS picks and updates the AMI
 * release itself; the architecture must match the instance types.
 * - `AL2023_*`: Amazon Linux 2023, the general-purpose default.
 * - `BOTTLEROCKET_*`: minimal, immutable container OS (smaller attack surface, no shell by default).
 * - `*_NVIDIA`: the same with NVIDIA drivers, for GPU instance types (g*, p*).
 */
export type NodeAmiType =
  | "AL2023_x86_64_STANDARD"
  | "AL2023_ARM_64_STANDARD"
  | "AL2023_x86_64_NVIDIA"
  | "AL2023_ARM_64_NVIDIA"
  | "BOTTLEROCKET_x86_64"
  | "BOTTLEROCKET_ARM_64"
  | "BOTTLEROCKET_x86_64_NVIDIA"
  | "BOTTLEROCKET_ARM_64_NVIDIA";

export const NODE_AMI_TYPES: readonly NodeAmiType[] = [
  "AL2023_x86_64_STANDARD",
  "AL2023_ARM_64_STANDARD",
  "AL2023_x86_64_NVIDIA",
  "AL2023_ARM_64_NVIDIA",
  "BOTTLEROCKET_x86_64",
  "BOTTLEROCKET_ARM_64",
  "BOTTLEROCKET_x86_64_NVIDIA",
  "BOTTLEROCKET_ARM_64_NVIDIA",
];

export function amiArchitecture(amiType: NodeAmiType): CpuArchitecture {
  return amiType.includes("ARM_64") ? "arm64" : "x86_64";
}

export function isNvidiaAmi(amiType: NodeAmiType): boolean {
  return amiType.endsWith("_NVIDIA");
}

export function osFamilyOf(amiType: NodeAmiType): NodeOsFamily {
  return amiType.startsWith("BOTTLEROCKET") ? "bottlerocket" : "al2023";
}

/** The AMI type of the same OS and GPU flavour for another architecture (for error fixes). */
export function amiFor(amiType: NodeAmiType, arch: CpuArchitecture): NodeAmiType {
  const swapped = arch === "arm64" ? amiType.replace("x86_64", "ARM_64") : amiType.replace("ARM_64", "x86_64");
  return swapped as NodeAmiType;
}

export function defaultInstanceTypes(amiType: NodeAmiType): string[] {
  const arm = amiArchitecture(amiType) === "arm64";
  if (isNvidiaAmi(amiType)) return arm ? ["g5g.xlarge"] : ["g5.xlarge"];
  return arm ? ["m7g.large"] : ["m6i.large"];
}

/** Refuses an instance type the AMI can't boot: another CPU architecture, or no NVIDIA GPU for an NVIDIA AMI. */
export function checkInstanceTypeForAmi(where: string, amiType: NodeAmiType, type: string): void {
  const architecture = amiArchitecture(amiType);
  const arch = architectureOf(type);
  if (arch !== undefined && arch !== architecture) {
    fail(
      where,
      "instanceTypes",
      type,
      `is an ${arch}${arch === "arm64" ? " (Graviton)" : ""} instance type but amiType "${amiType}" is for ${architecture}`,
      `use amiType "${amiFor(amiType, arch)}" or ${architecture} instance types such as ${show(defaultInstanceTypes(amiType)[0])}`,
    );
  }
  if (isNvidiaAmi(amiType) && isNvidiaInstanceType(type) === false) {
    fail(
      where,
      "instanceTypes",
      type,
      `has no NVIDIA GPU but amiType "${amiType}" is an NVIDIA AMI`,
      `use an NVIDIA GPU type (g4dn, g5, g5g, g6, g6e, p4d, p5, ...) or amiType "${amiType.replace(/_NVIDIA$/, amiType.startsWith("AL2023") ? "_STANDARD" : "")}"`,
    );
  }
}
