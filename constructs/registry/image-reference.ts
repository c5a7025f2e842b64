import { DIGEST_FIX, IMAGE_DIGEST, IMAGE_TAG, LATEST_PROBLEM, TAG_FIX } from "../private/image";
import { describe, fail, isToken } from "../private/validation";

export { IMAGE_DIGEST, IMAGE_TAG };

/**
 * Which image of a repository to run. A digest (`sha256:...`) is the preferred form: it
 * names exact bytes, so a node pulling later or in another region runs the same image.
 * A tag is accepted; `latest` only with an explicit `allowLatest: true`, because a floating
 * tag makes "what is running" unanswerable and rollbacks impossible.
 */
export type ImageVersion = ImageDigest | ImageTag;

export interface ImageDigest {
  /** `sha256:` followed by 64 lowercase hex characters. */
  readonly digest: string;
  /**
   * Not with a digest: the digest alone names the image.
   * @default - none
   */
  readonly tag?: never;
}

export interface ImageTag {
  /** A Docker tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`. */
  readonly tag: string;
  /**
   * Accept the tag `latest`.
   * @default false
   */
  readonly allowLatest?: boolean;
  /**
   * Not with a tag: pass `{ digest }` instead to pin the image.
   * @default - none
   */
  readonly digest?: never;
}

/**
 * Builds `<repositoryUrl>@sha256:<digest>` or `<repositoryUrl>:<tag>` for a container spec,
 * validating the digest or tag at synth time (tokens pass unchecked). Works with any
 * repository URL, e.g. `imageReference(repo.repositoryUrl, { digest })` or a URL from
 * another stack or account.
 */
export function imageReference(repositoryUrl: string, version: ImageVersion): string {
  const where = describe("Image", isToken(repositoryUrl) ? "<repository url>" : repositoryUrl);
  return renderImageReference(where, repositoryUrl, version);
}

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
