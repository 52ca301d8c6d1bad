/**
 * The only AWS SDK names the probe uses, imported statically here so that a bundler can keep just
 * these commands; `s3.ts` loads this module lazily, so commands that send nothing never load the
 * SDK.
 * @see https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/client/s3/
 */
export {
  GetBucketLocationCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
