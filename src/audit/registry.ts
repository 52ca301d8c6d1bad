import type { CheckInfo } from "./types.js";

const IAM_GUIDE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/";
const S3_GUIDE = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/";
const S3_API = "https://docs.aws.amazon.com/AmazonS3/latest/API/";
const KMS_GUIDE = "https://docs.aws.amazon.com/kms/latest/developerguide/";

/**
 * The S3 and KMS checks of `nimble-bucket audit`: stable ids, severity and text, kept as data.
 * Checks emit only ids and messages; this table binds the rest. The README's table and
 * `--explain ID` are both rendered from it.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export const S3_CHECKS: readonly CheckInfo[] = [
  {
    id: "S3-POLICY-OTHER-BUCKET",
    severity: "error",
    title: "No statement of the bucket policy names the audited bucket",
    explanation:
      "Every Resource of the policy is another bucket's ARN. A bucket policy grants only on " +
      "its own bucket, so this file is most likely another bucket's policy, or --bucket " +
      "(or the s3:// URL) names the wrong bucket; every operation is then denied.",
    fix: "Audit with the bucket the policy belongs to, or the policy of this bucket.",
    see: `${S3_GUIDE}bucket-policies.html`,
  },
  {
    id: "S3-OPERATION-DENIED",
    severity: "error",
    title: "An operation Nimble needs is not allowed by the bucket or key policy",
    explanation:
      "The customer's policy does not allow one of the requests Nimble makes. An explicit Deny " +
      "names the statement that refuses it; an implicit denial means no statement grants it.",
    fix: "Add the grant (nimble-bucket policy s3|kms ... --merge), or narrow the Deny that refuses it.",
    see: `${IAM_GUIDE}reference_policies_evaluation-logic.html`,
  },
  {
    id: "S3-OPERATION-DEPENDS",
    severity: "warning",
    title: "Whether an operation is allowed depends on request values that cannot be known here",
    explanation:
      "A condition reads a key whose value Nimble's request carries but " +
      "this audit cannot know (its source IP, VPC endpoint, request " +
      "headers, organization). The operation may succeed or fail.",
    fix: "Exempt Nimble's principal from the condition, or confirm with a probe.",
    see: `${IAM_GUIDE}reference_policies_condition-keys.html`,
  },
  {
    id: "S3-LIST-ON-OBJECT-ARN",
    severity: "error",
    title: "s3:ListBucket is granted only on an object ARN (bucket/*), where it never applies",
    explanation:
      "s3:ListBucket is authorized against the bucket ARN arn:aws:s3:::BUCKET. A resource " +
      "such as arn:aws:s3:::BUCKET/* needs a '/' after the name, so the grant is dead: " +
      "HeadBucket and listing are refused, and a missing key answers 403 instead of 404.",
    fix: "Grant s3:ListBucket on arn:aws:s3:::BUCKET.",
    see: `${S3_GUIDE}using-with-s3-policy-actions.html`,
  },
  {
    id: "S3-LIST-PREFIX-CONDITION",
    severity: "error",
    title: "s3:ListBucket is limited by s3:prefix or s3:delimiter, which refuses HeadBucket",
    explanation:
      "HeadBucket is authorized as s3:ListBucket and carries no prefix or delimiter; " +
      "a String condition on a key absent from the request is false, so the " +
      "conditioned Allow does not apply and Test Connection's first step gets 403.",
    fix:
      "Grant s3:ListBucket without the s3:prefix/s3:delimiter " +
      "condition (Nimble's template does).",
    see: `${S3_API}API_HeadBucket.html`,
  },
  {
    id: "S3-DENY-VPC-ENDPOINT",
    severity: "error",
    title: "A Deny limited to a VPC endpoint or VPC also refuses Nimble",
    explanation:
      "Nimble calls S3 from its own network, never through the customer's VPC endpoint, " +
      "so a Deny with aws:SourceVpce/aws:SourceVpc in a negated condition applies to it.",
    fix: "Exempt Nimble's principal in the same Deny (aws:PrincipalArn with ArnNotEquals).",
    see: `${S3_GUIDE}example-bucket-policies-vpc-endpoint.html`,
  },
  {
    id: "S3-DENY-SOURCE-IP",
    severity: "error",
    title: "A Deny limited to source IP addresses may refuse Nimble",
    explanation:
      "Nimble does not publish the addresses its requests come " +
      "from, so a Deny on aws:SourceIp cannot be known to spare it.",
    fix: "Exempt Nimble's principal with aws:PrincipalArn.",
    see: `${IAM_GUIDE}reference_policies_condition-keys.html#condition-keys-sourceip`,
  },
  {
    id: "S3-DENY-ORG-PERIMETER",
    severity: "error",
    title: "A Deny for principals outside the customer's organization refuses Nimble",
    explanation:
      "Nimble's account is not in the customer's AWS Organization, so a Deny on " +
      "aws:PrincipalOrgID/aws:PrincipalOrgPaths (or aws:PrincipalAccount) catches it.",
    fix: "Add Nimble's account or principal ARN to the perimeter's exceptions.",
    see: `${IAM_GUIDE}reference_policies_condition-keys.html#condition-keys-principalorgid`,
  },
  {
    id: "S3-DENY-REQUIRES-SSE-HEADER",
    severity: "error",
    title: "A Deny requires an encryption header on uploads",
    explanation:
      "Default bucket encryption does not add x-amz-server-side-encryption to " +
      "the request, so a Deny on its absence (Null: true) refuses uploads that " +
      "rely on default encryption, including Test Connection's test object.",
    fix: "Rely on default encryption and drop the Deny, or exempt Nimble's principal.",
    see: `${S3_GUIDE}UsingServerSideEncryption.html`,
  },
  {
    id: "S3-DENY-REQUIRES-ACL-HEADER",
    severity: "error",
    title: "A Deny requires an ACL header on uploads",
    explanation:
      "A Deny on s3:x-amz-acl or s3:x-amz-grant-* refuses uploads without that " +
      "header. Nimble's docs do not say which ACL header its uploads send.",
    fix:
      "Use Object Ownership BucketOwnerEnforced instead " +
      "of ACL conditions, or exempt Nimble's principal.",
    see: `${S3_GUIDE}ensure-object-ownership.html`,
  },
  {
    id: "S3-DENY-NOT-PRINCIPAL",
    severity: "error",
    title: "A Deny with NotPrincipal excludes only other principals, so it refuses Nimble",
    explanation:
      "Deny + NotPrincipal denies everyone not listed. Nimble's user " +
      "is not listed, so every request it makes is explicitly denied.",
    fix:
      "Prefer Principal '*' with an aws:PrincipalArn " +
      "condition listing Nimble's user among the exceptions.",
    see: `${IAM_GUIDE}reference_policies_elements_notprincipal.html`,
  },
  {
    id: "S3-DENY-CATCHES-NIMBLE",
    severity: "error",
    title: "A Deny statement refuses a request Nimble makes",
    explanation: "An explicit Deny overrides every Allow.",
    fix: "Narrow the Deny or exempt Nimble's principal with an aws:PrincipalArn condition.",
    see: `${IAM_GUIDE}reference_policies_evaluation-logic.html`,
  },
  {
    id: "S3-NOTPRINCIPAL-WITHOUT-ACCOUNT",
    severity: "error",
    title: "NotPrincipal lists a user or role without its account root",
    explanation:
      "With Deny + NotPrincipal, AWS requires the account ARN of each " +
      "principal that must not be denied to be listed as well; otherwise " +
      "the Deny can apply to the whole account, that principal included.",
    fix:
      "Add arn:aws:iam::ACCOUNT:root next to the user, or better, " +
      "use Principal '*' with an aws:PrincipalArn condition.",
    see: `${IAM_GUIDE}reference_policies_elements_notprincipal.html`,
  },
  {
    id: "S3-DELETE-GRANTED",
    severity: "warning",
    title: "Nimble is granted delete rights it never uses",
    explanation:
      "Nimble never deletes anything. A grant that includes " +
      "s3:Delete* lets a leaked Nimble credential destroy data.",
    fix: "Remove the delete actions from the statement.",
    see: `${S3_GUIDE}using-with-s3-policy-actions.html`,
  },
  {
    id: "S3-STAR-ACTION",
    severity: "warning",
    title: "A statement that applies to Nimble grants every action (s3:* or *)",
    explanation:
      "Nimble needs a handful of actions; s3:* also grants deletes, policy and ACL changes.",
    fix: "List the actions of Nimble's template only.",
    see: `${IAM_GUIDE}reference_policies_elements_action.html`,
  },
  {
    id: "POLICY-PUBLIC-PRINCIPAL",
    severity: "error",
    title: "An Allow to Principal '*' (or with NotPrincipal) has no condition limiting the caller",
    explanation:
      "Principal '*', or an Allow with NotPrincipal (everyone not listed), without a " +
      "condition such as aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalOrgID, " +
      "aws:SourceVpce or kms:CallerAccount grants every AWS account and, in a bucket " +
      "policy, anonymous callers: the bucket is public.",
    fix: "Name Nimble's principal in Principal instead (never Allow with NotPrincipal).",
    see: `${IAM_GUIDE}reference_policies_elements_notprincipal.html`,
  },
  {
    id: "S3-WRITE-OUTSIDE-OUTPUT",
    severity: "warning",
    title: "Nimble may write outside the prefix it writes to",
    explanation:
      "The policy lets Nimble's principal put objects outside the prefix it writes to (Jobs: " +
      "the output prefix, so also into the input prefix; delivery: the storage_url prefix).",
    fix: "Limit s3:PutObject to arn:aws:s3:::BUCKET/PREFIX/* for the prefix Nimble writes to.",
    see: `${IAM_GUIDE}reference_policies_elements_resource.html`,
  },
  {
    id: "S3-OBJECT-ACTIONS-WHOLE-BUCKET",
    severity: "warning",
    title: "Object actions for Nimble are granted on the whole bucket, not its prefixes",
    explanation:
      "A Resource of arn:aws:s3:::BUCKET/* (or *) covers every key. Jobs read only the input " +
      "prefix and write only the output prefix; delivery writes only under the storage_url prefix.",
    fix: "Scope the Resource to the prefixes Nimble uses (the finding names them).",
    see: `${IAM_GUIDE}reference_policies_elements_resource.html`,
  },
  {
    id: "KMS-AWS-MANAGED-KEY",
    severity: "error",
    title: "Bucket data is encrypted with an AWS managed key (aws/s3), unusable cross-account",
    explanation:
      "The policy of an AWS managed key cannot be edited and allows only the bucket's " +
      "own account (kms:CallerAccount), so Nimble can never decrypt objects under it.",
    fix:
      "Switch default encryption to a customer managed " +
      "key whose policy allows Nimble, or to SSE-S3.",
    see: `${KMS_GUIDE}concepts.html#aws-managed-cmk`,
  },
  {
    id: "KMS-DEFAULT-KEY-NO-ID",
    severity: "error",
    title: "SSE-KMS default encryption names no key, so S3 uses the AWS managed key aws/s3",
    explanation:
      "Without KMSMasterKeyID, S3 encrypts with the account's " +
      "aws/s3 key, which another account cannot use.",
    fix: "Set KMSMasterKeyID to the full ARN of a customer managed key.",
    see: `${S3_API}API_ServerSideEncryptionByDefault.html`,
  },
  {
    id: "KMS-KEY-ID-NOT-ARN",
    severity: "warning",
    title: "Default encryption names its KMS key by id or alias instead of a full ARN",
    explanation:
      "For cross-account requests S3 resolves a key id or alias in the requester's " +
      "account, so Nimble's objects may be encrypted with a key of Nimble's account.",
    fix: "Use the key's full ARN in KMSMasterKeyID.",
    see: `${S3_API}API_ServerSideEncryptionByDefault.html`,
  },
  {
    id: "KMS-MISSING-DECRYPT",
    severity: "error",
    title: "The key policy does not allow Nimble kms:Decrypt",
    explanation:
      "S3 calls kms:Decrypt as the requester to read SSE-KMS objects and to complete " +
      "multipart uploads, so reads fail and large uploads fail at UploadPart.",
    fix:
      "Add kms:Decrypt to Nimble's key-policy statement " +
      "(nimble-bucket policy kms --merge), or narrow the Deny.",
    see: `${S3_GUIDE}mpuoverview.html#mpuAndPermissions`,
  },
  {
    id: "KMS-MISSING-GENERATE-DATA-KEY",
    severity: "error",
    title: "The key policy does not allow Nimble kms:GenerateDataKey",
    explanation:
      "S3 calls kms:GenerateDataKey as the requester to encrypt " +
      "each new SSE-KMS object, so Nimble's uploads fail.",
    fix:
      "Add kms:GenerateDataKey to Nimble's key-policy statement " +
      "(nimble-bucket policy kms --merge), or narrow the Deny.",
    see: `${S3_GUIDE}UsingKMSEncryption.html`,
  },
  {
    id: "KMS-KEY-POLICY-NOT-AUDITED",
    severity: "info",
    title: "The bucket uses SSE-KMS but the key policy was not audited",
    explanation:
      "Cross-account SSE-KMS needs the key policy to allow Nimble; this audit did not see it.",
    fix: "Pass --key-policy FILE, or audit live with kms:GetKeyPolicy rights.",
    see: `${KMS_GUIDE}key-policy-modifying-external-accounts.html`,
  },
  {
    id: "S3-OWNERSHIP-OBJECT-WRITER",
    severity: "warning",
    title: "Object Ownership is ObjectWriter: objects Nimble writes stay Nimble's",
    explanation:
      "With ObjectWriter the uploading account owns each object, and " +
      "the bucket owner may not be able to read Nimble's output.",
    fix: "Set Object Ownership to BucketOwnerEnforced.",
    see: `${S3_GUIDE}about-object-ownership.html`,
  },
  {
    id: "S3-OBJECT-LOCK",
    severity: "warning",
    title: "Object Lock is enabled: uploads need a checksum header",
    explanation:
      "S3 refuses uploads to a bucket with Object Lock retention unless they carry " +
      "Content-MD5 or an x-amz-sdk-checksum-algorithm header, and locked objects " +
      "cannot be overwritten. Nimble's docs do not say that its uploads send one.",
    fix: "Confirm with Nimble, or use a bucket without default retention.",
    see: `${S3_API}API_PutObject.html`,
  },
  {
    id: "S3-REQUESTER-PAYS",
    severity: "warning",
    title: "Requester Pays is enabled: Nimble's requests must send x-amz-request-payer",
    explanation:
      "On a Requester Pays bucket S3 refuses a cross-account request " +
      "that does not acknowledge the charge with x-amz-request-payer: " +
      "requester (403). Nimble's docs do not say it sends the header.",
    fix: "Turn Requester Pays off for this bucket.",
    see: `${S3_GUIDE}ObjectsinRequesterPaysBuckets.html`,
  },
  {
    id: "S3-BUCKET-NOT-FOUND",
    severity: "error",
    title: "The bucket does not exist",
    explanation:
      "S3 answered NoSuchBucket: the bucket name is wrong, or the bucket " +
      'was deleted. Test Connection shows "Bucket does not exist".',
    fix: "Check the bucket name.",
    see: `${S3_API}ErrorResponses.html`,
  },
  {
    id: "AUDIT-COULD-NOT-READ",
    severity: "warning",
    title: "The auditor could not read a bucket or key setting",
    explanation:
      "The credentials used for the audit lack a read permission (for example " +
      "s3:GetBucketPolicy, kms:GetKeyPolicy or storage.buckets.getIamPolicy), the server " +
      "could not be reached, or its answer was not what the API returns (an HTML page from " +
      "a proxy, an empty body, a policy that is not JSON), so that part was not audited.",
    fix: "Audit with credentials and an endpoint that can read it, or audit offline from files.",
    see: `${S3_API}API_GetBucketPolicy.html`,
  },
  {
    id: "AUDIT-CHECK-FAILED",
    severity: "error",
    title: "A check could not evaluate",
    explanation:
      "A check stopped with an unexpected error; its " +
      "part of the audit is missing and the rest ran.",
    fix: "Please report it with the policy that caused it.",
  },
  {
    id: "AUDIT-AWS-DISAGREES",
    severity: "warning",
    title: "AWS's policy simulator disagrees with this tool's decision",
    explanation:
      "--confirm-with-aws asked IAM SimulateCustomPolicy " +
      "for the same request and got a different decision.",
    fix: "Trust AWS's answer, and please report the policy.",
    see: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html",
  },
  {
    id: "AUDIT-AWS-CONFIRM-FAILED",
    severity: "warning",
    title: "--confirm-with-aws could not ask AWS's policy simulator",
    explanation:
      "IAM SimulateCustomPolicy answered with an error (no iam:SimulateCustomPolicy right, " +
      "a server error) or could not be reached, so this tool's decisions were not confirmed. " +
      "The rest of the audit is complete.",
    fix: "Retry with credentials allowed iam:SimulateCustomPolicy, or drop --confirm-with-aws.",
    see: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html",
  },
];

/**
 * Finds a check's text by id among the given checks (S3's by default).
 * @param id - the check id, case-insensitive
 * @param checks - the registry to search, e.g. S3 and GCS checks together
 * @returns the check, or undefined
 */
export function findCheck(
  id: string,
  checks: readonly CheckInfo[] = S3_CHECKS,
): CheckInfo | undefined {
  const wanted = id.toUpperCase();
  return checks.find((check) => check.id === wanted);
}
