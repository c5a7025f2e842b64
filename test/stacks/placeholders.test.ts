/// <reference types="cdktf/lib/testing/adapters/jest" />
import { Testing } from "cdktf";
import { dev, prod } from "../../config/environments";
import { PlatformStack } from "../../stacks/platform-stack";
import { findDocumentationPlaceholders } from "../../stacks/placeholders";
import { synthJson } from "../fixtures";

describe("documentation placeholders", () => {
  it("finds the example principals and CIDRs of the shipped config, by field", () => {
    expect(findDocumentationPlaceholders(dev)).toEqual([
      { field: "cluster.admins[0]", value: "arn:aws:iam::123456789012:role/platform-admin" },
      { field: "cluster.endpointAccess.publicCidrs[0]", value: "203.0.113.0/24" },
      { field: "registry.defaults.pushPrincipalArns[0]", value: "arn:aws:iam::123456789012:role/ci-deploy" },
    ]);
    expect(findDocumentationPlaceholders(prod).map((p) => p.field)).toEqual([
      "cluster.admins[0]",
      "cluster.access[0].principalArn",
      "registry.defaults.pushPrincipalArns[0]",
    ]);
  });

  it("guards the first resource (the VPC) with a precondition naming each placeholder, off unless a variable allows it", () => {
    const stack = new PlatformStack(Testing.app(), "platform-dev", dev);
    const synth = synthJson(stack);
    expect(synth.variable.allow_documentation_placeholders).toMatchObject({ type: "bool", default: false });
    const [vpc] = Object.values<any>(synth.resource.aws_vpc);
    const [check] = vpc.lifecycle.precondition;
    expect(check.condition).toBe("${var.allow_documentation_placeholders}");
    expect(check.error_message).toContain('cluster.admins[0] "arn:aws:iam::123456789012:role/platform-admin"');
    expect(check.error_message).toContain(
      'registry.defaults.pushPrincipalArns[0] "arn:aws:iam::123456789012:role/ci-deploy"',
    );
    expect(check.error_message).toContain('cluster.endpointAccess.publicCidrs[0] "203.0.113.0/24"');
  });

  it("adds nothing once the config holds real values", () => {
    const stack = new PlatformStack(Testing.app(), "platform-dev", {
      ...dev,
      cluster: {
        ...dev.cluster,
        admins: ["arn:aws:iam::210987654321:role/admin"],
        endpointAccess: { mode: "public-and-private", publicCidrs: ["52.94.0.0/22"] },
      },
      registry: { ...dev.registry, defaults: { pushPrincipalArns: ["arn:aws:iam::210987654321:role/ci"] } },
    });
    const synth = synthJson(stack);
    expect(synth.variable).toBeUndefined();
    const [vpc] = Object.values<any>(synth.resource.aws_vpc);
    expect(vpc.lifecycle).toBeUndefined();
  });
});
