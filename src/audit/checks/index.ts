import { denyFamilyChecks, denyOther } from "./deny.js";
import {
  awsManagedKey,
  defaultKeyNoId,
  keyIdNotArn,
  keyPolicyNotAudited,
  missingDecrypt,
  missingGenerateDataKey,
} from "./kms.js";
import { listOnObjectArn, listPrefixCondition } from "./list-bucket.js";
import { notPrincipalWithoutAccount } from "./not-principal.js";
import { operationDenied, operationDepends } from "./operations.js";
import { policyForOtherBucket } from "./other-bucket.js";
import { objectLock, ownershipObjectWriter, requesterPays } from "./settings.js";
import type { Check } from "./types.js";
import {
  deleteGranted,
  objectActionsWholeBucket,
  publicPrincipal,
  starAction,
  writeOutsideOutput,
} from "./wide-grants.js";

/** Every S3/KMS check, in the order their findings are reported. */
export const S3_CHECK_FUNCTIONS: readonly Check[] = [
  policyForOtherBucket,
  operationDenied,
  operationDepends,
  listOnObjectArn,
  listPrefixCondition,
  ...denyFamilyChecks,
  denyOther,
  notPrincipalWithoutAccount,
  awsManagedKey,
  defaultKeyNoId,
  keyIdNotArn,
  missingDecrypt,
  missingGenerateDataKey,
  keyPolicyNotAudited,
  deleteGranted,
  starAction,
  publicPrincipal,
  writeOutsideOutput,
  objectActionsWholeBucket,
  ownershipObjectWriter,
  objectLock,
  requesterPays,
];

export type { Check, CheckContext, RawFinding } from "./types.js";
