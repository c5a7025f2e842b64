/**
 * Offline Terraform check of a synthesized stack: `terraform init` from a local
 * provider directory, then `terraform plan -refresh=false` with mock credentials
 * (which runs Terraform's validation first; see planOffline). Proves the JSON cdktf wrote is accepted by the real
 * hashicorp/aws provider schema and plans, without an AWS account or network.
 *
 * The mock credentials and skip_* flags go into a Terraform override file in a
 * scratch copy of the stack, so they never reach the stacks users deploy.
 *
 * Environment:
 * - TERRAFORM_BIN: the terraform CLI (default: `terraform` on PATH).
 * - TF_PLUGIN_DIR: a provider directory in Terraform's filesystem-mirror layout
 *   (<dir>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/...). Default:
 *   the first of Terraform's implied local mirror directories, then /opt/<any>/,
 *   that holds the provider version asked for. When none does, `terraform init`
 *   installs from the registry as usual (a networked machine).
 * - OFFLINE_TERRAFORM_CACHE_DIR: where provider schemas and derived day-2 states are kept between
 *   runs (default: .cache/offline-terraform in the project); OFFLINE_TERRAFORM_CACHE=off turns
 *   that off. Plans themselves are never reused between runs (see planOffline).
 * - OFFLINE_STATES_UPDATE=1: re-record stale or missing recorded day-2 states (recordedStateOfStack).
 */
export { awsPartOf, NON_AWS_PROVIDERS } from "./aws-only";
export { stateOfStack } from "./day2-state";
export {
  recordedState,
  recordedStateOfStack,
  recordingKey,
  RERECORD_COMMAND,
  type RecordingMode,
} from "./recorded-state";
export { AWS_PROVIDER_VERSION, findPluginDir, findTerraform, offlineTools } from "./discovery";
export { planOffline } from "./plan";
export type {
  OfflineTools,
  PlanOfflineOptions,
  PlanSummary,
  ResourceChange,
  StateResource,
  TerraformState,
} from "./types";
