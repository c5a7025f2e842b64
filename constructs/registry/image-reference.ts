import { IMAGE_DIGEST, IMAGE_TAG } from "../private/image";
import { renderImageReference } from "../private/image-reference";
import { describe, isToken } from "../private/validation";

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
