import { Annotations } from "cdktf";
import { IConstruct } from "constructs";

// How a construct names itself in errors and warnings, and the one way it warns.
// A construct registers its name once (`Kind 'id'`); its children read it with contextOf, so
// an error raised in a child (a node group's launch template, a cluster's add-ons) names the
// construct the user configured, without a `where`/`owner` string passed through public props.

const CONTEXT = new WeakMap<IConstruct, string>();

/** Records how errors name `construct`, e.g. "EksCluster 'main'"; returns it. */
export function registerContext(construct: IConstruct, where: string): string {
  CONTEXT.set(construct, where);
  return where;
}

/** How errors name `construct`, when it registered a name. */
export function contextOf(construct: IConstruct | undefined): string | undefined {
  return construct === undefined ? undefined : CONTEXT.get(construct);
}

/** A warning on `construct`, shown at synth: `<where>: <message>`. */
export function warn(construct: IConstruct, where: string, message: string): void {
  Annotations.of(construct).addWarning(`${where}: ${message}`);
}

/**
 * Warnings only knowable at synth (after later add* calls): `check` runs once, when the app is
 * validated, and each message it returns becomes a warning. Errors known only at synth go through
 * `node.addValidation` returning their messages (cdktf then fails the synth with them).
 */
export function warnAtSynth(construct: IConstruct, where: string, check: () => string[]): void {
  let checked = false;
  construct.node.addValidation({
    validate: () => {
      if (!checked) {
        checked = true;
        for (const message of check()) warn(construct, where, message);
      }
      return [];
    },
  });
}
