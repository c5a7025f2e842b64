import { App } from "cdktf";
import { buildApp } from "/work/wt/policy/main";
buildApp(new App(), undefined, { policy: false }).synth();
