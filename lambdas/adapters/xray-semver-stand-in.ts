/**
 * Stands in for the `semver` package in the Lambda bundles (lib/constructs/bridge-function.ts,
 * BUNDLE_ALIASES). aws-xray-sdk-core, under Powertools Tracer, requires it when it loads for a single
 * call: the version check of its AWS SDK v2 patcher (`captureAWS`). The bridge uses SDK v3 only and
 * captures its clients with `captureAWSv3Client`, so that check never runs, and the real package
 * would be 29 KiB of every bundle. Written by hand because no package is "semver, never called".
 */
export function gte(): never {
  throw new Error('semver is not bundled: the X-Ray SDK patcher of the AWS SDK v2 is not used by the bridge');
}
