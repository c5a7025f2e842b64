import { fail, isToken } from "./validation";

// Image reference rules shared by the registry (imageReference) and the workloads (container images).

/** Docker's tag grammar: up to 128 characters, no leading `.` or `-`. */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** An OCI content digest as ECR produces it (sha256 only). */
export const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;

export const DIGEST_FIX =
  'use "sha256:" followed by 64 lowercase hex characters, as printed by `docker buildx imagetools inspect` or ECR';
export const TAG_FIX = "use 1 to 128 characters: letters, digits, _ . -, not starting with . or -";
export const LATEST_PROBLEM = "is a floating tag, so what runs changes without a deploy and rollbacks are impossible";

/**
 * Checks a full image reference (`repo[:tag][@digest]`) as a container spec takes it: pinned
 * by digest or by a version tag. Untagged references (which mean `latest`) and `latest`
 * itself are refused unless `allowLatest`. References holding tokens (e.g. built from a
 * repository URL of another stack) are checked only in their literal tag or digest part.
 */
export function checkImage(where: string, field: string, image: string, allowLatest: boolean): void {
  if (typeof image !== "string" || image.length === 0) {
    fail(where, field, image ?? "", "is empty", 'give an image reference pinned by tag or digest, e.g. "nginx:1.27.3"');
  }
  if (isToken(image) && !/[:@][^/]*$/.test(image.replace(/\$\{[^}]*\}/g, "x"))) return; // fully unknown: checked at apply
  if (/\s/.test(image)) fail(where, field, image, "contains whitespace", "remove it");
  const at = image.lastIndexOf("@");
  if (at >= 0) {
    const digest = image.slice(at + 1);
    if (!isToken(digest) && !IMAGE_DIGEST.test(digest)) fail(where, field, image, "has an invalid digest", DIGEST_FIX);
    return;
  }
  // The tag follows the last ':' after the last '/': a registry port ("host:5000/app") is not a tag.
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  if (colon <= slash) {
    if (allowLatest) return;
    fail(
      where,
      field,
      image,
      "has no tag or digest, so it means `latest`: what runs changes without a deploy and rollbacks are impossible",
      'pin a digest ("repo@sha256:...") or a version tag ("repo:1.2.3"), or pass allowLatest: true to accept it knowingly',
    );
  }
  const tag = image.slice(colon + 1);
  if (isToken(tag)) return;
  if (!IMAGE_TAG.test(tag)) fail(where, field, image, `has an invalid tag "${tag}"`, TAG_FIX);
  if (tag === "latest" && !allowLatest) {
    fail(
      where,
      field,
      image,
      LATEST_PROBLEM,
      "pin a digest or a version tag, or pass allowLatest: true to accept it knowingly",
    );
  }
}
