import type { ImageTag, ImageVersion } from "../registry/image-reference";
import { DIGEST_FIX, IMAGE_DIGEST, IMAGE_TAG, LATEST_PROBLEM, TAG_FIX } from "./image";
import { fail, isToken } from "./validation";

/** imageReference with the caller's name in error messages (e.g. "Repository 'shop/api'"). */
export function renderImageReference(where: string, repositoryUrl: string, version: ImageVersion): string {
  if (!isToken(repositoryUrl)) {
    if (
      repositoryUrl.length === 0 ||
      /[@\s]/.test(repositoryUrl) ||
      /:[^/]*$/.test(repositoryUrl.replace(/^[^/]*/, ""))
    ) {
      fail(
        where,
        "repositoryUrl",
        repositoryUrl,
        "is not a bare repository URL",
        "pass the URL without tag or digest, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api",
      );
    }
  }
  const { digest, tag } = version as { digest?: string; tag?: string };
  if (digest !== undefined && tag !== undefined) {
    fail(
      where,
      "image version",
      { digest, tag },
      "sets both digest and tag",
      "pass only the digest (preferred: it pins exact bytes) or only the tag",
    );
  }
  if (digest !== undefined) {
    if (!isToken(digest) && !IMAGE_DIGEST.test(digest)) {
      fail(where, "digest", digest, "is not an image digest", DIGEST_FIX);
    }
    return `${repositoryUrl}@${digest}`;
  }
  if (tag === undefined) {
    fail(
      where,
      "image version",
      version,
      "has neither digest nor tag",
      'pass { digest: "sha256:..." } (preferred) or { tag: "1.2.3" }',
    );
  }
  if (!isToken(tag)) {
    if (!IMAGE_TAG.test(tag)) {
      fail(where, "tag", tag, "is not a valid Docker tag", TAG_FIX);
    }
    if (tag === "latest" && (version as ImageTag).allowLatest !== true) {
      fail(
        where,
        "tag",
        tag,
        LATEST_PROBLEM,
        "pin a digest or a version tag, or pass allowLatest: true to accept it knowingly",
      );
    }
  }
  return `${repositoryUrl}:${tag}`;
}
