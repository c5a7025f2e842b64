import { Aspects, IAspect, TerraformDataSource, TerraformProvider, TerraformResource } from "cdktf";
import { IConstruct } from "constructs";

/**
 * Gives every resource and data source under `scope` the provider `provider`, unless it
 * names one itself. An aspect rather than a `provider:` on each resource: it also covers
 * children added later (node groups, Fargate profiles, service-account roles of a cluster)
 * and resources a future change adds, so nothing lands in the default provider's region
 * by omission. Applied at synth; does nothing when `provider` is undefined.
 */
export function useProvider(scope: IConstruct, provider: TerraformProvider | undefined): void {
  if (provider === undefined) return;
  Aspects.of(scope).add(new DefaultProvider(provider));
}

class DefaultProvider implements IAspect {
  constructor(private readonly provider: TerraformProvider) {}

  public visit(node: IConstruct): void {
    if ((node instanceof TerraformResource || node instanceof TerraformDataSource) && node.provider === undefined) {
      node.provider = this.provider;
    }
  }
}
