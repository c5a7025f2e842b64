// What the node group knows about EC2 instance type names: their shape, the families that exist,
// and what a name says about the CPU architecture and GPU (no AWS call: checked at synth).

export type CpuArchitecture = "x86_64" | "arm64";

const INSTANCE_TYPE = /^([a-z]+)(\d+)([a-z-]*)\.([a-z0-9-]+)$/;

/** EC2 instance family letters (the part before the generation digit) that exist. */
export const INSTANCE_FAMILY_LETTERS: readonly string[] = [
  "a",
  "c",
  "d",
  "dl",
  "f",
  "g",
  "gr",
  "h",
  "hpc",
  "i",
  "im",
  "inf",
  "is",
  "m",
  "mac",
  "p",
  "r",
  "t",
  "trn",
  "u",
  "vt",
  "x",
  "z",
];

const INSTANCE_SIZE = /^(nano|micro|small|medium|large|xlarge|\d+xlarge|metal(-\d+xl)?)$/;

/** Why a string is not an EC2 instance type name, or undefined when it looks like one. */
export function instanceTypeProblem(type: string): string | undefined {
  if (type !== type.trim() || type !== type.toLowerCase())
    return "is not an instance type name (names are lowercase, without spaces)";
  if (/^u-\d+tb\d+\.[a-z0-9]+$/.test(type)) return undefined; // high-memory u-6tb1.metal and the like
  const m = INSTANCE_TYPE.exec(type);
  if (!m) return "is not an instance type name";
  const [, family, , , size] = m;
  if (!INSTANCE_FAMILY_LETTERS.includes(family)) return `names the instance family "${family}", which EC2 doesn't have`;
  if (!INSTANCE_SIZE.test(size)) return `has the size "${size}", which EC2 doesn't have`;
  return undefined;
}

/**
 * The CPU architecture of an instance type of a known naming shape, or undefined
 * when we can't tell (then nothing is checked). Graviton families carry a "g" in
 * their attributes (m7g, c7gn, r8gd, t4g, x2gd, im4gn, g5g); a1 is the first Graviton.
 */
export function architectureOf(instanceType: string): CpuArchitecture | undefined {
  const m = INSTANCE_TYPE.exec(instanceType);
  if (!m) return undefined;
  const [, family, generation, attributes] = m;
  if (family === "a" && generation === "1") return "arm64";
  return attributes.includes("g") ? "arm64" : "x86_64";
}

/** True for NVIDIA GPU instance families (g4dn, g5, g5g, g6, g6e, gr6, p3, p4d, p5, ...); g4ad has AMD GPUs. */
export function isNvidiaInstanceType(instanceType: string): boolean | undefined {
  const m = INSTANCE_TYPE.exec(instanceType);
  if (!m) return undefined;
  const [, family, generation, attributes] = m;
  if (family === "p") return true;
  if (family === "g" || family === "gr") return !(generation === "4" && attributes === "ad");
  return false;
}
