import { block, blocks, dig, isTrue, isUnknown, referencedAddress, ResourceView } from "../policy/resource-view";
import { namespaceOf, workloadsOf } from "../policy/kubernetes-view";

/** Mermaid node ids: letters, digits and underscores only. */
const idOf = (address: string) => address.replace(/[^A-Za-z0-9_]/g, "_");
/** Mermaid labels in double quotes: no double quotes inside. */
const text = (s: unknown) => String(s).replace(/"/g, "'");

/** The subnet tier from the construct id (Network names them <tier>-subnet-<az>) or the ELB role tags. */
function tierOf(subnet: ResourceView): string {
  const m = /\/(public|private|intra)-subnet-/.exec(subnet.path);
  if (m) return m[1];
  const tags = subnet.config.tags ?? {};
  if (tags["kubernetes.io/role/elb"]) return "public";
  if (tags["kubernetes.io/role/internal-elb"]) return "private";
  return "subnet";
}

/**
 * A Mermaid flowchart of what a stack plans, read from its synthesized resources: the VPC
 * with its AZs and subnet tiers, NAT gateways, the cluster and its endpoint mode, node groups
 * and Fargate profiles, registries, and Kubernetes namespaces with their workloads and how
 * they are exposed (Service type, Ingress).
 */
export function mermaidDiagram(title: string, resources: readonly ResourceView[]): string {
  const ofType = (...t: string[]) => resources.filter((r) => t.includes(r.type));
  const byAddress = (a: string | undefined) => resources.find((r) => r.address === a);
  const lines: string[] = ["flowchart TB"];
  const edges: string[] = [];
  const subnetsByAddress = new Map(ofType("aws_subnet").map((s) => [s.address, s]));

  for (const vpc of ofType("aws_vpc")) {
    lines.push(`  subgraph ${idOf(vpc.address)}["VPC ${text(vpc.config.cidr_block ?? "")}"]`);
    const subnets = ofType("aws_subnet").filter((s) => referencedAddress(s.config.vpc_id) === vpc.address);
    const azs = [...new Set(subnets.map((s) => String(s.config.availability_zone)))].sort();
    for (const az of azs) {
      lines.push(`    subgraph ${idOf("az_" + az)}["${text(az)}"]`);
      for (const s of subnets
        .filter((x) => x.config.availability_zone === az)
        .sort((a, b) => tierOf(a).localeCompare(tierOf(b)))) {
        lines.push(`      ${idOf(s.address)}["${tierOf(s)} ${text(s.config.cidr_block ?? "")}"]`);
      }
      lines.push("    end");
    }
    const endpoints = ofType("aws_vpc_endpoint").filter((e) => referencedAddress(e.config.vpc_id) === vpc.address);
    if (endpoints.length) {
      const names = endpoints.map(
        (e) =>
          `${String(e.config.service_name).split(".").slice(3).join(".")} (${e.config.vpc_endpoint_type ?? "Gateway"})`,
      );
      lines.push(`    ${idOf(vpc.address + "_endpoints")}["VPC endpoints: ${text(names.join(", "))}"]`);
    }
    lines.push("  end");
  }
  for (const nat of ofType("aws_nat_gateway")) {
    lines.push(`  ${idOf(nat.address)}(["NAT gateway"])`);
    const subnet = referencedAddress(nat.config.subnet_id);
    if (subnet && subnetsByAddress.has(subnet)) edges.push(`  ${idOf(nat.address)} --- ${idOf(subnet)}`);
  }
  if (ofType("aws_internet_gateway").length) lines.push(`  internet(("Internet"))`);
  for (const nat of ofType("aws_nat_gateway")) edges.push(`  ${idOf(nat.address)} --> internet`);

  for (const c of ofType("aws_eks_cluster")) {
    const vpc = block(c.config.vpc_config) ?? {};
    const pub = vpc.endpoint_public_access === undefined || isTrue(vpc.endpoint_public_access);
    const cidrs = Array.isArray(vpc.public_access_cidrs) ? vpc.public_access_cidrs.join(", ") : "0.0.0.0/0";
    const endpoint = pub
      ? `public (${cidrs}) + ${isTrue(vpc.endpoint_private_access) ? "private" : "no private"}`
      : "private only";
    const auto = isTrue(dig(c.config, "compute_config", "enabled")) ? " · Auto Mode" : "";
    lines.push(
      `  ${idOf(c.address)}{{"EKS ${text(c.config.name)} ${text(c.config.version ?? "")}${auto}<br/>endpoint: ${text(endpoint)}"}}`,
    );
    const tiers = new Set(
      (vpc.subnet_ids ?? [])
        .map((s: string) => subnetsByAddress.get(referencedAddress(s) ?? ""))
        .filter(Boolean)
        .map(tierOf),
    );
    if (tiers.size)
      lines.push(
        `  ${idOf(c.address)} -.->|control-plane ENIs in ${[...tiers].join(" and ")} subnets| ${idOf([...(vpc.subnet_ids ?? [])].map((s: string) => referencedAddress(s))[0] ?? "")}`,
      );
    if (pub) edges.push(`  internet -.->|kubectl| ${idOf(c.address)}`);
  }
  for (const ng of ofType("aws_eks_node_group")) {
    const s = block(ng.config.scaling_config) ?? {};
    const types = Array.isArray(ng.config.instance_types) ? ng.config.instance_types.join(", ") : "";
    const name = ng.path.split("/").slice(-2, -1)[0];
    lines.push(
      `  ${idOf(ng.address)}["node group ${text(name)}<br/>${text(types)} · ${ng.config.capacity_type ?? "ON_DEMAND"} · ${s.min_size}-${s.max_size} (desired ${s.desired_size})"]`,
    );
    const cluster = referencedAddress(ng.config.cluster_name);
    if (cluster) edges.push(`  ${idOf(cluster)} --> ${idOf(ng.address)}`);
  }
  for (const fp of ofType("aws_eks_fargate_profile")) {
    const ns = blocks(fp.config.selector)
      .map((x) => x.namespace)
      .join(", ");
    lines.push(`  ${idOf(fp.address)}["Fargate ${text(fp.config.fargate_profile_name)}<br/>namespaces: ${text(ns)}"]`);
    const cluster = referencedAddress(fp.config.cluster_name);
    if (cluster) edges.push(`  ${idOf(cluster)} --> ${idOf(fp.address)}`);
  }
  const repos = ofType("aws_ecr_repository");
  if (repos.length) {
    lines.push(`  subgraph ecr["ECR"]`);
    for (const r of repos) lines.push(`    ${idOf(r.address)}[("${text(r.config.name)}")]`);
    lines.push("  end");
  }

  // Kubernetes: namespaces, workloads, exposure
  const workloads = workloadsOf(resources, (a) => byAddress(a));
  const releases = ofType("helm_release");
  const releaseNamespace = (r: ResourceView) => String(r.config.namespace ?? "default");
  const namespaces = new Set<string>([
    ...ofType("kubernetes_namespace_v1", "kubernetes_namespace").map((n) => String(dig(n.config, "metadata", "name"))),
    ...workloads.map((w) => w.namespace),
    ...releases.map(releaseNamespace),
  ]);
  const services = ofType("kubernetes_service_v1", "kubernetes_service");
  const ingresses = ofType("kubernetes_ingress_v1", "kubernetes_ingress");
  for (const ns of [...namespaces].sort()) {
    lines.push(`  subgraph ${idOf("ns_" + ns)}["namespace ${text(isUnknown(ns) ? "(computed)" : ns)}"]`);
    for (const w of workloads.filter((x) => x.namespace === ns)) {
      const replicas = w.replicas === undefined ? "" : ` ×${w.replicas}`;
      lines.push(`    ${idOf(w.resource.address)}["${w.kind} ${text(w.name)}${replicas}"]`);
    }
    for (const r of releases.filter((x) => releaseNamespace(x) === ns)) {
      lines.push(`    ${idOf(r.address)}[/"Helm ${text(r.config.chart)} ${text(r.config.version ?? "")}"/]`);
    }
    for (const s of services.filter((x) => namespaceOf(x.config.metadata, byAddress) === ns)) {
      const type = dig(s.config, "spec", "type") ?? "ClusterIP";
      lines.push(
        `    ${idOf(s.address)}(["Service ${text(dig(s.config, "metadata", "name"))} · ${text(type)}${type === "LoadBalancer" ? " (NLB)" : ""}"])`,
      );
      const selector = dig(s.config, "spec", "selector") ?? {};
      for (const w of workloads.filter(
        (x) => x.namespace === ns && Object.entries(selector).every(([k, v]) => x.labels[k] === v || isUnknown(v)),
      )) {
        edges.push(`  ${idOf(s.address)} --> ${idOf(w.resource.address)}`);
      }
      if (type === "LoadBalancer") edges.push(`  internet -.-> ${idOf(s.address)}`);
    }
    for (const i of ingresses.filter((x) => namespaceOf(x.config.metadata, byAddress) === ns)) {
      const ann = block(i.config.metadata)?.annotations ?? {};
      const scheme = ann["alb.ingress.kubernetes.io/scheme"] ?? "internal";
      lines.push(`    ${idOf(i.address)}>"Ingress ${text(dig(i.config, "metadata", "name"))} · ALB ${text(scheme)}"]`);
      for (const rule of blocks(dig(i.config, "spec", "rule"))) {
        for (const p of blocks(dig(rule, "http", "path"))) {
          const svc = dig(p, "backend", "service", "name");
          const target = services.find(
            (s) => dig(s.config, "metadata", "name") === svc && namespaceOf(s.config.metadata, byAddress) === ns,
          );
          if (target) edges.push(`  ${idOf(i.address)} --> ${idOf(target.address)}`);
        }
      }
      if (scheme === "internet-facing") edges.push(`  internet -.-> ${idOf(i.address)}`);
    }
    lines.push("  end");
  }
  return [`---`, `title: ${title}`, `---`, ...lines, ...[...new Set(edges)]].join("\n") + "\n";
}
