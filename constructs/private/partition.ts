import { isToken } from "./validation";

/**
 * The AWS partition of a region, so ARNs are right in China and GovCloud without
 * asking AWS (no `aws_partition` data source at plan time). A region only known at
 * apply time is assumed to be in the commercial partition.
 */
export function partitionOf(region: string): string {
  if (isToken(region)) return "aws";
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  return "aws";
}
