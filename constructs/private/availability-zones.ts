import { duplicatesOf, fail } from "./validation";

/** An Availability Zone name: the region, then one letter ("eu-west-1a"). */
export const AZ_NAME = /^([a-z]{2}(?:-[a-z]+)+-\d+)([a-z])$/;

/** Checks AZ names (2 to 6, distinct, one region) and returns the region they are in. */
export function checkAvailabilityZones(where: string, azs: string[]): string {
  if (azs.length < 2 || azs.length > 6) {
    fail(
      where,
      "availabilityZones",
      azs,
      `has ${azs.length} entr${azs.length === 1 ? "y" : "ies"}`,
      "EKS needs subnets in at least 2 Availability Zones; give 2 to 6",
    );
  }
  const dups = duplicatesOf(azs);
  if (dups.length)
    fail(
      where,
      "availabilityZones",
      azs,
      `lists ${dups.join(", ")} more than once`,
      "give each Availability Zone once",
    );
  const regions = azs.map((az, i) => {
    const m = AZ_NAME.exec(az);
    if (!m)
      fail(
        where,
        `availabilityZones[${i}]`,
        az,
        "is not an Availability Zone name",
        'use names like "eu-west-1a" (not AZ ids like "euw1-az1")',
      );
    return m[1];
  });
  const distinct = [...new Set(regions)];
  if (distinct.length > 1)
    fail(
      where,
      "availabilityZones",
      azs,
      `spans several regions (${distinct.join(", ")})`,
      "a VPC lives in one region: use AZs of one region",
    );
  return distinct[0];
}
