// The workloads stack is part of the library (eks-platform/constructs/stacks); this path stays for the app's imports.
export * from "../constructs/stacks/workloads-stack";
