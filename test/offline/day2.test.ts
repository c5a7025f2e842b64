import { KNOWN_ADDONS } from "../../constructs/eks/addons";
import { EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import { EndpointAccess, EndpointSource } from "../../constructs/eks/endpoint-access";
import { NetworkProps } from "../../constructs/network/network";
import { testNetwork, testStack } from "../fixtures";
import { changesOf, describeOffline, OFFLINE_TIMEOUT_MS, planStack, stateOf } from "./harness";

const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";

/** The same stack (same construct ids, so the same Terraform addresses) with other cluster options. */
function clusterStack(options: Partial<EksClusterOptions>, nodeGroup: boolean, network: Partial<NetworkProps> = {}) {
  const stack = testStack("day2");
  const cluster = new EksCluster(stack, "eks", {
    name: "test",
    network: testNetwork(stack, network),
    admins: [ADMIN],
    ...options,
  });
  if (nodeGroup) cluster.addNodeGroup("workers");
  return stack;
}

// Day-2 changes planned against the state of a running cluster (derived from the plan of its
// first deploy): terraform plan -refresh=false reads that state as what exists in AWS.
describeOffline("day-2 changes plan in place", (tools) => {
  it(
    'computeMode "managed" -> "auto" updates the cluster in place (no new OIDC issuer, no lost Secrets)',
    () => {
      // stateOf only returns a state the unchanged configuration plans without changes against.
      const state = stateOf(clusterStack({}, true), tools);

      const plan = planStack(clusterStack({ computeMode: "auto" }, false), tools, { state });
      const changes = changesOf(plan);
      expect(changes).toContain("aws_eks_cluster.eks_cluster_55B0C966: update");
      // Nothing stateful of the cluster is replaced: no delete+create anywhere.
      expect(changes.filter((c) => c.includes("delete+create") || c.includes("create+delete"))).toEqual([]);
      // The cluster, its keys (Secrets, logs) and its OIDC provider stay what they are.
      const kept = (type: string) => plan.changes.filter((c) => c.type === type).map((c) => c.actions.join("+"));
      expect(kept("aws_eks_cluster")).toEqual(["update"]);
      expect(kept("aws_kms_key")).toEqual(["no-op", "no-op", "no-op"]);
      expect(kept("aws_iam_openid_connect_provider")).toEqual(["no-op"]);
      expect(kept("aws_cloudwatch_log_group")).toEqual(["no-op", "no-op"]);
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "a cluster deployed before the hardening (no preserve, no log keys) takes today's defaults without replacing anything",
    () => {
      const before = clusterStack(
        {
          createLogKmsKey: false,
          addons: Object.fromEntries(KNOWN_ADDONS.map((name) => [name, { preserve: false }])),
        },
        true,
        { flowLogs: { createKmsKey: false } },
      );
      const state = stateOf(before, tools);
      const changes = changesOf(planStack(clusterStack({}, true), tools, { state }));
      expect(changes.filter((c) => !c.endsWith(": update") && !c.endsWith(": create"))).toEqual([]);
      // preserve flips on five add-ons in place; both log groups get their key in place.
      expect(changes.filter((c) => c.startsWith("aws_eks_addon.")).length).toBe(5);
      expect(changes.filter((c) => c.startsWith("aws_cloudwatch_log_group.")).map((c) => c.split(": ")[1])).toEqual([
        "update",
        "update",
      ]);
      expect(changes.filter((c) => c.endsWith(": create"))).toEqual([
        "aws_kms_key.eks_log-key_889FE009: create",
        "aws_kms_key.network_flow-logs_kms-key_5A177FC3: create",
      ]);
    },
    OFFLINE_TIMEOUT_MS,
  );

  // The other side of the contract: what the JSDoc says replaces the cluster does, and the plan
  // says why (so a reviewer of `cdktf diff` sees it before apply). Node groups are
  // create_before_destroy, which Terraform extends to the cluster they depend on: the new
  // cluster is created before the old one is destroyed. Under the same name EKS refuses that
  // create ("already exists"), so the apply stops before anything is destroyed; with a new name
  // (what the JSDoc advises) the new cluster and its node groups come up beside the old ones.
  it(
    'ipFamily "ipv4" -> "ipv6" replaces the cluster, forced by kubernetes_network_config.ip_family, the new one first',
    () => {
      const state = stateOf(clusterStack({}, true, { ipv6: true }), tools);
      const plan = planStack(clusterStack({ ipFamily: "ipv6", name: "test-v6" }, true, { ipv6: true }), tools, {
        state,
      });
      const cluster = plan.changes.find((c) => c.type === "aws_eks_cluster");
      expect(cluster?.actions).toEqual(["create", "delete"]);
      expect(cluster?.replacePaths).toEqual(expect.arrayContaining(["kubernetes_network_config.0.ip_family"]));
      expect(plan.changes.find((c) => c.type === "aws_eks_node_group")?.actions).toEqual(["create", "delete"]);
      // The network stays; the cluster's keys and log group are not replaced with it.
      const replaced = (type: string) =>
        plan.changes.filter((c) => c.type === type && c.actions.includes("delete")).map((c) => c.address);
      expect(replaced("aws_vpc")).toEqual([]);
      expect(replaced("aws_subnet")).toEqual([]);
      expect(replaced("aws_kms_key")).toEqual([]);
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "serviceIpv4Cidr set on a running cluster (EKS picked the range) replaces it, forced by service_ipv4_cidr, as its JSDoc warns",
    () => {
      // The same running cluster as above (its derived state is shared).
      const state = stateOf(clusterStack({}, true, { ipv6: true }), tools);
      const plan = planStack(
        clusterStack({ serviceIpv4Cidr: "172.20.0.0/16", name: "test-svc" }, true, { ipv6: true }),
        tools,
        { state },
      );
      const cluster = plan.changes.find((c) => c.type === "aws_eks_cluster");
      expect(cluster?.actions).toEqual(["create", "delete"]);
      expect(cluster?.replacePaths).toEqual(expect.arrayContaining(["kubernetes_network_config.0.service_ipv4_cidr"]));
      expect(plan.changes.filter((c) => c.type === "aws_vpc" || c.type === "aws_subnet").map((c) => c.actions)).toEqual(
        expect.not.arrayContaining([expect.arrayContaining(["delete"])]),
      );
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "endpoint sources and a volume key added to a running cluster (one deployed before they existed) create only their rules and policy",
    () => {
      // No rule at all: what a cluster deployed before endpoint sources existed has.
      const state = stateOf(
        clusterStack({ endpointAccess: EndpointAccess.private({ privateAccessFrom: [] }) }, true),
        tools,
      );
      const plan = planStack(
        clusterStack(
          {
            endpointAccess: EndpointAccess.private({
              privateAccessFrom: [EndpointSource.vpc(), EndpointSource.cidr("192.168.0.0/16", { name: "office-vpn" })],
            }),
            volumeEncryptionKeyArns: ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
          },
          true,
        ),
        tools,
        { state },
      );
      expect(changesOf(plan).map((c) => c.replace(/_[0-9A-F]{8}:/, ":"))).toEqual([
        "aws_iam_role_policy.eks_addons_ebs-csi-driver-volume-encryption: create",
        "aws_vpc_security_group_ingress_rule.eks_endpoint-ingress_office-vpn: create",
        "aws_vpc_security_group_ingress_rule.eks_endpoint-ingress_vpc: create",
      ]);
      expect(plan.changes.find((c) => c.type === "aws_eks_cluster")?.actions).toEqual(["no-op"]);
      expect(plan.changes.find((c) => c.type === "aws_eks_addon" && c.address.includes("ebs"))?.actions).toEqual([
        "no-op",
      ]);
    },
    OFFLINE_TIMEOUT_MS,
  );
});
