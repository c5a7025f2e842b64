// The public registry API: constructs, their props, attribute interfaces and enums (named, see eks/index.ts).
export { imageReference } from "./image-reference";
export type { ImageDigest, ImageTag, ImageVersion } from "./image-reference";
export { LifecycleRules } from "./lifecycle";
export type { LifecycleRule, LifecycleRuleOptions, LifecycleTagStatus } from "./lifecycle";
export { ECR_AUTH_ACTIONS, ECR_PULL_ACTIONS, ECR_PUSH_ACTIONS } from "./repository-policy";
export type { RepositoryAccess } from "./repository-policy";
export { Repository } from "./repository";
export type {
  IRepository,
  PullGrantee,
  RepositoryLocation,
  RepositoryOptions,
  RepositoryProps,
  TagMutability,
} from "./repository";
export { Registry } from "./registry";
export type { RegistryOptions, RegistryProps } from "./registry";
export type { ScanFrequency, ScanningOptions, ScanningRule, ScanType } from "./scanning";
export type { ReplicationDestination, ReplicationRule } from "./replication";
export { PULL_THROUGH_UPSTREAMS } from "./pull-through-cache";
export type { PullThroughCacheRule, PullThroughUpstream } from "./pull-through-cache";
export { RegistrySettings } from "./registry-settings";
export type { RegistrySettingsOptions, RegistrySettingsProps } from "./registry-settings";
