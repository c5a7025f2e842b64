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

// The image reference grammar of distribution/reference (regexp.go at commit 00a09fa, read 2025),
// what containerd and Docker parse a pod's image with (a reference that doesn't match fails the
// pull with "invalid reference format"; the API server only refuses an empty image):
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [ domain "/" ] path-component [ "/" path-component ]*   (at most 255 characters)
//   domain    := host [ ":" port ]   host: DNS-like components (either case) or "[ipv6]"
//   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*   (lower case only)
//   tag       := [\w][\w.-]{0,127}
//   digest    := algorithm ":" hex, 32+ hex characters
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^(${NAME})(?::[\\w][\\w.-]{0,127})?(?:@${DIGEST})?$`);
/** The longest name (domain and path) distribution/reference accepts (NameTotalLengthMax). */
const NAME_MAX = 255;
/**
 * Digests a container image may be pinned by: the algorithms go-digest (containerd) registers,
 * each with its hex length. The registry's own references (imageReference) stay sha256, ECR's.
 */
const CONTAINER_DIGEST = /^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;

/** A stand-in for a token inside an image, valid wherever the token could be (domain, path, tag). */
const TOKEN_STAND_IN = "tok";

/**
 * Checks a full image reference (`[domain/]path[:tag][@digest]`) as a container spec takes it:
 * the grammar above, pinned by digest or by a version tag. Untagged references (which mean
 * `latest`) and `latest` itself are refused unless `allowLatest`. Tokens inside a reference (a
 * repository URL of another stack, a tag from a variable) are never compared: the literal parts
 * around them are checked.
 */
export function checkImage(where: string, field: string, image: string, allowLatest: boolean): void {
  if (typeof image !== "string" || image.length === 0) {
    fail(where, field, image ?? "", "is empty", 'give an image reference pinned by tag or digest, e.g. "nginx:1.27.3"');
  }
  if (isToken(image) && !/[:@][^/]*$/.test(image.replace(/\$\{[^}]*\}/g, "x"))) return; // fully unknown: checked at apply
  if (/\s/.test(image)) fail(where, field, image, "contains whitespace", "remove it");
  const url = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/.exec(image);
  if (url) {
    const bare = url[2].replace(/\/+$/, "");
    fail(
      where,
      field,
      image,
      `is a URL (${url[1]}://), not an image reference`,
      `drop the scheme: "${bare}" (registry host, repository path, then :tag or @digest)`,
    );
  }
  // Tokens stand in for any valid part; only the literal text around them is checked.
  const literal = isToken(image) ? image.replace(/\$\{[^}]*\}/g, TOKEN_STAND_IN) : image;
  const at = image.indexOf("@");
  const nameAndTag = at >= 0 ? image.slice(0, at) : image;
  // The tag follows the last ':' after the last '/': a registry port ("host:5000/app") is not a tag.
  const colon = nameAndTag.lastIndexOf(":");
  const tag = colon > nameAndTag.lastIndexOf("/") ? nameAndTag.slice(colon + 1) : undefined;
  const name = tag !== undefined ? nameAndTag.slice(0, colon) : nameAndTag;
  checkName(where, field, image, isToken(name) ? name.replace(/\$\{[^}]*\}/g, TOKEN_STAND_IN) : name);
  if (at >= 0) {
    const digest = image.slice(at + 1);
    if (!isToken(digest) && !CONTAINER_DIGEST.test(digest))
      fail(where, field, image, "has an invalid digest", DIGEST_FIX);
  }
  if (tag !== undefined && !isToken(tag)) {
    if (!IMAGE_TAG.test(tag)) fail(where, field, image, `has an invalid tag "${tag}"`, TAG_FIX);
    if (tag === "latest" && at < 0 && !allowLatest) {
      fail(
        where,
        field,
        image,
        LATEST_PROBLEM,
        "pin a digest or a version tag, or pass allowLatest: true to accept it knowingly",
      );
    }
  }
  if (tag === undefined && at < 0 && !allowLatest) {
    fail(
      where,
      field,
      image,
      "has no tag or digest, so it means `latest`: what runs changes without a deploy and rollbacks are impossible",
      'pin a digest ("repo@sha256:...") or a version tag ("repo:1.2.3"), or pass allowLatest: true to accept it knowingly',
    );
  }
  if (!REFERENCE.test(literal)) {
    fail(where, field, image, "is not a valid image reference", REFERENCE_FIX);
  }
}

const REFERENCE_FIX =
  "use [registry[:port]/]path[:tag][@digest], e.g. \"public.ecr.aws/nginx/nginx:1.27.3\": path components of lower-case letters and digits, separated by '.', '_', '__' or '-'";

/** The name part: length, and the path in lower case with the separators the grammar allows. */
function checkName(where: string, field: string, image: string, name: string): void {
  if (name.length > NAME_MAX) {
    fail(
      where,
      field,
      image,
      `has a ${name.length}-character name`,
      `use at most ${NAME_MAX} characters before the tag`,
    );
  }
  if (!new RegExp(`^${NAME}$`).test(name)) {
    // The first component is a registry when it has a '.' or a ':' or is localhost (normalize.go).
    const first = name.split("/")[0];
    const hasDomain =
      name.includes("/") && (/[.:]/.test(first) || first === "localhost" || first !== first.toLowerCase());
    const path = hasDomain ? name.slice(first.length + 1) : name;
    if (
      path !== path.toLowerCase() &&
      new RegExp(`^${NAME}$`).test(hasDomain ? `${first}/${path.toLowerCase()}` : path.toLowerCase())
    ) {
      const fixed = image.replace(path, path.toLowerCase());
      fail(
        where,
        field,
        image,
        `has upper-case letters in its repository path "${path}" (repository names are lower case; the pull fails with "invalid reference format")`,
        `use "${fixed}"`,
      );
    }
    fail(where, field, image, "is not a valid image reference", REFERENCE_FIX);
  }
}
