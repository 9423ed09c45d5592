import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares a presented callback token with the expected one in constant time. Both sides are hashed
 * first, so the comparison always runs over 32 bytes and neither the token's length nor the position of
 * the first wrong character shows in the timing.
 */
export function createTokenCheck(expected: string): (presented: unknown) => boolean {
  const expectedDigest = createHash("sha256").update(expected, "utf8").digest();
  return (presented) => {
    if (typeof presented !== "string" || presented.length === 0) return false;
    const digest = createHash("sha256").update(presented, "utf8").digest();
    return timingSafeEqual(digest, expectedDigest);
  };
}
