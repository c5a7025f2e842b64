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
export {
  AFTER_COMPUTE_ADDONS,
  AUTO_MODE_BUILT_IN_ADDONS,
  BEFORE_COMPUTE_ADDONS,
  ClusterAddons,
  EBS_CSI_SERVICE_ACCOUNT,
  KNOWN_ADDONS,
  OWN_ROLE_ADDONS,
  VPC_CNI_DEFAULT_CONFIGURATION,
  VPC_CNI_SERVICE_ACCOUNT,
} from "./addons";
export type { AddonOptions, AddonOwnRole, AddonsConfig, ClusterAddonsProps, KnownAddon } from "./addons";
export {
  AUTO_MODE_CLUSTER_POLICIES,
  AUTO_MODE_NODE_POLICIES,
  AUTO_MODE_NODE_POOLS,
  AutoModeNodeRole,
  DEFAULT_AUTO_MODE_NODE_POOLS,
} from "./auto-mode";
export type { AutoModeNodePool, AutoModeNodeRoleProps } from "./auto-mode";
export { SERVICE_ACCOUNT_ROLE_MECHANISMS, ServiceAccountRole } from "./service-account-role";
export type {
  PolicyStatement,
  ServiceAccountRoleMechanism,
  ServiceAccountRoleOptions,
  ServiceAccountRoleProps,
} from "./service-account-role";
export { warnIfEndpointUnreachable } from "./reachability";
export {
  CLUSTER_LOG_TYPES,
  COMPUTE_MODES,
  CONTROL_PLANE_SUBNET_TIERS,
  DEFAULT_KUBERNETES_VERSION,
  DEFAULT_LOG_RETENTION_DAYS,
  EksCluster,
  PARTITIONS,
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
export { NodeRole, ROLE_NAME_PREFIX_MAX } from "./node-role";
export type { NodeRoleOptions, NodeRoleProps, RoleReference } from "./node-role";
export {
  DEFAULT_HOP_LIMIT,
  DEFAULT_NODE_VOLUME_SIZE,
  NODE_VOLUME_SIZE_MAX,
  NODE_VOLUME_SIZE_MIN,
  NodeLaunchTemplate,
} from "./launch-template";
export type { NodeLaunchTemplateOptions, NodeLaunchTemplateProps, NodeOsFamily } from "./launch-template";
export {
  DEFAULT_NODE_GROUP_SCALING,
  LAUNCH_TEMPLATE_NAME_PREFIX_MAX,
  MAX_INSTANCE_TYPES,
  MAX_TAINTS,
  ManagedNodeGroup,
  NODE_AMI_TYPES,
  NODE_GROUP_NAME_PREFIX_MAX,
} from "./node-group";
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
export { FargateProfile, MAX_FARGATE_SELECTORS } from "./fargate-profile";
export type { FargateProfileOptions, FargateProfileProps, FargateSelector, FargateSubnetTier } from "./fargate-profile";
