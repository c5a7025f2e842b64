// The public EKS API: constructs, their props, attribute interfaces and enums. Named, not
// `export *`: a helper exported from a module for the other modules never becomes public by accident.
export type { ComputeMode, IEksCluster, NetworkPolicyEnforcement, NodePlacement, Toleration } from "./types";
export { EndpointAccess, EndpointSource } from "./endpoint-access";
export type {
  CidrEndpointSource,
  PrivateEndpointAccess,
  PublicAndPrivateEndpointAccess,
  SecurityGroupEndpointSource,
  VpcEndpointSource,
} from "./endpoint-access";
export { volumeEncryptionPolicy } from "./volume-encryption";
export { ACCESS_POLICY_NAMES, ClusterAccess, accessPolicyArn } from "./access";
export type { AccessGrant, AccessPolicy, ClusterAccessProps } from "./access";
export { ClusterAddons, KNOWN_ADDONS } from "./addons";
export type { AddonOptions, AddonOwnRole, AddonsConfig, ClusterAddonsProps, KnownAddon } from "./addons";
export { AUTO_MODE_NODE_POOLS, AutoModeNodeRole } from "./auto-mode";
export type { AutoModeNodePool, AutoModeNodeRoleProps } from "./auto-mode";
export { SERVICE_ACCOUNT_ROLE_MECHANISMS, ServiceAccountRole } from "./service-account-role";
export type {
  PolicyStatement,
  ServiceAccountRoleMechanism,
  ServiceAccountRoleOptions,
  ServiceAccountRoleProps,
} from "./service-account-role";
export { COMPUTE_MODES } from "./cluster-base";
export {
  CLUSTER_LOG_TYPES,
  CONTROL_PLANE_SUBNET_TIERS,
  DEFAULT_KUBERNETES_VERSION,
  EksCluster,
  SUPPORT_TYPES,
} from "./cluster";
export type {
  ClusterLogType,
  ControlPlaneSubnetTier,
  EksClusterOptions,
  EksClusterProps,
  SupportType,
} from "./cluster";
export type { ClusterAttributes, IImportedCluster } from "./imported-cluster";
export { NodeRole } from "./node-role";
export type { NodeRoleOptions, NodeRoleProps, RoleReference } from "./node-role";
export { NodeLaunchTemplate } from "./launch-template";
export type { NodeLaunchTemplateOptions, NodeLaunchTemplateProps, NodeOsFamily } from "./launch-template";
export { ManagedNodeGroup, NODE_AMI_TYPES } from "./node-group";
export type {
  AutoscaledScaling,
  CapacityType,
  CpuArchitecture,
  FixedScaling,
  NodeAmiType,
  NodeGroupOptions,
  NodeGroupProps,
  NodeGroupScaling,
  NodeSubnetTier,
  NodeTaint,
  TaintEffect,
} from "./node-group";
export { FargateProfile } from "./fargate-profile";
export type { FargateProfileOptions, FargateProfileProps, FargateSelector, FargateSubnetTier } from "./fargate-profile";
