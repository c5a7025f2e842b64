/// <reference types="cdktf/lib/testing/adapters/jest" />
import { Testing } from "cdktf";

// cdktf's matchers: toHaveResource, toHaveResourceWithProperties, toBeValidTerraform, ...
Testing.setupJest();

// Nothing in a test may reach the network (cdktf and terraform version checks included).
process.env.CHECKPOINT_DISABLE = "1";
