import { getAddress } from "ethers";

/**
 * EIP-4361 (Sign-In with Ethereum) messages: a strict parser of the ABNF in the EIP and the
 * matching formatter. Small on purpose: the `siwe` package pulls in a generic ABNF parser generator
 * for a format of a dozen fixed lines, and the checks that matter (nonce, domain, times) are ours.
 *
 *   ${scheme://}?${domain} wants you to sign in with your Ethereum account:
 *   ${address}
 *
 *   ${statement}              (optional: the line and the blank line after it)
 *
 *   URI: ${uri}
 *   Version: 1
 *   Chain ID: ${chainId}
 *   Nonce: ${nonce}
 *   Issued At: ${RFC 3339}
 *   Expiration Time: ...      (optional)
 *   Not Before: ...           (optional)
 *   Request ID: ...           (optional)
 *   Resources:                (optional, then "- ${uri}" lines)
 */
export interface SiweMessage {
  scheme?: string;
  domain: string;
  /** EIP-55 checksummed, as in the message. */
  address: string;
  statement?: string;
  uri: string;
  version: string;
  chainId: number;
  nonce: string;
  issuedAt: string;
  expirationTime?: string;
  notBefore?: string;
  requestId?: string;
  resources?: string[];
}

export class SiweParseError extends Error {}

const HEADER_SUFFIX = " wants you to sign in with your Ethereum account:";
const DOMAIN = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** RFC 3986 URI: a scheme, then only characters a URI may contain. */
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;
const MAX_LENGTH = 4_096;

/** Optional fields after Issued At, in the order the EIP fixes. */
const OPTIONAL_FIELDS = [
  ["Expiration Time", "expirationTime"],
  ["Not Before", "notBefore"],
  ["Request ID", "requestId"],
] as const;

function timestamp(label: string, value: string): string {
  if (!RFC3339.test(value) || Number.isNaN(Date.parse(value))) {
    throw new SiweParseError(`"${label}" must be an RFC 3339 date-time, got "${value}"`);
  }
  return value;
}

/** Parses an EIP-4361 message, refusing anything that deviates from the format. */
export function parseSiweMessage(text: string): SiweMessage {
  if (text.length > MAX_LENGTH) throw new SiweParseError(`is longer than ${MAX_LENGTH} characters`);
  if (text.includes("\r")) throw new SiweParseError("lines must end with LF, not CR LF");
  const lines = text.split("\n");
  let at = 0;
  const next = (what: string) => {
    if (at >= lines.length) throw new SiweParseError(`ends before ${what}`);
    return lines[at++];
  };
  const field = (label: string) => {
    const line = next(`"${label}:"`);
    if (!line.startsWith(`${label}: `)) throw new SiweParseError(`line ${at} must be "${label}: ...", got "${line.slice(0, 60)}"`);
    return line.slice(label.length + 2);
  };

  const header = next("the header");
  if (!header.endsWith(HEADER_SUFFIX)) throw new SiweParseError(`the first line must end with "${HEADER_SUFFIX.trim()}"`);
  let origin = header.slice(0, -HEADER_SUFFIX.length);
  let scheme: string | undefined;
  const schemeEnd = origin.indexOf("://");
  if (schemeEnd >= 0) {
    scheme = origin.slice(0, schemeEnd);
    origin = origin.slice(schemeEnd + 3);
    if (!SCHEME.test(scheme)) throw new SiweParseError(`"${scheme}" is not a URI scheme`);
  }
  if (!DOMAIN.test(origin)) throw new SiweParseError(`"${origin}" is not a domain (host or host:port)`);

  const address = next("the address");
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new SiweParseError(`line 2 must be a 0x-prefixed 20-byte address`);
  let checksummed: string;
  try {
    checksummed = getAddress(address);
  } catch {
    throw new SiweParseError(`the address ${address} has a wrong EIP-55 checksum`);
  }
  if (checksummed !== address) throw new SiweParseError(`the address must be EIP-55 checksummed: ${checksummed}`);

  if (next("the blank line after the address") !== "") throw new SiweParseError("line 3 must be empty");
  let statement: string | undefined;
  const afterBlank = next("the URI");
  if (afterBlank !== "") {
    statement = afterBlank;
    if (next("the blank line after the statement") !== "") throw new SiweParseError("the statement must be one line followed by an empty line");
  }

  const uri = field("URI");
  if (!URI.test(uri)) throw new SiweParseError(`"URI" is not an RFC 3986 URI: "${uri}"`);
  const version = field("Version");
  const chainIdText = field("Chain ID");
  if (!/^[1-9]\d{0,15}$/.test(chainIdText)) throw new SiweParseError(`"Chain ID" must be a positive decimal integer, got "${chainIdText}"`);
  const nonce = field("Nonce");
  if (!/^[A-Za-z0-9]{8,}$/.test(nonce)) throw new SiweParseError(`"Nonce" must be at least 8 alphanumeric characters`);
  const issuedAt = timestamp("Issued At", field("Issued At"));

  const message: SiweMessage = {
    ...(scheme !== undefined ? { scheme } : {}),
    domain: origin,
    address,
    ...(statement !== undefined ? { statement } : {}),
    uri,
    version,
    chainId: Number(chainIdText),
    nonce,
    issuedAt,
  };
  let optional = 0;
  while (at < lines.length && lines[at] !== "Resources:") {
    const line = lines[at++];
    const index = OPTIONAL_FIELDS.findIndex(([label], i) => i >= optional && line.startsWith(`${label}: `));
    if (index < 0) throw new SiweParseError(`unexpected line ${at}: "${line.slice(0, 60)}"`);
    const [label, key] = OPTIONAL_FIELDS[index];
    const value = line.slice(label.length + 2);
    if (key === "requestId") {
      if (!/^[\x21-\x7e]*$/.test(value)) throw new SiweParseError(`"Request ID" must be printable characters`);
      message.requestId = value;
    } else {
      message[key] = timestamp(label, value);
    }
    optional = index + 1;
  }
  if (at < lines.length) {
    at++; // "Resources:"
    message.resources = [];
    while (at < lines.length) {
      const line = lines[at++];
      if (!line.startsWith("- ") || !URI.test(line.slice(2))) throw new SiweParseError(`line ${at} must be "- <URI>" under "Resources:"`);
      message.resources.push(line.slice(2));
    }
  }
  return message;
}

/** Formats a message exactly as the parser reads it (what a wallet library produces). */
export function formatSiweMessage(message: SiweMessage): string {
  const lines = [
    `${message.scheme ? `${message.scheme}://` : ""}${message.domain}${HEADER_SUFFIX}`,
    message.address,
    "",
    ...(message.statement !== undefined ? [message.statement, ""] : [""]),
    `URI: ${message.uri}`,
    `Version: ${message.version}`,
    `Chain ID: ${message.chainId}`,
    `Nonce: ${message.nonce}`,
    `Issued At: ${message.issuedAt}`,
  ];
  if (message.expirationTime) lines.push(`Expiration Time: ${message.expirationTime}`);
  if (message.notBefore) lines.push(`Not Before: ${message.notBefore}`);
  if (message.requestId !== undefined) lines.push(`Request ID: ${message.requestId}`);
  if (message.resources) lines.push("Resources:", ...message.resources.map((r) => `- ${r}`));
  return lines.join("\n");
}
