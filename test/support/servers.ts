import { inject } from "vitest";

/** Endpoints of the servers test/setup/servers.ts started (null when not started). */
export interface ServersInfo {
  rgw: string | null;
  moto: string | null;
  /** Why a server was not started */
  skipped: Record<string, string>;
}

declare module "vitest" {
  export interface ProvidedContext {
    servers: ServersInfo;
  }
}

/** Credentials of the users rgw-start.sh creates. Test-only values, not secrets. */
export const RGW_USERS = {
  /** Plain user that owns the test buckets: arn:aws:iam:::user/owner */
  owner: { accessKeyId: "OWNERACCESSKEY0000001", secretAccessKey: "ownersecret" },
  /** arn:aws:iam::744254827463:user/crawlit-scrapy (tenant 744254827463) */
  jobs: { accessKeyId: "JOBSACCESSKEY00000001", secretAccessKey: "jobssecret" },
  /** arn:aws:iam::744254827463:user/webit-uploader (tenant 744254827463) */
  delivery: { accessKeyId: "DELIVERYACCESSKEY0001", secretAccessKey: "deliverysecret" },
  /** arn:aws:iam:::user/other */
  other: { accessKeyId: "OTHERACCESSKEY0000001", secretAccessKey: "othersecret" },
} as const;

/** The RGW endpoint, or undefined when RGW did not start (tests then skip, see setup). */
export function rgwEndpoint(): string | undefined {
  return inject("servers").rgw ?? undefined;
}

/** The moto endpoint, or undefined when moto did not start. */
export function motoEndpoint(): string | undefined {
  return inject("servers").moto ?? undefined;
}
