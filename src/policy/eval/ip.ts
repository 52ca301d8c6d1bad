/**
 * IPv4 and IPv6 addresses and CIDR blocks for the IpAddress / NotIpAddress operators.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
 */

interface Address {
  value: bigint;
  bits: 32 | 128;
}

/** A parsed CIDR block (a bare address is a /32 or /128). */
export interface Cidr {
  network: bigint;
  bits: 32 | 128;
  length: number;
}

/** Parses `a.b.c.d[/n]` or an IPv6 address with an optional `/n`; undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const [addressText = "", lengthText, extra] = text.trim().split("/");
  if (extra !== undefined) return undefined;
  const address = parseAddress(addressText);
  if (!address) return undefined;

  const length = lengthText === undefined ? address.bits : Number(lengthText);
  if (!/^\d+$/.test(lengthText ?? "0") || length > address.bits) return undefined;
  const shift = BigInt(address.bits - length);
  return { network: (address.value >> shift) << shift, bits: address.bits, length };
}

/** True when the address text lies inside the block. */
export function inCidr(cidr: Cidr, addressText: string): boolean {
  const address = parseAddress(addressText.trim());
  if (!address || address.bits !== cidr.bits) return false;

  const shift = BigInt(cidr.bits - cidr.length);
  return (address.value >> shift) << shift === cidr.network;
}

function parseAddress(text: string): Address | undefined {
  return text.includes(":") ? parseV6(text) : parseV4(text);
}

function parseV4(text: string): Address | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) < 256)) {
    return undefined;
  }
  return { value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n), bits: 32 };
}

function parseV6(text: string): Address | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;

  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { value: groups.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n), bits: 128 };
}
