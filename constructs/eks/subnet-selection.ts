import { INetwork, SubnetInfo, SubnetTier } from "../network/types";
import { duplicatesOf, fail, isToken } from "../private/validation";

// One subnet selection for the compute of a cluster (node groups, Fargate profiles): a tier or
// explicit subnets of the cluster's network (never both), public subnets refused unless allowed,
// optionally narrowed to some AZs. The constructs differ only in what their messages say.

/** What the construct was given. */
export interface SubnetSelection {
  readonly subnetTier?: SubnetTier;
  readonly subnets?: SubnetInfo[];
  /** Keep the tier's subnets in these AZs (node groups). */
  readonly availabilityZones?: string[];
}

/** The construct's rules and its words for them. */
export interface SubnetSelectionRules {
  /** Public subnets accepted (node groups with allowPublicSubnets). */
  readonly allowPublic: boolean;
  /** The fix when an explicit subnet is public. */
  readonly publicSubnetFix: string;
  /** The problem and fix when the tier is "public". */
  readonly publicTierProblem: string;
  readonly publicTierFix: string;
  /** The fix when an explicit subnet is not in the cluster's network. */
  readonly foreignSubnetFix: string;
  /**
   * When the tier has no subnets: refused on `subnetTier` with these words.
   * @default - refused on `subnets` with `empty`
   */
  readonly emptyTier?: { readonly problem: string; readonly fix: string };
  /** When the selection ends up with no subnet. */
  readonly empty: { readonly problem: string; readonly fix: string };
}

/** The subnets a selection names, validated against the cluster's network. */
export function selectSubnets(
  where: string,
  network: INetwork,
  selection: SubnetSelection,
  rules: SubnetSelectionRules,
): SubnetInfo[] {
  if (selection.subnets !== undefined && selection.subnetTier !== undefined) {
    fail(
      where,
      "subnetTier",
      selection.subnetTier,
      "can't be given together with subnets",
      "give either a tier or explicit subnets",
    );
  }
  if (selection.availabilityZones !== undefined && selection.subnets !== undefined) {
    fail(
      where,
      "availabilityZones",
      selection.availabilityZones,
      "can't be given together with subnets",
      "give either AZs (with subnetTier) or explicit subnets",
    );
  }
  let subnets: SubnetInfo[];
  if (selection.subnets !== undefined) {
    subnets = selection.subnets;
    for (const [i, s] of subnets.entries()) {
      const tier = network.tierOfSubnet(s.id);
      if (tier === undefined)
        fail(where, `subnets[${i}]`, s.cidr, "is not a subnet of the cluster's network", rules.foreignSubnetFix);
      if (tier === "public" && !rules.allowPublic)
        fail(where, `subnets[${i}]`, s.cidr, "is a public subnet", rules.publicSubnetFix);
    }
    const dups = duplicatesOf(subnets.map((s) => s.id));
    if (dups.length > 0)
      fail(
        where,
        "subnets",
        subnets.map((s) => s.cidr),
        "lists a subnet more than once",
        "list each subnet once",
      );
  } else {
    const tier = selection.subnetTier ?? "private";
    if (tier === "public" && !rules.allowPublic)
      fail(where, "subnetTier", tier, rules.publicTierProblem, rules.publicTierFix);
    if (!["public", "private", "intra"].includes(tier))
      fail(where, "subnetTier", tier, "is not a subnet tier", 'use "private" or "intra"');
    subnets = network.subnetsOf(tier);
    const zones = selection.availabilityZones;
    if (zones !== undefined) {
      const known = subnets.map((s) => s.availabilityZone);
      zones.forEach((az, i) => {
        if (!isToken(az) && !known.includes(az))
          fail(
            where,
            `availabilityZones[${i}]`,
            az,
            `has no ${tier} subnet in the cluster's network`,
            `use AZs of the network: ${known.join(", ")}`,
          );
      });
      if (zones.length === 0)
        fail(where, "availabilityZones", zones, "is empty", "give at least one AZ, or remove it for every AZ");
      subnets = subnets.filter((s) => zones.includes(s.availabilityZone));
    }
    if (subnets.length === 0 && rules.emptyTier !== undefined)
      fail(where, "subnetTier", tier, rules.emptyTier.problem, rules.emptyTier.fix);
  }
  if (subnets.length === 0) fail(where, "subnets", [], rules.empty.problem, rules.empty.fix);
  return subnets;
}
