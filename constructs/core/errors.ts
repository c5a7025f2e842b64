// The one error shape of the library, for code outside constructs/ (stacks, config, the app):
// they import it from here, never from constructs/private/, which is the constructs' own floor.
// `fail(where, field, value, problem, fix)` throws a ValidationError reading
// `Kind 'id': field <value> <problem>; <fix>`, with `where` from `describe("Kind", id)`.
export { ValidationError, checkKmsKeyArn, describe, fail, isToken } from "../private/validation";
