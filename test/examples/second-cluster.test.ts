/// <reference types="cdktf/lib/testing/adapters/jest" />
import { Testing } from "cdktf";
import { EXISTING_VPC, SecondClusterStack } from "../../examples/second-cluster/main";

describe("example: a second cluster in an existing VPC", () => {
  const stack = new SecondClusterStack(Testing.app(), "second-cluster");
  const synth = JSON.parse(Testing.synth(stack, true));
  const only = (type: string): any => {
    const all = Object.values(synth.resource[type] ?? {});
    expect(all).toHaveLength(1);
    return all[0];
  };

  it("creates no network: the cluster and its nodes use the existing VPC's private subnets", () => {
    expect(synth.resource.aws_vpc).toBeUndefined();
    expect(synth.resource.aws_subnet).toBeUndefined();
    const ids = EXISTING_VPC.subnets.private.map((s) => s.id);
    expect(only("aws_eks_cluster").vpc_config.subnet_ids).toEqual(ids);
    expect(only("aws_eks_node_group").subnet_ids).toEqual(ids);
  });

  it("grants the node group's role pull on its repository, although the grant came first", () => {
    const policy = only("aws_ecr_repository_policy").policy as string;
    expect(policy).toMatch(/aws_iam_role\.cluster_general_node-role_[0-9A-F]+\.arn/);
  });

  it("references the other account's base image without managing it", () => {
    expect(synth.output.base_image.value).toBe("210987654321.dkr.ecr.eu-west-1.amazonaws.com/base/python:3.12");
    expect(only("aws_ecr_repository").name).toBe("analytics/jobs");
  });

  it("gives the service account a Pod Identity role", () => {
    expect(only("aws_eks_pod_identity_association")).toMatchObject({ namespace: "jobs", service_account: "runner" });
  });
});
