import { fail, isToken } from "../private/validation";
import { minorOf } from "./kubernetes-versions";

/**
 * How many minors a kubelet may be older than the API server: three, by the Kubernetes
 * version skew policy (kubernetes.io/releases/version-skew-policy/#kubelet: "kubelet must not be
 * newer than kube-apiserver, and may be up to three minor versions older", since Kubernetes
 * 1.28; two before). Every version EKS offers is 1.28 or newer. The EKS user guide's version
 * FAQ says the same of node groups ("compatibility between the control plane and nodes for up
 * to three minor versions") and advises nodes on the control plane's version.
 */
export const MAX_KUBELET_SKEW = 3;

const MINOR_VERSION = /^1\.\d+$/;

/**
 * Node groups never ahead of the control plane, and at most MAX_KUBELET_SKEW minors behind it.
 * EKS refuses a node group version newer than the cluster's only at apply (and an upgrade of a
 * node group held too far back would leave kubelets the API server no longer supports).
 */
export function checkNodeVersionSkew(
  where: string,
  field: string,
  nodeVersion: string,
  controlPlaneVersion: string,
  clusterName: string,
): void {
  if (isToken(nodeVersion) || isToken(controlPlaneVersion)) return;
  if (!MINOR_VERSION.test(nodeVersion)) {
    fail(where, field, nodeVersion, "is not a Kubernetes minor version", 'use the form "1.<minor>", e.g. "1.35"');
  }
  if (!MINOR_VERSION.test(controlPlaneVersion)) return; // the cluster reports its own version error
  const skew = minorOf(controlPlaneVersion) - minorOf(nodeVersion);
  if (skew < 0) {
    fail(
      where,
      field,
      nodeVersion,
      `is newer than the control plane of cluster "${clusterName}" (${controlPlaneVersion}): a kubelet must never be newer than the API server, and EKS refuses it`,
      `upgrade the cluster's kubernetesVersion first (one minor per deploy), or use ${controlPlaneVersion} or older`,
    );
  }
  if (skew > MAX_KUBELET_SKEW) {
    fail(
      where,
      field,
      nodeVersion,
      `is ${skew} minors behind the control plane of cluster "${clusterName}" (${controlPlaneVersion}); the Kubernetes version skew policy allows kubelets at most ${MAX_KUBELET_SKEW} minors older than the API server`,
      `use 1.${minorOf(controlPlaneVersion) - MAX_KUBELET_SKEW} to ${controlPlaneVersion} (upgrade the nodes before the cluster moves on), or remove kubernetesVersion so the nodes follow the cluster`,
    );
  }
}
