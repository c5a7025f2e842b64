// The public network API: constructs, their props, attribute interfaces and enums (named, see eks/index.ts).
export { SUBNET_TIERS } from "./types";
export type { INetwork, SubnetInfo, SubnetTier } from "./types";
export { Network } from "./network";
export type { AzSubnets, NatMode, NetworkProps } from "./network";
export type { NetworkAttributes, SubnetAttributes } from "./imported-network";
export { VpcFlowLogs } from "./flow-logs";
export type { FlowLogsOptions, FlowLogTrafficType, VpcFlowLogsProps } from "./flow-logs";
export { INTERFACE_ENDPOINT_SERVICES, VpcEndpoints } from "./vpc-endpoints";
export type { InterfaceEndpointService, VpcEndpointsOptions, VpcEndpointsProps } from "./vpc-endpoints";
