/// <reference types="cdktf/lib/testing/adapters/jest" />
import { Testing } from "cdktf";
import { useLazyCreationStacks } from "../constructs/core/creation-stacks";

// cdktf's matchers: toHaveResource, toHaveResourceWithProperties, toBeValidTerraform, ...
Testing.setupJest();

// Nothing in a test may reach the network (cdktf and terraform version checks included).
process.env.CHECKPOINT_DISABLE = "1";

// As the app does (main.ts): token creation stacks are formatted only when an error reads
// them. test/scripts/creation-stacks.test.ts pins that messages and output are unchanged.
useLazyCreationStacks();
