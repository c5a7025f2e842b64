import { block, blocks, dig, isUnknown, referencedAddress, ResourceView } from "../policy/resource-view";
import { ASSUMED_SPOT_DISCOUNT, HOURS_PER_MONTH, NOT_PRICED, PRICES, PRICES_AS_OF } from "./prices";
import { parseQuantity } from "../private/quantity";

/** One priced line of the estimate. */
export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  /** USD per unit (per hour, per GB-month or per month, as `unit` says). */
  readonly unitPrice: number;
  /** USD per month, rounded to cents. */
  readonly monthly: number;
  readonly note?: string;
}

/** A monthly estimate of the fixed-price parts of a stack. */
export interface CostEstimate {
  readonly region: string;
  /** False when the region is not in the price table: then no line is priced. */
  readonly supported: boolean;
  readonly pricesAsOf: string;
  readonly hoursPerMonth: number;
  readonly spotDiscount: number;
  readonly lines: CostLine[];
  /** USD per month, rounded to cents. */
  readonly monthlyTotal: number;
  /** What could not be priced here (unknown instance types, computed sizes). */
  readonly unpriced: string[];
  /** What an estimate of this kind never includes. */
  readonly notIncluded: readonly string[];
}

const cents = (x: number) => Math.round(x * 100) / 100;
const num = (x: unknown): number | undefined => (x === undefined || isUnknown(x) ? undefined : Number(x));

/** Parses a Kubernetes quantity ("20Gi", "500M", "129e9") to GB (GiB counted as GB: an estimate). */
function gigabytes(q: unknown): number | undefined {
  if (typeof q !== "string" || isUnknown(q)) return undefined;
  const bytes = parseQuantity(q);
  if (bytes === undefined) return undefined;
  return /[KMGTPE]i$/.test(q) ? bytes / 2 ** 30 : bytes / 1e9;
}

/**
 * Estimates the monthly cost of what a stack plans, from its synthesized resources. Node
 * groups count at their planned desired size (scaling_config.desired_size, else min_size):
 * for autoscaled groups that is the size at creation, and the autoscaler changes it later.
 * A node group with several instance types is priced at its first one; spot at the assumed
 * discount. Root volumes come from the launch template (gp3 GB), else EKS's 20 GB default.
 */
