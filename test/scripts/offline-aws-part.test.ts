import { awsPartOf } from "../../scripts/offline-terraform";

// The AWS-only cut the offline tier makes of a mixed stack (a unit test: no terraform needed).
const MIXED = {
  provider: { aws: [{ region: "eu-west-1" }], kubernetes: [{ host: "h" }], helm: [{ kubernetes: { host: "h" } }] },
  terraform: {
    required_providers: {
      aws: { source: "aws", version: "5.100.0" },
      helm: { source: "helm", version: "3.1.1" },
      kubernetes: { source: "kubernetes", version: "2.38.0" },
    },
  },
  data: { kubernetes_namespace_v1: { ns: { metadata: { name: "x" } } } },
  resource: {
    aws_iam_role: { role: { name: "r" } },
    aws_iam_role_policy: { policy: { role: "${aws_iam_role.role.id}", depends_on: ["helm_release.chart"] } },
    helm_release: { chart: { name: "c", depends_on: ["aws_iam_role_policy.policy"] } },
    kubernetes_ingress_class_v1: { alb: { metadata: { name: "alb" } } },
  },
  output: {
    role_arn: { value: "${aws_iam_role.role.arn}" },
    chart_status: { value: "${helm_release.chart.status}" },
  },
};

describe("awsPartOf", () => {
  it("drops the kubernetes and helm providers, resources, data sources, outputs and depends_on naming them", () => {
    const { config, dropped } = awsPartOf(MIXED);
    expect(dropped).toEqual({ helm_release: 1, kubernetes_ingress_class_v1: 1, kubernetes_namespace_v1: 1 });
    expect(config.provider).toEqual({ aws: [{ region: "eu-west-1" }] });
    expect(config.terraform.required_providers).toEqual({ aws: { source: "aws", version: "5.100.0" } });
    expect(config.data).toBeUndefined();
    expect(Object.keys(config.resource)).toEqual(["aws_iam_role", "aws_iam_role_policy"]);
    expect(config.resource.aws_iam_role_policy.policy).toEqual({ role: "${aws_iam_role.role.id}" });
    expect(Object.keys(config.output)).toEqual(["role_arn"]);
    // The input is left as it was.
    expect(MIXED.resource.helm_release).toBeDefined();
  });

  it("throws when an AWS resource refers to a Kubernetes-side one", () => {
    const broken = {
      ...MIXED,
      resource: { ...MIXED.resource, aws_ssm_parameter: { p: { value: "${helm_release.chart.status}" } } },
    };
    expect(() => awsPartOf(broken)).toThrow(
      "aws_ssm_parameter.p refers to helm_release.chart, which an AWS-only plan removes; the AWS side of this stack can't be planned alone",
    );
  });
});
