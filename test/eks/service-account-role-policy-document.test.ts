import { TerraformStack } from "cdktf";
import {
  PolicyDocument,
  ServiceAccountRole,
  ServiceAccountRoleOptions,
} from "../../constructs/eks/service-account-role";
import { FakeCluster, resourcesOf, testNetwork, testStack } from "../fixtures";

const CONDITIONED: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "OwnTagged",
      Effect: "Allow",
      Action: ["ec2:DeleteSecurityGroup"],
      Resource: "*",
      Condition: { Null: { "aws:ResourceTag/team": "false" } },
    },
    { Effect: "Allow", Action: "ec2:DescribeVpcs", Resource: "*" },
  ],
};

function build(options: Partial<ServiceAccountRoleOptions>): TerraformStack {
  const stack = testStack();
  const cluster = new FakeCluster(stack, "cluster", testNetwork(stack));
  new ServiceAccountRole(stack, "app", { cluster, namespace: "shop", serviceAccount: "api", ...options });
  return stack;
}

const withStatements = (Statement: any[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

describe("ServiceAccountRole policyDocument", () => {
  it("writes the document as the role's inline policy, conditions and Sids included", () => {
    const stack = build({ policyDocument: CONDITIONED });
    const policies = Object.entries<any>(resourcesOf(stack, "aws_iam_role_policy"))
      .filter(([id]) => id.startsWith("app_"))
      .map(([, p]) => p);
    expect(policies).toHaveLength(1);
    expect(policies[0].name).toBe("permissions");
    expect(JSON.parse(policies[0].policy)).toEqual(CONDITIONED);
  });

  it("throws when given together with policyStatements", () => {
    expect(() =>
      build({
        policyDocument: CONDITIONED,
        policyStatements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }],
      }),
    ).toThrow(
      `ServiceAccountRole 'app': policyDocument "2 statements" is given together with policyStatements; give the permissions one way: move the policyStatements into policyDocument.Statement, or drop policyDocument`,
    );
  });

  it('throws when a statement grants "*"', () => {
    expect(() => build({ policyDocument: withStatements([{ Effect: "Allow", Action: "*", Resource: "*" }]) })).toThrow(
      `ServiceAccountRole 'app': policyDocument.Statement[0].Action entry "*" grants every action in every AWS service; name the actions the workload needs`,
    );
  });

  it("throws when an action is not service:Action", () => {
    expect(() =>
      build({ policyDocument: withStatements([{ Effect: "Allow", Action: ["GetObject"], Resource: "*" }]) }),
    ).toThrow(`ServiceAccountRole 'app': policyDocument.Statement[0].Action entry "GetObject" is not an IAM action`);
  });

  it("throws when Resource is empty", () => {
    expect(() =>
      build({ policyDocument: withStatements([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: [] }]) }),
    ).toThrow(`ServiceAccountRole 'app': policyDocument.Statement[0].Resource [] is empty`);
  });

  it("throws when Effect is missing", () => {
    expect(() => build({ policyDocument: withStatements([{ Action: ["s3:GetObject"], Resource: "*" }]) })).toThrow(
      `ServiceAccountRole 'app': policyDocument.Statement[0].Effect undefined is missing; use "Allow" or "Deny"`,
    );
  });

  it("throws when Version is not 2012-10-17", () => {
    expect(() => build({ policyDocument: { ...CONDITIONED, Version: "2008-10-17" as any } })).toThrow(
      `ServiceAccountRole 'app': policyDocument.Version "2008-10-17" is not the current IAM policy language version; use "2012-10-17"`,
    );
  });

  it("throws when there are no statements", () => {
    expect(() => build({ policyDocument: withStatements([]) })).toThrow(
      `ServiceAccountRole 'app': policyDocument.Statement [] is empty; list at least one statement`,
    );
  });

  it("throws when a condition operator is not one", () => {
    expect(() =>
      build({
        policyDocument: withStatements([
          { Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { "String Equals": { a: "b" } } },
        ]),
      }),
    ).toThrow(
      `ServiceAccountRole 'app': policyDocument.Statement[0].Condition operator "String Equals" is not an IAM condition operator`,
    );
  });

  it("throws when the document exceeds IAM's inline policy size", () => {
    const resources = Array.from({ length: 400 }, (_, i) => `arn:aws:s3:::bucket-number-${i}/*`);
    expect(() =>
      build({ policyDocument: withStatements([{ Effect: "Allow", Action: "s3:GetObject", Resource: resources }]) }),
    ).toThrow(/^ServiceAccountRole 'app': policyDocument "\d+ characters" exceeds IAM's 10240-character limit/);
  });
});
