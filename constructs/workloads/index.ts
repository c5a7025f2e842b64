// The public workloads API: constructs, their props, attribute interfaces and enum-like choices, named
// (see eks/index.ts). Defaults tables and wiring helpers stay internal.
export { EnvValue } from "./container";
export type {
  AwsAccess,
  Capability,
  ConfigOptions,
  ContainerOptions,
  ContainerPort,
  ContainerSecurityOptions,
  ContainerSpec,
  EnvFromSource,
  GrpcCheck,
  HttpCheck,
  ImagePullPolicy,
  InitContainerSpec,
  Probe,
  Probes,
  Resources,
  VolumeMount,
} from "./container";
export { Volume } from "./volume";
export type { ProjectedSource, Reason, VolumeItems, VolumeSource } from "./volume";
export { Workload } from "./workload";
export type {
  PodOptions,
  PodSecurityOptions,
  ResolvedServicePort,
  ServiceOptions,
  ServicePort,
  WorkloadOptions,
  WorkloadProps,
  WorkloadSettings,
} from "./workload";
export { DeploymentWorkload } from "./deployment-workload";
export type {
  AutoscalingOptions,
  DeploymentWorkloadOptions,
  DisruptionBudgetOptions,
  RolloutOptions,
} from "./deployment-options";
export type { JobRunOptions } from "./job-options";
export type { ILoadBalancing } from "./load-balancing";
export { Peer } from "./network-rules";
export type { ISelectablePods, NetworkPeer, NetworkPort, NetworkRule } from "./network-rules";
export { Namespace } from "./namespace";
export type {
  INamespace,
  LimitRangeOptions,
  NamespaceOptions,
  NamespaceProps,
  NetworkPolicyOptions,
  PodSecurity,
  PodSecurityLevel,
  ResourceQuotaOptions,
} from "./namespace";
export { VariableSecret } from "./secret";
export type { IVariableSecret, VariableSecretOptions, VariableSecretProps } from "./secret";
export { Gp3StorageClass } from "./storage-class";
export type { Gp3StorageClassOptions, Gp3StorageClassProps, IStorageClass } from "./storage-class";
export { WebService } from "./web-service";
export type {
  AdditionalServiceOptions,
  IngressOptions,
  LoadBalancerIpAddressType,
  LoadBalancerScheme,
  NlbOptions,
  WebServiceOptions,
  WebServiceProps,
  WebServiceServiceOptions,
} from "./web-service";
export { Worker } from "./worker";
export type { WorkerOptions, WorkerProps } from "./worker";
export { CronJob } from "./cron-job";
export type { ConcurrencyPolicy, CronJobOptions, CronJobProps } from "./cron-job";
export { Job } from "./job";
export type { JobOptions, JobProps } from "./job";
export { StatefulService } from "./stateful-service";
export type { StatefulServiceOptions, StatefulServiceProps, VolumeClaim } from "./stateful-service";
export { DaemonSet } from "./daemon-set";
export type { DaemonSetOptions, DaemonSetProps } from "./daemon-set";

export { ARCHITECTURES } from "./placement";
export type {
  AntiAffinityMode,
  Architecture,
  NodeRequirement,
  PlacementOptions,
  PodCapacityType,
  PreferredNodeRequirements,
} from "./placement";
export { API_VERBS, WorkloadApiAccess } from "./api-access";
export type { ApiAccess, ApiAccessProps, ApiRule, ApiVerb } from "./api-access";
export { VerticalPodAutoscaler } from "./vertical-pod-autoscaler";
export type {
  IVerticalPodAutoscaling,
  VerticalPodAutoscalerOptions,
  VerticalPodAutoscalerProps,
  VpaContainerOptions,
  VpaControlledValues,
  VpaResource,
  VpaResourceBounds,
  VpaTarget,
  VpaTargetKind,
  VpaUpdateMode,
} from "./vertical-pod-autoscaler";
export type { LoadBalancerDrainOptions, PreStopWait, ResolvedDrain } from "./load-balancer-drain";
