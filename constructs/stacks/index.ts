// Ready-made stacks: the workloads stack (kubernetes and helm providers with exec authentication,
// an AWS provider for workload IAM, the cluster controllers) and the state backend every stack uses.
export { EXEC_API_VERSION, WorkloadsStack } from "./workloads-stack";
export type { AdoptCluster, WorkloadsStackProps } from "./workloads-stack";
export { configureState, DEFAULT_STATE_KEY_PREFIX, STATE_ENV } from "./state";
export type { LocalStateConfig, S3StateConfig, StateConfig, StateSettings } from "./state";