export function estimateCost(region: string, resources: readonly ResourceView[]): CostEstimate {
  const prices = PRICES[region];
  const base = {
    region,
    pricesAsOf: PRICES_AS_OF,
    hoursPerMonth: HOURS_PER_MONTH,
    spotDiscount: ASSUMED_SPOT_DISCOUNT,
    notIncluded: NOT_PRICED,
  };
  if (!prices) {
    return {
      ...base,
      supported: false,
      lines: [],
      monthlyTotal: 0,
      unpriced: [`region ${region} is not in the price table (supported: ${Object.keys(PRICES).join(", ")})`],
    };
  }
  const ofType = (t: string) => resources.filter((r) => r.type === t);
  const lines: CostLine[] = [];
  const unpriced: string[] = [];
  const hourly = (item: string, quantity: number, unitPrice: number, note?: string) => {
    if (quantity > 0)
      lines.push({
        item,
        quantity,
        unit: "hour",
        unitPrice,
        monthly: cents(quantity * unitPrice * HOURS_PER_MONTH),
        note,
      });
  };
  const gbMonth = (item: string, gb: number, note?: string) => {
    if (gb > 0)
      lines.push({
        item,
        quantity: gb,
        unit: "GB-month",
        unitPrice: prices.gp3GbMonth,
        monthly: cents(gb * prices.gp3GbMonth),
        note,
      });
  };

  // EKS control plane
  const clusters = ofType("aws_eks_cluster");
  const extended = clusters.filter((c) => dig(c.config, "upgrade_policy", "support_type") === "EXTENDED").length;
  hourly("EKS control plane (standard support)", clusters.length - extended, prices.eksStandardHour);
  hourly("EKS control plane (extended support)", extended, prices.eksExtendedHour);

  // NAT gateways and their public IPv4 addresses
  hourly(
    "NAT gateway",
    ofType("aws_nat_gateway").length,
    prices.natGatewayHour,
    "hours only; data processing per GB not included",
  );
  hourly("Public IPv4 address (Elastic IP)", ofType("aws_eip").length, prices.publicIpv4Hour);

  // Interface VPC endpoints: one ENI per subnet (AZ)
  const azHours = ofType("aws_vpc_endpoint")
    .filter((e) => e.config.vpc_endpoint_type === "Interface")
    .reduce((n, e) => n + (Array.isArray(e.config.subnet_ids) ? e.config.subnet_ids.length : 1), 0);
  hourly("Interface VPC endpoint (per AZ)", azHours, prices.interfaceEndpointAzHour);

  // Node groups: instances and root volumes
  for (const ng of ofType("aws_eks_node_group")) {
    const scaling = block(ng.config.scaling_config) ?? {};
    const count = num(scaling.desired_size) ?? num(scaling.min_size);
    const lt = ng.config.launch_template
      ? resources.find((r) => r.address === referencedAddress(block(ng.config.launch_template)?.id))
      : undefined;
    const type =
      (Array.isArray(ng.config.instance_types) ? ng.config.instance_types[0] : undefined) ??
      lt?.config.instance_type ??
      "t3.medium";
    const name = ng.path.split("/").slice(-2, -1)[0] ?? ng.address;
    if (count === undefined) {
      unpriced.push(`${name}: size is computed`);
      continue;
    }
    const od = prices.instanceHour[type];
    const spot = ng.config.capacity_type === "SPOT";
    if (od === undefined) unpriced.push(`${name}: instance type ${type} is not in the price table`);
    else
      hourly(
        `${name}: ${type} ${spot ? "spot" : "on-demand"}`,
        count,
        spot ? cents4(od * (1 - ASSUMED_SPOT_DISCOUNT)) : od,
        spot ? `on-demand $${od}/h less the assumed ${ASSUMED_SPOT_DISCOUNT * 100} % spot discount` : undefined,
      );
    const ebs = block(blocks(lt?.config.block_device_mappings)[0]?.ebs);
    const size = num(ebs?.volume_size) ?? num(ng.config.disk_size) ?? 20;
    gbMonth(`${name}: root volumes (gp3)`, size * count, `${count} × ${size} GB`);
  }

  // KMS customer keys
  const keys = ofType("aws_kms_key").length;
  if (keys)
    lines.push({
      item: "KMS customer-managed key",
      quantity: keys,
      unit: "month",
      unitPrice: prices.kmsKeyMonth,
      monthly: cents(keys * prices.kmsKeyMonth),
    });

  // Kubernetes: LoadBalancer Services (NLB through the AWS Load Balancer Controller), ALB per ingress group, PVCs
  const nlbs = resources.filter(
    (r) => /^kubernetes_service(_v1)?$/.test(r.type) && dig(r.config, "spec", "type") === "LoadBalancer",
  ).length;
  hourly("Network Load Balancer (Service type LoadBalancer)", nlbs, prices.nlbHour, "LCUs not included");
  const albGroups = new Set<string>();
  for (const ing of resources.filter((r) => /^kubernetes_ingress(_v1)?$/.test(r.type))) {
    const meta = block(ing.config.metadata) ?? {};
    const cls = dig(ing.config, "spec", "ingress_class_name") ?? meta.annotations?.["kubernetes.io/ingress.class"];
    if (cls !== undefined && cls !== "alb" && !isUnknown(cls)) continue;
    albGroups.add(meta.annotations?.["alb.ingress.kubernetes.io/group.name"] ?? ing.address);
  }
  hourly("Application Load Balancer (per ingress group)", albGroups.size, prices.albHour, "LCUs not included");
  let pvcGb = 0;
  const claimNames = new Set<string>();
  for (const pvc of resources.filter((r) => /^kubernetes_persistent_volume_claim(_v1)?$/.test(r.type))) {
    pvcGb += gigabytes(dig(pvc.config, "spec", "resources", "requests")?.storage) ?? 0;
    const meta = block(pvc.config.metadata) ?? {};
    claimNames.add(`${meta.namespace}/${meta.name}`);
  }
  for (const sts of resources.filter((r) => /^kubernetes_stateful_set(_v1)?$/.test(r.type))) {
    const replicas = num(dig(sts.config, "spec", "replicas")) ?? 1;
    const meta = block(sts.config.metadata) ?? {};
    for (const t of blocks(dig(sts.config, "spec", "volume_claim_template"))) {
      // A replica whose claim is a resource of its own (StatefulService's) is priced above, once.
      const name = (block(t.metadata) ?? {}).name;
      for (let i = 0; i < replicas; i++) {
        if (claimNames.has(`${meta.namespace}/${name}-${meta.name}-${i}`)) continue;
        pvcGb += gigabytes(dig(t, "spec", "resources", "requests")?.storage) ?? 0;
      }
    }
  }
  gbMonth("Persistent volumes (PVCs, priced as gp3)", cents(pvcGb));

  return { ...base, supported: true, lines, monthlyTotal: cents(lines.reduce((s, l) => s + l.monthly, 0)), unpriced };
}

const cents4 = (x: number) => Math.round(x * 10000) / 10000;
